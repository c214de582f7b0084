/**
 * The case list's opaque cursor: where the previous page ended (the last case's sort key) and the
 * sort it belongs to, as base64url JSON. Clients pass it back untouched; anything that does not
 * decode to a key of the right shape for the requested sort is refused.
 */
import { z } from 'zod';
import { CASE_SORTS, type CaseSort } from '../../db/repository.js';

/** How many numbers each sort's key has (urgency: queue order, first contact, id; the others: time, id). */
const KEY_LENGTH: Record<CaseSort, number> = { urgency: 3, newest: 2, oldest: 2, updated: 2 };

const cursorSchema = z.object({
  s: z.enum(CASE_SORTS as [CaseSort, ...CaseSort[]]),
  k: z.array(z.number().int().safe()),
});

export function encodeCursor(sort: CaseSort, after: readonly number[]): string {
  return Buffer.from(JSON.stringify({ s: sort, k: after }), 'utf8').toString('base64url');
}

export type DecodedCursor = { ok: readonly number[] } | { error: string };

export function decodeCursor(cursor: string, sort: CaseSort): DecodedCursor {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return { error: 'not a cursor this API gave out' };
  }
  const parsed = cursorSchema.safeParse(raw);
  if (!parsed.success || parsed.data.k.length !== KEY_LENGTH[parsed.data.s]) return { error: 'not a cursor this API gave out' };
  if (parsed.data.s !== sort) return { error: `belongs to sort "${parsed.data.s}", not "${sort}"` };
  return { ok: parsed.data.k };
}
