/**
 * Case facts from one message's (redacted) text, and their roll-up to the case. Pure: the message
 * time and the team's time zone come in, nothing is read from the clock.
 *
 * Where two readings claim the same characters, the more specific one wins: an account hint or
 * an id over an amount ("ref RM1234567" is not 1,234,567 ringgit), and any of those over a date
 * ("INV/2017/11/28..." holds no date). A fact not found stays out: nothing is guessed.
 */
import { findAccountHints } from './account-hints.js';
import { findAmounts } from './amounts.js';
import { findDateTimes, type DateContext } from './dates.js';
import { findIds, type RequestNumberRecogniser } from './ids.js';
import { findPaymentChannels } from './payment-channel.js';
import { overlaps, type AmountFact, type Fact, type Facts, type Span } from './types.js';

export type * from './types.js';

export interface FactsContext extends DateContext {
  /** Request numbers (ours and other systems'): never reported as transaction ids. */
  references?: RequestNumberRecogniser;
}

export function extractFacts(text: string, ctx: FactsContext): Facts {
  const accountHints = findAccountHints(text);
  const ids = findIds(text, ctx.references).filter((f) => !overlapsAny(f, accountHints));
  const claimed: Span[] = [...accountHints, ...ids];
  const amounts = findAmounts(text)
    .map((a): AmountFact => ({
      kind: 'amount',
      value: { value: a.value, currency: a.currency },
      text: a.text,
      start: a.index,
      end: a.index + a.text.length,
    }))
    .filter((f) => !overlapsAny(f, claimed));
  claimed.push(...amounts);
  const datetimes = findDateTimes(text, ctx).filter((f) => !overlapsAny(f, claimed));
  return { amounts, datetimes, ids, channels: findPaymentChannels(text), accountHints };
}

export function emptyFacts(): Facts {
  return { amounts: [], datetimes: [], ids: [], channels: [], accountHints: [] };
}

/**
 * A case's facts from its messages' facts, in message order: each value once, with the span where
 * it was first stated and `message`, the index in `list` of the message that span belongs to (a
 * fact that already names its message, from an earlier roll-up, keeps it).
 */
export function rollUpFacts(list: readonly Facts[]): Facts {
  const out = emptyFacts();
  const seen = new Set<string>();
  list.forEach((facts, message) => {
    for (const kind of Object.keys(out) as (keyof Facts)[]) {
      for (const fact of facts[kind]) {
        const key = factKey(fact);
        if (seen.has(key)) continue;
        seen.add(key);
        (out[kind] as Fact[]).push({ ...fact, message: fact.message ?? message });
      }
    }
  });
  return out;
}

/** What makes two facts the same fact, whatever words stated them. */
export function factKey(f: Fact): string {
  switch (f.kind) {
    case 'amount':
      return `amount:${f.value.currency}:${f.value.value}`;
    case 'datetime':
      return `datetime:${f.value.date}:${f.value.time ?? ''}:${f.value.partOfDay ?? ''}`;
    case 'id':
      return `id:${f.value.value.toUpperCase()}`;
    case 'channel':
      return `channel:${f.value.channel}`;
    case 'account_hint':
      return `account_hint:${f.value.last4}`;
  }
}

function overlapsAny(span: Span, others: readonly Span[]): boolean {
  return others.some((o) => overlaps(span, o));
}
