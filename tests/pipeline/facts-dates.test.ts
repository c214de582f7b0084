import { describe, expect, it } from 'vitest';
import { findDateTimes } from '../../src/pipeline/facts/dates.js';

// 2026-11-26 10:00 in Jakarta (UTC+7), a Thursday.
const MORNING = { sentAt: new Date('2026-11-26T03:00:00Z'), timeZone: 'Asia/Jakarta' };
// 00:30 on 26 Nov in Jakarta, still 18:30 on 25 Nov in Amsterdam.
const AFTER_MIDNIGHT = new Date('2026-11-25T17:30:00Z');

const found = (text: string, ctx = MORNING) => findDateTimes(text, ctx).map((f) => ({ text: f.text, ...f.value }));

describe('findDateTimes: absolute dates', () => {
  it.each([
    ['en', 'charged twice on 12/11/2026', '12/11/2026', { date: '2026-11-12', relative: false }],
    ['en', 'it was 11/25/2026, not later', '11/25/2026', { date: '2026-11-25', relative: false }],
    ['en', 'on 12 Nov the money left', '12 Nov', { date: '2026-11-12', relative: false }],
    ['en', 'November 12th, 2026 at 3pm', 'November 12th, 2026 at 3pm', { date: '2026-11-12', time: '15:00', relative: false }],
    ['en', 'log says 2026-11-12T14:30:00', '2026-11-12T14:30:00', { date: '2026-11-12', time: '14:30', relative: false }],
    ['en', 'log says 2026-11-12T20:30:00Z', '2026-11-12T20:30:00Z', { date: '2026-11-13', time: '03:30', relative: false }],
    ['en', 'log says 2026-11-12 14:30+08:00', '2026-11-12 14:30+08:00', { date: '2026-11-12', time: '13:30', relative: false }],
    ['id', 'tgl 12 november jam 14.30 saya transfer', '12 november jam 14.30', { date: '2026-11-12', time: '14:30', relative: false }],
    ['id', 'transaksi 12.11.2026 gagal', '12.11.2026', { date: '2026-11-12', relative: false }],
    ['id', 'tanggal 3/11 saldo terpotong', '3/11', { date: '2026-11-03', relative: false }],
    ['id', 'pada 1 Des 2026 pukul 09.15 WIB', '1 Des 2026 pukul 09.15 WIB', { date: '2026-12-01', time: '09:15', relative: false }],
    ['zh', '2026年11月12日 下午3点付款的', '2026年11月12日 下午3点', { date: '2026-11-12', time: '15:00', partOfDay: 'afternoon', relative: false }],
    ['zh', '11月12号晚上8点半扣款', '11月12号晚上8点半', { date: '2026-11-12', time: '20:30', partOfDay: 'night', relative: false }],
    ['zh', '2026/11/12 14:30 转账', '2026/11/12 14:30', { date: '2026-11-12', time: '14:30', relative: false }],
  ])('%s: %s', (_lang, text, written, value) => {
    expect(found(text)).toEqual([{ text: written, ...value }]);
  });

  it('gives a day of the month alone its latest occurrence at or before the message', () => {
    expect(found('tgl 12 saya top up')).toEqual([{ text: '12', date: '2026-11-12', relative: true }]);
    expect(found('tanggal 30 kepotong')).toEqual([{ text: '30', date: '2026-10-30', relative: true }]);
    expect(found('on the 31st I paid')).toEqual([{ text: '31st', date: '2026-10-31', relative: true }]);
    expect(found('tgl 26 jam 9')).toEqual([{ text: '26 jam 9', date: '2026-11-26', time: '09:00', relative: true }]);
  });

  it('gives a year-less date the latest year at most a month ahead of the message', () => {
    expect(found('paid on May 5')[0]?.date).toBe('2026-05-05');
    expect(found('refund promised by 20 Dec')[0]?.date).toBe('2026-12-20');
    const january = { sentAt: new Date('2027-01-03T03:00:00Z'), timeZone: 'Asia/Jakarta' };
    expect(found('tgl 28 Des saya top up', january)[0]?.date).toBe('2026-12-28');
  });
});

describe('findDateTimes: relative days, resolved against the message time', () => {
  it.each([
    ['en', 'I paid yesterday', 'yesterday', { date: '2026-11-25', relative: true }],
    ['en', 'yesterday evening the app crashed', 'yesterday evening', { date: '2026-11-25', partOfDay: 'evening', relative: true }],
    ['en', 'this morning at 8:15', 'this morning at 8:15', { date: '2026-11-26', time: '08:15', partOfDay: 'morning', relative: true }],
    ['en', 'last night at 11pm', 'last night at 11pm', { date: '2026-11-25', time: '23:00', partOfDay: 'night', relative: true }],
    ['en', 'the day before yesterday', 'the day before yesterday', { date: '2026-11-24', relative: true }],
    ['en', 'three days ago', 'three days ago', { date: '2026-11-23', relative: true }],
    ['en', 'about 3 hours ago', '3 hours ago', { date: '2026-11-26', time: '07:00', relative: true }],
    ['id', 'kemarin jam 10 saya top up', 'kemarin jam 10', { date: '2026-11-25', time: '10:00', relative: true }],
    ['id', 'kemarin malam jam 8', 'kemarin malam jam 8', { date: '2026-11-25', time: '20:00', partOfDay: 'night', relative: true }],
    ['id', 'tadi pagi saldo hilang', 'tadi pagi', { date: '2026-11-26', partOfDay: 'morning', relative: true }],
    ['id', 'tadi jam 9 bayar', 'tadi jam 9', { date: '2026-11-26', time: '09:00', relative: true }],
    ['id', 'kmrn sore jam 4', 'kmrn sore jam 4', { date: '2026-11-25', time: '16:00', partOfDay: 'afternoon', relative: true }],
    ['id', '2 hari yang lalu', '2 hari yang lalu', { date: '2026-11-24', relative: true }],
    ['id', 'semalam', 'semalam', { date: '2026-11-25', partOfDay: 'night', relative: true }],
    ['id', 'sejam yang lalu', 'sejam yang lalu', { date: '2026-11-26', time: '09:00', relative: true }],
    ['id', 'hari ini pukul 08.30', 'hari ini pukul 08.30', { date: '2026-11-26', time: '08:30', relative: true }],
    ['zh', '昨天下午付的钱', '昨天下午', { date: '2026-11-25', partOfDay: 'afternoon', relative: true }],
    ['zh', '昨晚十点扣款', '昨晚十点', { date: '2026-11-25', time: '22:00', partOfDay: 'night', relative: true }],
    ['zh', '前天转账', '前天', { date: '2026-11-24', relative: true }],
    ['zh', '今天上午9点', '今天上午9点', { date: '2026-11-26', time: '09:00', partOfDay: 'morning', relative: true }],
    ['zh', '3天前充值', '3天前', { date: '2026-11-23', relative: true }],
    ['zh', '半小时前', '半小时前', { date: '2026-11-26', time: '09:30', relative: true }],
  ])('%s: %s', (_lang, text, written, value) => {
    expect(found(text)).toEqual([{ text: written, ...value }]);
  });

  // MORNING is a Thursday.
  it.each([
    ['en', 'on Monday I paid', 'Monday', '2026-11-23'],
    ['en', 'Thursday morning', 'Thursday morning', '2026-11-26'],
    ['en', 'last Thursday', 'last Thursday', '2026-11-19'],
    ['id', 'hari Senin jam 10', 'hari Senin jam 10', '2026-11-23'],
    ['id', 'Jumat lalu', 'Jumat lalu', '2026-11-20'],
    ['id', 'hari minggu', 'hari minggu', '2026-11-22'],
    ['zh', '周日充值的', '周日', '2026-11-22'],
    ['zh', '上周一下午', '上周一下午', '2026-11-16'],
    ['zh', '星期四', '星期四', '2026-11-26'],
  ])('%s: a weekday, %s', (_lang, text, written, date) => {
    expect(found(text)).toMatchObject([{ text: written, date, relative: true }]);
  });

  it('reads a time without a day as its latest occurrence before the message', () => {
    expect(found('at 3pm the payment failed')).toEqual([{ text: '3pm', date: '2026-11-25', time: '15:00', relative: true }]);
    expect(found('jam 9 pagi')).toEqual([{ text: 'jam 9 pagi', date: '2026-11-26', time: '09:00', partOfDay: 'morning', relative: true }]);
    expect(found('at 10:30')).toEqual([{ text: '10:30', date: '2026-11-25', time: '10:30', relative: true }]);
  });

  it('gives a time later in the same sentence the day said before it', () => {
    expect(found('kemarin saya top up Rp 50.000 jam 11, belum masuk')).toEqual([
      { text: 'kemarin', date: '2026-11-25', relative: true },
      { text: 'jam 11', date: '2026-11-25', time: '11:00', relative: true },
    ]);
    expect(found('On 12/11/2026 I paid, and at 3pm it failed')[1]).toEqual({ text: '3pm', date: '2026-11-12', time: '15:00', relative: false });
    // A new sentence: the time stands alone again (the latest 09:00 at or before 10:00 on the 26th).
    expect(found('2 hari lalu saya top up. Jam 9 sudah dicek')[1]).toEqual({ text: 'Jam 9', date: '2026-11-26', time: '09:00', relative: true });
    expect(found('2 hari lalu saya top up jam 9')[1]).toEqual({ text: 'jam 9', date: '2026-11-24', time: '09:00', relative: true });
    expect(found('Selasa lalu. Jam 9 pagi ini')[1]?.date).toBe('2026-11-26');
  });

  it('says "tadi malam" of tonight in the evening and of last night in the morning', () => {
    const evening = { sentAt: new Date('2026-11-26T14:00:00Z'), timeZone: 'Asia/Jakarta' }; // 21:00
    expect(found('tadi malam', evening)[0]?.date).toBe('2026-11-26');
    expect(found('tadi malam')[0]?.date).toBe('2026-11-25');
  });
});

describe('findDateTimes: across midnight in the team time zone', () => {
  it.each([
    ['Asia/Jakarta', 'kemarin jam 10', '2026-11-25', '10:00'],
    ['Europe/Amsterdam', 'kemarin jam 10', '2026-11-24', '10:00'],
    ['Asia/Jakarta', 'yesterday at 10 am', '2026-11-25', '10:00'],
    ['Europe/Amsterdam', 'yesterday at 10 am', '2026-11-24', '10:00'],
    ['Asia/Jakarta', '昨天上午10点', '2026-11-25', '10:00'],
    ['Europe/Amsterdam', '昨天上午10点', '2026-11-24', '10:00'],
    // A time with no day: 23:00 has not come yet at 00:30 in Jakarta, so it was the day before.
    ['Asia/Jakarta', 'jam 23.00', '2026-11-25', '23:00'],
    ['Europe/Amsterdam', 'jam 18.00', '2026-11-25', '18:00'],
    ['Asia/Jakarta', '1 jam lalu', '2026-11-25', '23:30'],
    ['Europe/Amsterdam', '1 jam lalu', '2026-11-25', '17:30'],
  ])('%s: %s', (timeZone, text, date, time) => {
    expect(found(text, { sentAt: AFTER_MIDNIGHT, timeZone })).toMatchObject([{ date, time, relative: true }]);
  });

  it('takes "today" as the local day, not the UTC one', () => {
    expect(found('hari ini', { sentAt: AFTER_MIDNIGHT, timeZone: 'Asia/Jakarta' })[0]?.date).toBe('2026-11-26');
    expect(found('hari ini', { sentAt: AFTER_MIDNIGHT, timeZone: 'UTC' })[0]?.date).toBe('2026-11-25');
  });
});

describe('findDateTimes: traps', () => {
  it.each([
    ['an Indonesian greeting', 'Selamat malam admin, mohon bantuannya'],
    ['an English greeting', 'Good morning, please help'],
    ['a Chinese greeting', '早上好，请帮忙'],
    ['"a little" in Chinese', '请快一点处理'],
    ['a duration in hours and minutes', 'sudah 2 jam 15 menit menunggu'],
    ['an amount', 'saldo Rp 1.500.000 hilang'],
    ['a decimal that looks like a time', 'rating turun ke 14.30 persen'],
    ['a phone number', 'hubungi 0812-3456-7890'],
    ['an international phone number', 'call +62 812 3456 7890'],
    ['a lower-case "may"', 'you may 5 times refuse'],
    ['an impossible date', 'on 31/02/2026'],
    ['an impossible time', 'jam 27'],
    ['midnight written as 24', 'jam 24'],
    ['"minggu" meaning week', '2 minggu lalu saya top up'],
    ['a habit', 'every Monday the app is slow, setiap Senin juga, 每周一都这样'],
    ['office hours', 'CS buka Senin sampai Jumat, Monday to Friday, 周一到周五'],
    ['a day number that is an amount', 'tgl 12.500 rupiah'],
    ['"tadi" alone', 'yang tadi saya bilang'],
    ['a year alone', 'since 2026 I use the app'],
  ])('finds no date in %s', (_label, text) => {
    expect(found(text)).toEqual([]);
  });

  it('keeps every span true to the text', () => {
    const text = 'Halo, kemarin malam jam 8 (25/11/2026) dan 昨天下午3点 and this morning at 8:15';
    const facts = findDateTimes(text, MORNING);
    expect(facts).toHaveLength(4);
    for (const f of facts) expect(text.slice(f.start, f.end)).toBe(f.text);
  });
});
