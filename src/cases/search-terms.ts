/**
 * Reading the case list's `q`. Words are separated by spaces; a double-quoted part is one term with
 * its spaces. Every term must occur (as a substring, any case) in the subject or body of one message
 * of the case. Everything else is literal text: quotes inside a word, `*`, `-`, `:`, `(`, `OR`,
 * `NEAR` carry no search syntax, so no input can make the search fail.
 *
 * The full-text index is a trigram index: it finds terms of 3 or more characters. Shorter terms
 * (a Chinese two-character word like 退款, "ok") are checked as substrings of the messages the longer
 * terms found; a `q` with no term of 3+ characters is refused, since it would read every message.
 */
import type { CaseSearch } from '../../db/repository.js';

export const MAX_QUERY_CHARS = 200;
export const MAX_TERMS = 8;
export const MIN_INDEXED_CHARS = 3;

export type ParsedSearch = { ok: CaseSearch } | { error: string };

export function parseSearch(q: string): ParsedSearch {
  // Control characters are never part of stored text (normalise removes them).
  const text = q.replace(/[\u0000-\u001f\u007f]/g, ' ');
  const terms: string[] = [];
  for (const m of text.matchAll(/"([^"]+)"|(\S+)/g)) {
    const term = (m[1] ?? m[2] ?? '').trim();
    if (term !== '' && !terms.includes(term)) terms.push(term);
  }
  if (terms.length === 0) return { error: 'needs at least one word' };
  if (terms.length > MAX_TERMS) return { error: `at most ${MAX_TERMS} words` };
  const long = (t: string) => [...t].length >= MIN_INDEXED_CHARS;
  const indexed = terms.filter(long);
  if (indexed.length === 0) {
    return { error: `needs a word of at least ${MIN_INDEXED_CHARS} characters (a shorter word, like a two-character Chinese word, can only narrow a search; add a longer word or phrase, e.g. 退款失败)` };
  }
  return { ok: { indexed, short: terms.filter((t) => !long(t)) } };
}
