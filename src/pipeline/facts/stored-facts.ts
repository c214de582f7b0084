/**
 * Facts as they are stored: a message's from its subject and from what the customer wrote now in
 * its body (each fact marked with the field its span points into), and a case's as the union of
 * its messages' (each value once, where it was first stated, with that message's row id).
 */
import { emptyFacts, extractFacts, factKey, rollUpFacts, type FactsContext } from './facts.js';
import type { Fact, Facts } from './types.js';

export type StoredFact = Fact & { field: 'subject' | 'body' };

/** Long bodies are read up to here: the facts a desk agent needs are stated early. */
const MAX_BODY_CHARS = 20_000;

export function messageFacts(subject: string | null, body: string, freshEnd: number, ctx: FactsContext): Facts | null {
  // One pass over "subject\nbody" (each extraction has a fixed cost); spans are mapped back to
  // the field they fall in. A fact spanning the line between them belongs to neither and is dropped.
  const head = subject ? `${subject}\n` : '';
  const text = head + body.slice(0, Math.min(freshEnd, MAX_BODY_CHARS));
  const found = extractFacts(text, ctx);
  const out = emptyFacts();
  const seen = new Set<string>();
  for (const kind of Object.keys(out) as (keyof Facts)[]) {
    for (const fact of found[kind]) {
      const inSubject = fact.end <= head.length - 1;
      if (!inSubject && fact.start < head.length) continue;
      const key = factKey(fact);
      if (seen.has(key)) continue;
      seen.add(key);
      const shift = inSubject ? 0 : head.length;
      (out[kind] as Fact[]).push({ ...fact, start: fact.start - shift, end: fact.end - shift, field: inSubject ? 'subject' : 'body' } as StoredFact);
    }
  }
  return isEmpty(out) ? null : out;
}

/** `current` plus a message's facts not already known, each with `message` = the message's row id. */
export function addToCaseFacts(current: Facts | null, message: Facts | null, messageRowId: number): Facts | null {
  if (!message) return current;
  const tagged = Object.fromEntries(
    Object.entries(message).map(([kind, list]: [string, Fact[]]) => [kind, list.map((f) => ({ ...f, message: messageRowId }))]),
  ) as unknown as Facts;
  const out = rollUpFacts([current ?? emptyFacts(), tagged]);
  return isEmpty(out) ? null : out;
}

function isEmpty(f: Facts): boolean {
  return Object.values(f).every((list: unknown[]) => list.length === 0);
}
