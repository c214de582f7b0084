/**
 * Picks the storage backend from a database URL: a file path or `file:` URL opens SQLite (the
 * default, zero setup).
 */
import type { Repository } from './repository.js';
import { openSqlite } from './sqlite/open-sqlite.js';

export class DatabaseUrlError extends Error {
  override name = 'DatabaseUrlError';
  readonly code = 'database_url_unsupported';
}

export function openRepository(url: string): Repository {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    throw new DatabaseUrlError(
      'PostgreSQL is not supported by this version yet: use a SQLite file path (e.g. ./data/complaints.db)',
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith('file:')) {
    throw new DatabaseUrlError(`unsupported database URL "${redactUrl(url)}": use a SQLite file path`);
  }
  const path = url.startsWith('file:') ? decodeURIComponent(url.replace(/^file:(\/\/)?/, '')) : url;
  return openSqlite(path).repository;
}

/** For messages: never echo a password that may be inside a URL. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}
