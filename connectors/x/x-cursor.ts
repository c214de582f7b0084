/**
 * Where a timeline or query stands, stored by the pipeline with the posts it covers.
 *
 * X answers newest first. A run asks for everything after `since` and pages down towards it; only
 * when it has reached `since` does the next run's `since` become the newest id of the first page.
 * A run that stops before (its page budget, a 429, a 5xx) saves the window it was reading instead:
 *
 *   {"since":"100"}                                  caught up: next run asks since_id=100
 *   {"since":"100","until":"150","newest":"200"}     posts 150..200 stored, 100 < id < 150 still to
 *                                                    read: next run asks since_id=100 until_id=150,
 *                                                    and once that is empty, since becomes 200
 *
 * `until` is the oldest id already stored (until_id is exclusive), so nothing is skipped and
 * nothing is read twice; a next_token is never stored (they are opaque and expire). Ids are
 * compared as BigInt: they exceed 2^53. `since` is absent before the first post is stored: the
 * API then gives what it still has (7 days for search, the last 800 mentions).
 */
import { z } from 'zod';

const id = z.string().regex(/^\d{1,20}$/);

const cursorSchema = z
  .object({ since: id.optional(), until: id.optional(), newest: id.optional() })
  .strict()
  .refine((c) => (c.until === undefined) === (c.newest === undefined), 'until and newest go together');

export interface XCursor {
  /** Everything up to and including this id is stored. */
  since?: string;
  /** Reading a window: ids from `until` to `newest` are stored; below `until`, down to `since`, not yet. */
  until?: string;
  newest?: string;
}

export class XCursorError extends Error {
  override name = 'XCursorError';
}

export function parseXCursor(value: string | null): XCursor {
  if (value === null) return {};
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch (err) {
    throw new XCursorError(`stored cursor ${JSON.stringify(value)} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = cursorSchema.safeParse(json);
  if (!parsed.success) throw new XCursorError(`stored cursor ${JSON.stringify(value)} is not a since/until/newest cursor`);
  return parsed.data;
}

export function formatXCursor(c: XCursor): string {
  return JSON.stringify(c.until !== undefined ? { since: c.since, until: c.until, newest: c.newest } : { since: c.since });
}

/** The cursor after a page: `oldest` is the page's oldest id, `newest` the window's newest. */
export function afterPage(before: XCursor, page: { newest: string; oldest: string; more: boolean }): XCursor {
  const newest = before.newest ?? page.newest;
  if (!page.more) return newest !== undefined ? { since: maxId(newest, before.since) } : before;
  return { ...(before.since !== undefined ? { since: before.since } : {}), until: page.oldest, newest };
}

/** The cursor when a window turned out empty (nothing between since and until). */
export function windowDone(before: XCursor): XCursor {
  if (before.newest === undefined) return before;
  return { since: maxId(before.newest, before.since) };
}

function maxId(a: string, b: string | undefined): string {
  return b !== undefined && BigInt(b) > BigInt(a) ? b : a;
}
