ALTER TABLE `cases` ADD `category` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `facts` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `category` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `category_confidence` real;--> statement-breakpoint
ALTER TABLE `messages` ADD `categories` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `facts` text;