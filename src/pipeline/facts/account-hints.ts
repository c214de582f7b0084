/**
 * Masked account hints: the last four digits a customer gives to say which card or account they
 * mean ("kartu berakhiran 1234", "card ending in 4321", "尾号1234", "xxxx-xxxx-xxxx-1234") and
 * the ones redaction left ("[card ****1111]"). Exactly four digits or nothing: a longer number
 * after the cue is not a hint, and no more than four digits ever leave this module.
 */
import { execAll } from '../exec-all.js';
import type { AccountHintFact } from './types.js';

// Everything that may stand before the four digits; the digits themselves follow once.
const CUE = [
  // ****1234, xxxx-xxxx-xxxx-1234, •••• 1234
  String.raw`(?<![\p{L}\p{N}*•])(?:[*xX•]{2,}[ -]?)+`,
  String.raw`(?<![\p{L}])last (?:4|four) (?:digits?|numbers?)(?: of (?:my|the) \p{L}+)?(?: (?:is|are|was|were))?[: ]*`,
  String.raw`(?<![\p{L}])(?:4|empat) (?:digit|angka|nomor) (?:terakhir|belakang)(?:nya)?(?: (?:adalah|yaitu|yakni))?[: ]*`,
  String.raw`(?<![\p{L}])(?:berakhiran|berakhir (?:dengan|di)|akhiran|belakangnya) `,
  String.raw`(?:尾号|尾號|尾数|尾數|末四位|后四位|後四位|末4位|后4位|後4位)(?:是|为|為|:)?\s*`,
  // "ending in 4321" is a hint only where it cannot be a year, or a card/account is named just before.
  String.raw`(?<![\p{L}])(?<ending>(?:ending|ends|ended) (?:in|with) )`,
].join('|');

const HINT = new RegExp(
  // What redaction leaves of a card number, or a cue and exactly four digits.
  String.raw`\[card \*{4}(?<redacted>\d{4})\]|(?:${CUE})(?<last4>\d{4})(?!\d|[ -]\d|[.,]\d)`,
  'giu',
);

const ACCOUNT_WORD = /\b(?:card|account|acct|a\/c|visa|master ?card|amex|jcb|debit|credit|phone|number|no\.?)\b/i;

export function findAccountHints(text: string): AccountHintFact[] {
  const out: AccountHintFact[] = [];
  for (const m of execAll(HINT, text)) {
    const g = m.groups!;
    const last4 = (g.redacted ?? g.last4)!;
    if (g.ending && /^(?:19|20)\d\d$/.test(last4) && !ACCOUNT_WORD.test(text.slice(Math.max(0, m.index - 40), m.index))) {
      continue;
    }
    out.push({ kind: 'account_hint', value: { last4 }, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return out;
}
