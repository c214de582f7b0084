CREATE INDEX `cases_first_contact_idx` ON `cases` (`first_contact_at`);--> statement-breakpoint
CREATE INDEX `cases_open_idx` ON `cases` (`resolved_at`,`first_contact_at`,`urgency`) WHERE "cases"."merged_into" is null;--> statement-breakpoint
CREATE INDEX `messages_report_idx` ON `messages` (`sent_at`,`channel`,`source`,`urgency`,`category`,`join_reason`) WHERE "messages"."case_id" is not null;