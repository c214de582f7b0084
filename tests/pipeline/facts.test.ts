import { describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE_PATTERNS } from '../../src/config/defaults.js';
import { extractFacts, rollUpFacts, type Fact, type Facts } from '../../src/pipeline/facts/facts.js';
import { redactSecrets } from '../../src/pipeline/redact.js';
import { ReferenceRecogniser, RequestNumberFormat } from '../../src/pipeline/request-numbers.js';

const references = new ReferenceRecogniser(new RequestNumberFormat('REQ-{YYYY}-{SEQ:6}'), DEFAULT_REFERENCE_PATTERNS);
// 00:30 on 26 Nov in Jakarta; 18:30 on 25 Nov in Amsterdam.
const sentAt = new Date('2026-11-25T17:30:00Z');
const jakarta = { sentAt, timeZone: 'Asia/Jakarta', references };

const all = (facts: Facts): Fact[] =>
  [...facts.amounts, ...facts.datetimes, ...facts.ids, ...facts.channels, ...facts.accountHints].sort((a, b) => a.start - b.start);
const summary = (facts: Facts) => all(facts).map((f) => [f.kind, f.text]);

describe('extractFacts', () => {
  it('reads an Indonesian complaint', () => {
    const text =
      'Halo admin, kemarin jam 10 saya top up Rp 1.500.000 lewat transfer ke rekening BCA, no. transaksi TRX88123456, ' +
      'tapi saldo belum masuk. Kartu berakhiran 4321. Tiket REQ-2026-000123, hubungi 0812-3456-7890.';
    const facts = extractFacts(text, jakarta);
    expect(summary(facts)).toEqual([
      ['datetime', 'kemarin jam 10'],
      ['amount', 'Rp 1.500.000'],
      ['channel', 'transfer ke rekening'],
      ['id', 'TRX88123456'],
      ['account_hint', 'berakhiran 4321'],
    ]);
    expect(facts.datetimes[0]!.value).toEqual({ date: '2026-11-25', time: '10:00', relative: true });
    expect(facts.amounts[0]!.value).toEqual({ value: 1_500_000, currency: 'IDR' });
    expect(facts.ids[0]!.value).toEqual({ value: 'TRX88123456', system: 'transaction' });
  });

  it('reads an English complaint', () => {
    const text = 'Yesterday evening my credit card ending in 9876 was charged $1,250.00 for order #A55667788. Call +62 812 3456 7890.';
    expect(summary(extractFacts(text, jakarta))).toEqual([
      ['datetime', 'Yesterday evening'],
      ['channel', 'credit card'],
      ['account_hint', 'ending in 9876'],
      ['amount', '$1,250.00'],
      ['id', 'A55667788'],
    ]);
  });

  it('reads a Chinese complaint (no spaces)', () => {
    const text = '昨天下午3点用支付宝扫码付了2000元，订单号2026111212345678，尾号1234的卡也被扣了，电话13812345678';
    const facts = extractFacts(text, jakarta);
    expect(summary(facts)).toEqual([
      ['datetime', '昨天下午3点'],
      ['channel', '支付宝'],
      ['channel', '扫码'],
      ['amount', '2000元'],
      ['id', '2026111212345678'],
      ['account_hint', '尾号1234'],
    ]);
    expect(facts.datetimes[0]!.value).toEqual({ date: '2026-11-25', time: '15:00', partOfDay: 'afternoon', relative: true });
  });

  it('resolves "kemarin jam 10" in the team time zone, across midnight', () => {
    const text = 'kemarin jam 10 transfer gagal';
    expect(extractFacts(text, jakarta).datetimes[0]!.value.date).toBe('2026-11-25');
    expect(extractFacts(text, { sentAt, timeZone: 'Europe/Amsterdam' }).datetimes[0]!.value.date).toBe('2026-11-24');
  });

  it.each([
    ['a phone number', 'hubungi saya di 0812-3456-7890', []],
    ['an international phone number', 'call +62 812 3456 7890 please', []],
    ['a Chinese mobile number', '电话138-1234-5678', []],
    ['a phone number after an id cue', 'order id 08123456789', []],
    ['a bare number after a weak cue', 'transaksi 50000 gagal', []],
    ['a number with neither currency nor cue', '1.500 orang kena juga', []],
    ['a date beside an amount', 'tgl 12.11.2026 Rp 12.110', [['datetime', '12.11.2026'], ['amount', 'Rp 12.110']]],
    ['a time beside an amount', 'jam 14.30 kepotong 14.300 rupiah', [['datetime', 'jam 14.30'], ['amount', '14.300 rupiah']]],
    ['a date after an id cue', 'no. ref 2026-11-12', [['datetime', '2026-11-12']]],
    ['an id beside an amount', 'order id 20261112001 Rp 50.000', [['id', '20261112001'], ['amount', 'Rp 50.000']]],
    ['our request number', 'ref REQ-2026-000123 Rp 50.000', [['amount', 'Rp 50.000']]],
  ])('tells %s apart', (_label, text, expected) => {
    expect(summary(extractFacts(text, jakarta))).toEqual(expected);
  });

  it('gives an invoice id its characters, not a date or an amount', () => {
    const facts = extractFacts('invoice INV/2026/11/12/RM1234 belum dibayar', jakarta);
    expect(summary(facts)).toEqual([['id', 'INV/2026/11/12/RM1234']]);
  });

  it('reads facts from redacted text and never sees the card number', () => {
    const { text } = redactSecrets('kartu 4111 1111 1111 1111 kena Rp 250.000 tadi pagi');
    const facts = extractFacts(text, jakarta);
    expect(summary(facts)).toEqual([
      ['account_hint', '[card ****1111]'],
      ['amount', 'Rp 250.000'],
      ['datetime', 'tadi pagi'],
    ]);
    expect(JSON.stringify(facts)).not.toMatch(/4111/);
  });

  it('finds nothing in text without facts', () => {
    expect(all(extractFacts('Selamat pagi, aplikasinya lambat sekali. Tolong diperbaiki.', jakarta))).toEqual([]);
    expect(all(extractFacts('', jakarta))).toEqual([]);
  });

  it.each([
    ['id', 'Tgl 12/11/2026 jam 14.30 bayar QRIS Rp 75.000 ref 99887766A, kartu ****5678'],
    ['en', 'On Nov 12 at 3pm I paid IDR 750,000 by virtual account, order id 55443322, account ending in 1234'],
    ['zh', '2026年11月12日下午3点微信支付¥300，交易单号：4200001234567，卡号后四位是8899'],
  ])('keeps every span true to the text (%s)', (_lang, text) => {
    const facts = all(extractFacts(text, jakarta));
    expect(facts.length).toBeGreaterThanOrEqual(5);
    for (const f of facts) expect(text.slice(f.start, f.end)).toBe(f.text);
  });
});

describe('rollUpFacts', () => {
  it('keeps each value once, with the first span and the message it belongs to', () => {
    const first = extractFacts('kemarin jam 10 top up Rp 1.500.000 via VA, no. transaksi TRX88123456', jakarta);
    const second = extractFacts('Re: TRX88123456 masih belum masuk, Rp1.500.000, pakai kartu debit', jakarta);
    const rolled = rollUpFacts([first, second]);
    expect(rolled.amounts).toEqual([{ ...first.amounts[0]!, message: 0 }]);
    expect(rolled.ids).toEqual([{ ...first.ids[0]!, message: 0 }]);
    expect(rolled.channels.map((c) => [c.value.channel, c.message])).toEqual([
      ['virtual_account', 0],
      ['card', 1],
    ]);
    expect(rolled.datetimes).toHaveLength(1);
  });

  it('keeps different values apart and returns empty lists for an empty case', () => {
    const a = extractFacts('Rp 100.000', jakarta);
    const b = extractFacts('Rp 200.000', jakarta);
    expect(rollUpFacts([a, b]).amounts.map((f) => f.value.value)).toEqual([100_000, 200_000]);
    expect(rollUpFacts([])).toEqual({ amounts: [], datetimes: [], ids: [], channels: [], accountHints: [] });
  });
});
