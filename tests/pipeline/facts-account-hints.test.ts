import { describe, expect, it } from 'vitest';
import { findAccountHints } from '../../src/pipeline/facts/account-hints.js';
import { redactSecrets } from '../../src/pipeline/redact.js';

const found = (text: string) => findAccountHints(text).map((f) => [f.text, f.value.last4]);

describe('findAccountHints', () => {
  it.each([
    ['en', 'my card ending in 4321 was charged', 'ending in 4321', '4321'],
    ['en', 'last 4 digits of my card are 9876', 'last 4 digits of my card are 9876', '9876'],
    ['en', 'debited from ****5678', '****5678', '5678'],
    ['en', 'card XXXX-XXXX-XXXX-1234', 'XXXX-XXXX-XXXX-1234', '1234'],
    ['id', 'kartu berakhiran 1234 terpotong', 'berakhiran 1234', '1234'],
    ['id', 'rekening dengan 4 digit terakhir 5566', '4 digit terakhir 5566', '5566'],
    ['id', 'empat angka terakhir: 7788', 'empat angka terakhir: 7788', '7788'],
    ['zh', '尾号1234的卡被扣款', '尾号1234', '1234'],
    ['zh', '银行卡后四位是8899', '后四位是8899', '8899'],
    ['redacted', 'kartu [card ****1111] kena charge', '[card ****1111]', '1111'],
  ])('%s: %s', (_lang, text, written, last4) => {
    expect(found(text)).toEqual([[written, last4]]);
  });

  it('reads the hint redaction leaves of a full card number, and only its last four digits', () => {
    const { text } = redactSecrets('charged on 4111 1111 1111 1111 yesterday');
    expect(found(text)).toEqual([['[card ****1111]', '1111']]);
  });

  it.each([
    ['more than four digits after the cue', 'card ending in 12345'],
    ['a number that runs on', 'berakhiran 1234 5678 9012'],
    ['a year after "ending in"', 'my subscription ending in 2026'],
    ['an amount after the cue', 'ending with 1.500 rupiah'],
    ['four digits with no cue', 'order 1234 failed'],
    ['a phone number', 'call 0812-3456-7890'],
  ])('finds no hint in %s', (_label, text) => {
    expect(found(text)).toEqual([]);
  });

  it('keeps a year-like ending when a card is named just before', () => {
    expect(found('my visa card ending in 2019')).toEqual([['ending in 2019', '2019']]);
  });

  it('never outputs more than four digits and keeps spans true to the text', () => {
    const text = 'kartu berakhiran 1234, ****5678, 尾号4321 and [card ****1111]';
    const facts = findAccountHints(text);
    expect(facts).toHaveLength(4);
    for (const f of facts) {
      expect(text.slice(f.start, f.end)).toBe(f.text);
      expect(f.text.replace(/\D/g, '')).toHaveLength(4);
    }
  });
});
