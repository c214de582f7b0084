import { describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE_PATTERNS } from '../../src/config/defaults.js';
import { findIds } from '../../src/pipeline/facts/ids.js';
import { ReferenceRecogniser, RequestNumberFormat } from '../../src/pipeline/request-numbers.js';

const references = new ReferenceRecogniser(new RequestNumberFormat('REQ-{YYYY}-{SEQ:6}'), DEFAULT_REFERENCE_PATTERNS);
const found = (text: string) => findIds(text, references).map((f) => [f.value.system, f.value.value]);

describe('findIds', () => {
  it.each([
    ['en', 'order id 8812345678 never arrived', 'order', '8812345678'],
    ['en', 'Transaction ID: TRX20261112ABC9', 'transaction', 'TRX20261112ABC9'],
    ['en', 'ref: 0A1B2C3D4 on the receipt', 'reference', '0A1B2C3D4'],
    ['en', 'order #556677 failed', 'order', '556677'],
    ['en', 'invoice INV/20171128/XVII/XI/123456', 'invoice', 'INV/20171128/XVII/XI/123456'],
    ['en', 'see INV/20171128/XVII/XI/123456 please', 'invoice', 'INV/20171128/XVII/XI/123456'],
    ['id', 'no. transaksi: 202611120001 belum masuk', 'transaction', '202611120001'],
    ['id', 'nomor pesanan TKP-88123-A', 'order', 'TKP-88123-A'],
    ['id', 'ID transaksi 7712345 gagal', 'transaction', '7712345'],
    ['id', 'no ref 4455667788', 'reference', '4455667788'],
    ['id', 'kode pembayaran 88081234567', 'payment', '88081234567'],
    ['id', 'nomor resi JP1234567890', 'receipt', 'JP1234567890'],
    ['zh', '订单号2026111212345678没到账', 'order', '2026111212345678'],
    ['zh', '交易单号：4200001234567', 'transaction', '4200001234567'],
    ['zh', '流水号是 ABC123456', 'transaction', 'ABC123456'],
  ])('%s: %s', (_lang, text, system, value) => {
    expect(found(text)).toEqual([[system, value]]);
  });

  it.each([
    ['a phone number after "order no"', 'order no 081234567890'],
    ['a phone number with dashes', 'ref 0812-3456-7890'],
    ['an international phone number', 'no. transaksi +62 812 3456 7890'],
    ['a Chinese mobile number', '订单号13812345678'],
    ['a date', 'transaction 2026-11-12 failed'],
    ['a compact date', 'ref 20261112'],
    ['an amount after a bare noun', 'transaksi 50000 gagal'],
    ['an amount with a multiplier', 'order 150rb belum sampai'],
    ['an amount with a currency word', 'order 150000 rupiah'],
    ['an amount with thousands separators', 'pembayaran 1.500.000 gagal'],
    ['a currency-prefixed amount', 'payment Rp150000 gagal'],
    ['our request number', 'ref REQ-2026-000123 is still open'],
    ['a hotline report number', 'ref CS-2611-0042'],
    ['a word that only starts like a cue', 'refund 12345678 please'],
    ['a number with no cue', 'I tried 88123456 times'],
    ['a short number', 'order 123'],
  ])('finds no id in %s', (_label, text) => {
    expect(found(text)).toEqual([]);
  });

  it('keeps the id, not its cue, as the span', () => {
    const text = 'Halo, no. transaksi TRX123456 dan 订单号 88123456789';
    const facts = findIds(text, references);
    expect(facts.map((f) => f.text)).toEqual(['TRX123456', '88123456789']);
    for (const f of facts) expect(text.slice(f.start, f.end)).toBe(f.text);
  });
});
