/**
 * Facts as they are stored: a message's from its subject and from what the customer wrote now in
 * its body (each fact marked with the field its span points into), and a case's as the union of
 * its messages' (each value once, where it was first stated, with that message's row id).
 */
import { emptyFacts, extractFacts, factKey, type FactsContext } from './facts.js';
import type { Fact, Facts } from './types.js';

export type StoredFact = Fact & { field: 'subject' | 'body' };

/** Long bodies are read up to here: the facts a desk agent needs are stated early. */
const MAX_BODY_CHARS = 20_000;

export function messageFacts(subject: string | null, body: string, freshEnd: number, ctx: FactsContext): Facts | null {
  const out = emptyFacts();
  const seen = new Set<string>();
  const add = (facts: Facts, field: StoredFact['field']) => {
    for (const kind of Object.keys(out) as (keyof Facts)[]) {
      for (const fact of facts[kind]) {
        const key = factKey(fact);
        if (seen.has(key)) continue;
        seen.add(key);
        (out[kind] as Fact[]).push({ ...fact, field } as StoredFact);
      }
    }
  };
  if (subject) add(extractFacts(subject, ctx), 'subject');
  add(extractFacts(body.slice(0, Math.min(freshEnd, MAX_BODY_CHARS)), ctx), 'body');
  return isEmpty(out) ? null : out;
}

/** `current` plus a message's facts not already known, each with `message` = the message's row id. */
export function addToCaseFacts(current: Facts | null, message: Facts | null, messageRowId: number): Facts | null {
  if (!message) return current;
  const out = current ? structuredClone(current) : emptyFacts();
  const seen = new Set<string>();
  for (const kind of Object.keys(out) as (keyof Facts)[]) for (const f of out[kind]) seen.add(factKey(f));
  for (const kind of Object.keys(out) as (keyof Facts)[]) {
    for (const fact of message[kind]) {
      const key = factKey(fact);
      if (seen.has(key)) continue;
      seen.add(key);
      (out[kind] as Fact[]).push({ ...fact, message: messageRowId });
    }
  }
  return isEmpty(out) ? null : out;
}

function isEmpty(f: Facts): boolean {
  return Object.values(f).every((list: unknown[]) => list.length === 0);
}
