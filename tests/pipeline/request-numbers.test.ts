import { describe, expect, it } from 'vitest';
import { DEFAULT_REFERENCE_PATTERNS } from '../../src/config/defaults.js';
import { redactSecrets } from '../../src/pipeline/redact.js';
import { ReferenceRecogniser, RequestNumberFormat } from '../../src/pipeline/request-numbers.js';

const format = new RequestNumberFormat('REQ-{YYYY}-{SEQ:6}');
const recogniser = new ReferenceRecogniser(format, DEFAULT_REFERENCE_PATTERNS);
const values = (text: string) => recogniser.recognise(text).map((r) => `${r.system}:${r.value}`);

describe('issuing request numbers', () => {
  it('formats the default REQ-YYYY-NNNNNN in the team time zone', () => {
    // 2026-12-31 20:00 UTC is already 2027 in Jakarta.
    const newYearInJakarta = new Date('2026-12-31T20:00:00Z');
    expect(format.issue(123, newYearInJakarta, 'Asia/Jakarta')).toBe('REQ-2027-000123');
    expect(format.issue(123, newYearInJakarta, 'UTC')).toBe('REQ-2026-000123');
  });

  it('scopes the sequence by what the format shows, so a yearly format restarts each year', () => {
    const d = new Date('2026-06-01T00:00:00Z');
    expect(format.scope(d, 'UTC')).toBe('REQ-2026-#');
    expect(new RequestNumberFormat('CM{YY}/{SEQ:5}').issue(7, d, 'UTC')).toBe('CM26/00007');
    expect(new RequestNumberFormat('T-{SEQ:8}').scope(d, 'UTC')).toBe('T-#');
  });

  it('rejects a format without a sequence', () => {
    expect(() => new RequestNumberFormat('REQ-{YYYY}')).toThrow(/SEQ/);
  });
});

describe('recognising our own numbers', () => {
  it.each([
    ['my ticket REQ-2026-000123 is still open', 'issued:REQ-2026-000123'],
    ['nomor req 2026 123 belum selesai', 'issued:REQ-2026-000123'],
    ['REQ2026000123', 'issued:REQ-2026-000123'],
    ['(Req-2026-000123)', 'issued:REQ-2026-000123'],
    ['工单REQ-2026-000045还没处理', 'issued:REQ-2026-000045'],
  ])('%s', (text, expected) => {
    expect(values(text)).toEqual([expected]);
  });

  it('finds a custom format', () => {
    const custom = new RequestNumberFormat('CM{YY}/{SEQ:5}');
    expect(custom.recognise('see cm26/00042 please').map((r) => r.value)).toEqual(['CM26/00042']);
  });

  it('lists each number once, in order of appearance, across subject and body', () => {
    const found = recogniser.recognise('Re: REQ-2026-000002', 'again REQ-2026-000001 and REQ-2026-000002');
    expect(found.map((r) => r.value)).toEqual(['REQ-2026-000002', 'REQ-2026-000001']);
  });
});

describe('recognising other systems\' numbers', () => {
  it.each([
    ['I called the hotline, report number CS-2611-0042', 'hotline:2611-0042'],
    ['my ticket #4471829 from last month', 'helpdesk:4471829'],
    ['tiket no. 4471829 belum ada kabar', 'helpdesk:4471829'],
    ['nomor laporan: 55123901', 'helpdesk:55123901'],
    ['工单号：4471829', 'helpdesk:4471829'],
    ['case number 99812345', 'helpdesk:99812345'],
  ])('%s', (text, expected) => {
    expect(values(text)).toEqual([expected]);
  });
});

describe('never takes these for request numbers', () => {
  it.each([
    ['en amount', 'I was charged $1,250.00 twice'],
    ['id amount', 'saldo Rp 1.500.000 hilang'],
    ['id colloquial amount', 'udh transfer 1,5jt tp blm masuk'],
    ['zh amount', '扣了2000元'],
    ['id phone', 'hubungi saya di 0812-3456-7890'],
    ['intl phone', 'call +62 812 3456 7890'],
    ['date', 'since 2026-11-18 and 18/11/2026'],
    ['card number (after redaction)', redactSecrets('card 4111 1111 1111 1111').text],
    ['order id', 'Order #INV/20261118/MPL/3345123 not delivered'],
    ['order number', 'order number 88123456 is late'],
    ['bank reference', 'no. ref 20261118123456 dari BCA'],
    ['bank account', 'rekening BCA 1234567890'],
    ['zh order', '订单号 202611180001 没发货'],
    ['travel ticket in Indonesian', 'beli tiket pesawat 2 kali'],
    ['a year alone', 'REQ 2026'],
  ])('%s', (_label, text) => {
    expect(values(text)).toEqual([]);
  });
});
