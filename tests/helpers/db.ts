/** A real SQLite database file in a temp folder, removed after the test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openSqlite, type OpenedSqlite } from '../../db/sqlite/open-sqlite.js';

export function tempDir(prefix = 'cm-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function tempDb(): OpenedSqlite & { path: string } {
  const path = join(tempDir(), 'complaints.db');
  const opened = openSqlite(path);
  afterAll(() => opened.sqlite.open && opened.sqlite.close());
  return { ...opened, path };
}
