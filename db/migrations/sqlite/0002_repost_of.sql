ALTER TABLE `messages` ADD `repost_of` text;--> statement-breakpoint
CREATE INDEX `messages_repost_of_idx` ON `messages` (`repost_of`) WHERE "messages"."repost_of" is not null;