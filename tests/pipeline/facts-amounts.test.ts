import { describe, expect, it } from 'vitest';
import { extractFacts } from '../../src/pipeline/facts/facts.js';

const ctx = { sentAt: new Date('2026-11-26T03:00:00Z'), timeZone: 'Asia/Jakarta' };
const amounts = (text: string) => extractFacts(text, ctx).amounts.map((f) => [f.text, f.value.value, f.value.currency]);

describe('amount facts', () => {
  it.each([
    ['en', 'charged $1,250.00 twice', '$1,250.00', 1250, 'USD'],
    ['en', 'it was only $1.50', '$1.50', 1.5, 'USD'],
    ['en', 'IDR 750,000 was taken', 'IDR 750,000', 750_000, 'IDR'],
    ['en', 'lost RM 50 and ₱500', 'RM 50', 50, 'MYR'],
    ['id', 'saldo Rp 1.500.000 hilang', 'Rp 1.500.000', 1_500_000, 'IDR'],
    ['id', 'cuma Rp 1.500 kok lama', 'Rp 1.500', 1500, 'IDR'],
    ['id', 'udah transfer 1,5 juta', '1,5 juta', 1_500_000, 'IDR'],
    ['id', 'top up 100rb gak masuk', '100rb', 100_000, 'IDR'],
    ['id', 'kepotong 1.500rb', '1.500rb', 1_500_000, 'IDR'],
    ['zh', '扣了2000元', '2000元', 2000, 'CNY'],
    ['zh', '¥2000不见了', '¥2000', 2000, 'CNY'],
    ['zh', '余额少了1.5万', '1.5万', 15_000, 'CNY'],
  ])('%s: %s', (_lang, text, written, value, currency) => {
    expect(amounts(text)[0]).toEqual([written, value, currency]);
  });

  it('reads "1.500" as 1,500 in rupiah and 1.5 in dollars', () => {
    expect(amounts('Rp 1.500')).toEqual([['Rp 1.500', 1500, 'IDR']]);
    expect(amounts('$1.500')).toEqual([['$1.500', 1.5, 'USD']]);
  });

  it.each([
    ['a phone number', 'hubungi 0812-3456-7890'],
    ['an international phone number', 'call me at +62 812 3456 7890'],
    ['a Chinese mobile number', '电话138-1234-5678'],
    ['a date', 'transaksi tgl 12.11.2026'],
    ['a time', 'jam 14.30 saldo terpotong'],
    ['an id', 'order id 8812345678'],
    ['an id with a currency inside', 'order id ORD-RM1234567 please check'],
    ['a number with no currency', 'saya sudah 3 kali telepon, 1.500 orang juga'],
    ['a masked card', 'kartu [card ****1111]'],
  ])('finds no amount in %s', (_label, text) => {
    expect(amounts(text)).toEqual([]);
  });
});
