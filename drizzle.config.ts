import { defineConfig } from 'drizzle-kit';

// SQLite is the default backend. Generate a migration after changing db/schema.sqlite.ts with
// `npm run db:generate`; migrations are applied automatically when the database is opened.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/schema.sqlite.ts',
  out: './db/migrations/sqlite',
  dbCredentials: { url: process.env.DATABASE_URL ?? './data/complaints.db' },
  // messages_fts (FTS5, hand-written in 0005_case_workflow.sql) is not drizzle's to manage.
  tablesFilter: ['!messages_fts*'],
  strict: true,
  verbose: true,
});
