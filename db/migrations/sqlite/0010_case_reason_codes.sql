ALTER TABLE `cases` ADD `reason_codes` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Hand-written below (drizzle-kit does not manage triggers): cases.reason_codes is derived from
-- urgency_reasons by these triggers alone, so ingest, rescore, merge, split and overrides all keep
-- it right without writing it. Codes of reasons with positive points, in their stored order.
CREATE TRIGGER `cases_reason_codes_insert` AFTER INSERT ON `cases` BEGIN
  UPDATE `cases` SET `reason_codes` = ifnull((SELECT group_concat(r.value ->> '$.code', ' ') FROM json_each(new.urgency_reasons) r WHERE (r.value ->> '$.points') > 0), '') WHERE `id` = new.id;
END;--> statement-breakpoint
CREATE TRIGGER `cases_reason_codes_update` AFTER UPDATE OF `urgency_reasons` ON `cases` WHEN new.urgency_reasons IS NOT old.urgency_reasons BEGIN
  UPDATE `cases` SET `reason_codes` = ifnull((SELECT group_concat(r.value ->> '$.code', ' ') FROM json_each(new.urgency_reasons) r WHERE (r.value ->> '$.points') > 0), '') WHERE `id` = new.id;
END;--> statement-breakpoint
-- Backfill: the same expression over the stored cases.
UPDATE `cases` SET `reason_codes` = ifnull((SELECT group_concat(r.value ->> '$.code', ' ') FROM json_each(`cases`.urgency_reasons) r WHERE (r.value ->> '$.points') > 0), '');
