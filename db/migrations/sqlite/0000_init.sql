CREATE TABLE `attachments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_row_id` integer NOT NULL,
	`name` text,
	`content_type` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text,
	FOREIGN KEY (`message_row_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attachments_message_idx` ON `attachments` (`message_row_id`);--> statement-breakpoint
CREATE TABLE `case_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`message_row_id` integer,
	`data` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_events_case_idx` ON `case_events` (`case_id`,`at`);--> statement-breakpoint
CREATE TABLE `case_references` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`system` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `case_references_uq` ON `case_references` (`system`,`value`);--> statement-breakpoint
CREATE INDEX `case_references_case_idx` ON `case_references` (`case_id`);--> statement-breakpoint
CREATE TABLE `cases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`request_number` text NOT NULL,
	`status` text DEFAULT 'new' NOT NULL,
	`channel` text NOT NULL,
	`source` text NOT NULL,
	`subject` text,
	`customer_key` text NOT NULL,
	`customer_name` text,
	`urgency` text NOT NULL,
	`urgency_score` integer NOT NULL,
	`urgency_reasons` text NOT NULL,
	`contact_count` integer DEFAULT 1 NOT NULL,
	`first_contact_at` integer NOT NULL,
	`last_contact_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_request_number_uq` ON `cases` (`request_number`);--> statement-breakpoint
CREATE INDEX `cases_queue_idx` ON `cases` (`status`,`urgency_score`,`first_contact_at`);--> statement-breakpoint
CREATE INDEX `cases_last_contact_idx` ON `cases` (`last_contact_at`);--> statement-breakpoint
CREATE TABLE `connector_cursors` (
	`source` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`source`, `key`)
);
--> statement-breakpoint
CREATE TABLE `identity_links` (
	`author_key` text PRIMARY KEY NOT NULL,
	`customer_key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `identity_links_customer_idx` ON `identity_links` (`customer_key`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer,
	`source` text NOT NULL,
	`external_id` text NOT NULL,
	`channel` text NOT NULL,
	`kind` text NOT NULL,
	`kind_reason` text,
	`join_reason` text,
	`join_detail` text,
	`message_id` text,
	`in_reply_to` text,
	`references` text,
	`conversation_id` text,
	`author_key` text NOT NULL,
	`author_name` text,
	`author_handle` text,
	`author_followers` integer,
	`subject` text,
	`body` text NOT NULL,
	`text_hash` text NOT NULL,
	`fingerprint` blob NOT NULL,
	`lang` text,
	`url` text,
	`sent_at` integer NOT NULL,
	`ingested_at` integer NOT NULL,
	`urgency` text,
	`urgency_score` integer,
	`urgency_reasons` text,
	`request_numbers` text,
	`redactions` text,
	`headers` text,
	`notes` text,
	`found_in_spam` integer DEFAULT false NOT NULL,
	`raw_ref` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `messages_external_uq` ON `messages` (`external_id`,`source`);--> statement-breakpoint
CREATE INDEX `messages_message_id_idx` ON `messages` (`message_id`) WHERE "messages"."message_id" is not null;--> statement-breakpoint
CREATE INDEX `messages_conversation_idx` ON `messages` (`conversation_id`) WHERE "messages"."conversation_id" is not null;--> statement-breakpoint
CREATE INDEX `messages_author_recent_idx` ON `messages` (`author_key`,`sent_at`,`case_id`,`text_hash`,`fingerprint`);--> statement-breakpoint
CREATE INDEX `messages_case_sent_idx` ON `messages` (`case_id`,`sent_at`);--> statement-breakpoint
CREATE TABLE `quarantine` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`raw_ref` text NOT NULL,
	`reason` text NOT NULL,
	`detail` text NOT NULL,
	`attempts` integer DEFAULT 1 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`last_seen_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quarantine_ref_uq` ON `quarantine` (`source`,`raw_ref`);--> statement-breakpoint
CREATE TABLE `request_sequences` (
	`scope` text PRIMARY KEY NOT NULL,
	`last` integer NOT NULL
);
