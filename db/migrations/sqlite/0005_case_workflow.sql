CREATE TABLE `case_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`case_id` integer NOT NULL,
	`at` integer NOT NULL,
	`author` text NOT NULL,
	`body` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `case_notes_case_idx` ON `case_notes` (`case_id`,`at`);--> statement-breakpoint
ALTER TABLE `cases` ADD `assignee` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `tags` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `urgency_override` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `first_response_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `resolved_at` integer;--> statement-breakpoint
ALTER TABLE `cases` ADD `merged_into` integer;--> statement-breakpoint
CREATE INDEX `cases_created_idx` ON `cases` (`created_at`);--> statement-breakpoint
CREATE INDEX `cases_assignee_idx` ON `cases` (`assignee`) WHERE "cases"."assignee" is not null;--> statement-breakpoint
-- Full-text search over subject + body for the API's `q` (hand-written: drizzle-kit does not model
-- virtual tables). External content: the text lives once, in messages. The trigram tokenizer
-- matches any 3+ character substring case-insensitively, so unsegmented Chinese ("退款失败") is
-- searchable as well as English and Indonesian words.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(subject, body, content='messages', content_rowid='id', tokenize='trigram remove_diacritics 1');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `messages_fts`(rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` AFTER DELETE ON `messages` BEGIN
  INSERT INTO `messages_fts`(`messages_fts`, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_update` AFTER UPDATE OF subject, body ON `messages` BEGIN
  INSERT INTO `messages_fts`(`messages_fts`, rowid, subject, body) VALUES ('delete', old.id, old.subject, old.body);
  INSERT INTO `messages_fts`(rowid, subject, body) VALUES (new.id, new.subject, new.body);
END;
--> statement-breakpoint
INSERT INTO `messages_fts`(`messages_fts`) VALUES ('rebuild');
