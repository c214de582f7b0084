/**
 * Case facts: what a customer states about the transaction they complain about. Every fact keeps
 * the span it was read from (`text === source.slice(start, end)`) so the UI can highlight it.
 */
import type { Currency } from './amounts.js';

export type PartOfDay = 'morning' | 'afternoon' | 'evening' | 'night';

export type PaymentChannel =
  | 'qr'
  | 'bank_transfer'
  | 'card'
  | 'virtual_account'
  | 'e_wallet'
  | 'cash'
  | 'direct_debit';

export interface DateTimeValue {
  /** Local date in the team's time zone, YYYY-MM-DD. */
  date: string;
  /** Local wall-clock time, HH:MM, only when the customer states one. */
  time?: string;
  /** Only when stated ("yesterday evening", "tadi pagi", "昨天下午"). */
  partOfDay?: PartOfDay;
  /** Resolved against the message time ("kemarin", "2 hari lalu", a time without a day). */
  relative: boolean;
}

export interface IdValue {
  value: string;
  /** What the cue word called it: order, transaction, reference, invoice, receipt, payment. */
  system?: string;
}

interface FactOf<K extends string, V> {
  kind: K;
  value: V;
  /** The source text of the fact, exactly `source.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  /** In a roll-up: the message the span belongs to (its index in the list given to rollUpFacts; in a stored case, its row id). */
  message?: number;
}

export type AmountFact = FactOf<'amount', { value: number; currency: Currency }>;
export type DateTimeFact = FactOf<'datetime', DateTimeValue>;
export type IdFact = FactOf<'id', IdValue>;
export type ChannelFact = FactOf<'channel', { channel: PaymentChannel }>;
export type AccountHintFact = FactOf<'account_hint', { last4: string }>;
export type Fact = AmountFact | DateTimeFact | IdFact | ChannelFact | AccountHintFact;
export type FactKind = Fact['kind'];

export interface Facts {
  amounts: AmountFact[];
  datetimes: DateTimeFact[];
  ids: IdFact[];
  channels: ChannelFact[];
  accountHints: AccountHintFact[];
}

export interface Span {
  start: number;
  end: number;
}

export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}
