import { describe, expect, it } from 'vitest';
import { findAmounts, formatAmount, parseNumber } from '../../src/pipeline/facts/amounts.js';

const first = (text: string) => {
  const [a] = findAmounts(text);
  return a ? { value: a.value, currency: a.currency, text: a.text } : null;
};

describe('findAmounts', () => {
  it.each([
    ['saldo Rp 1.500.000 hilang', 1_500_000, 'IDR', 'Rp 1.500.000'],
    ['Rp1.500.000', 1_500_000, 'IDR', 'Rp1.500.000'],
    ['IDR 750,000 was taken', 750_000, 'IDR', 'IDR 750,000'],
    ['udh transfer 1,5 juta', 1_500_000, 'IDR', '1,5 juta'],
    ['top up 100rb gak masuk', 100_000, 'IDR', '100rb'],
    ['kepotong 2jt', 2_000_000, 'IDR', '2jt'],
    ['charged $1,250.00 twice', 1250, 'USD', '$1,250.00'],
    ['it was $1.50', 1.5, 'USD', '$1.50'],
    ['RM 50 hilang', 50, 'MYR', 'RM 50'],
    ['₱500 missing', 500, 'PHP', '₱500'],
    ['扣了2000元', 2000, 'CNY', '2000元'],
    ['¥2000 不见了', 2000, 'CNY', '¥2000'],
    ['余额少了1.5万', 15_000, 'CNY', '1.5万'],
    ['kepotong 1.500rb', 1_500_000, 'IDR', '1.500rb'],
  ])('%s', (text, value, currency, written) => {
    expect(first(text)).toEqual({ value, currency, text: written });
  });

  it.each([
    ['a phone number', 'call 0812-3456-7890'],
    ['a date', 'on 2026-11-18'],
    ['a bare number', 'I tried 3 times, order 88123456'],
    ['k without currency', 'the app has 10k reviews'],
  ])('finds no amount in %s', (_label, text) => {
    expect(findAmounts(text)).toEqual([]);
  });

  it('reads "1.500" as one thousand five hundred in rupiah and one and a half in dollars', () => {
    expect(parseNumber('1.500', 'IDR', false)).toBe(1500);
    expect(parseNumber('1.500', 'USD', false)).toBe(1.5);
    expect(parseNumber('1.250,00', 'EUR', false)).toBe(1250);
  });

  it('formats amounts the way the team reads them', () => {
    expect(formatAmount({ value: 1_500_000, currency: 'IDR' })).toBe('Rp 1.500.000');
    expect(formatAmount({ value: 1250, currency: 'USD' })).toBe('$ 1,250');
  });
});
