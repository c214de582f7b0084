CREATE TABLE `connector_health` (
	`source` text PRIMARY KEY NOT NULL,
	`state` text NOT NULL,
	`last_run_started_at` integer NOT NULL,
	`last_run_finished_at` integer NOT NULL,
	`last_success_at` integer,
	`last_items` integer DEFAULT 0 NOT NULL,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`last_error_kind` text,
	`last_error_code` text,
	`last_error_message` text,
	`last_error_at` integer,
	`retry_not_before` integer
);
