DROP INDEX `cases_queue_idx`;--> statement-breakpoint
DROP INDEX `cases_assignee_idx`;--> statement-breakpoint
DROP INDEX `cases_created_idx`;--> statement-breakpoint
ALTER TABLE `cases` ADD `queue_order` integer GENERATED ALWAYS AS (-((case urgency when 'critical' then 3000000 when 'high' then 2000000 when 'normal' then 1000000 else 0 end) + urgency_score)) VIRTUAL;--> statement-breakpoint
CREATE INDEX `cases_order_idx` ON `cases` (`queue_order`,`first_contact_at`,`id`);--> statement-breakpoint
CREATE INDEX `cases_channel_queue_idx` ON `cases` (`channel`,`queue_order`,`first_contact_at`,`id`);--> statement-breakpoint
CREATE INDEX `cases_status_queue_idx` ON `cases` (`status`,`queue_order`,`first_contact_at`,`id`);--> statement-breakpoint
CREATE INDEX `cases_assignee_queue_idx` ON `cases` (`assignee`,`queue_order`,`first_contact_at`,`id`) WHERE "cases"."assignee" is not null;--> statement-breakpoint
CREATE INDEX `cases_updated_idx` ON `cases` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `cases_created_idx` ON `cases` (`created_at`,`id`);