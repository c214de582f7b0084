/**
 * Opens (creating if needed) a SQLite database file, tunes it for a single-writer service and
 * applies pending migrations.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../schema.sqlite.js';
import { SqliteRepository, type SqliteDb } from './sqlite.repository.js';

export const SQLITE_MIGRATIONS = fileURLToPath(new URL('../migrations/sqlite', import.meta.url));

export interface OpenedSqlite {
  sqlite: Database.Database;
  db: SqliteDb;
  repository: SqliteRepository;
}

export function openSqlite(path: string): OpenedSqlite {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // WAL lets the API read while a connector writes; NORMAL sync is durable across process crashes
  // (a power cut may lose the last transactions, never corrupt the file).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('cache_size = -65536'); // 64 MiB page cache keeps index probes in memory
  sqlite.pragma('temp_store = MEMORY');
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder: SQLITE_MIGRATIONS });
  return { sqlite, db, repository: new SqliteRepository(sqlite, db) };
}
