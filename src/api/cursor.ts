/**
 * Opaque page cursors: a repository's keyset position, base64url-encoded JSON. Clients only pass
 * them back; what comes back is external input again, so it is parsed with a schema, and a cursor
 * that is not one of ours is a 400 naming the `cursor` field, never a 500 or a wrong page.
 */
import type { z } from 'zod';
import { ApiError } from './errors.js';

export function encodeCursor(position: object): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

export function decodeCursor<S extends z.ZodType>(cursor: string, schema: S): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw invalidCursor();
  return parsed.data;
}

export function invalidCursor(): ApiError {
  return new ApiError(400, 'invalid_request', 'querystring field "cursor": not a cursor from this API (pass back nextCursor unchanged, with the same sort)');
}
