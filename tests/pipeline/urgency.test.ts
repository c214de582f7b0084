import { describe, expect, it } from 'vitest';
import { compactNumber, ordinal, UrgencyEngine } from '../../src/pipeline/urgency/engine.js';
import { compilePattern, loadRules, parseRules, RulesError, type UrgencyRules } from '../../src/pipeline/urgency/rules.js';

const defaults = loadRules();
const engine = new UrgencyEngine(defaults);
const score = (text: string, followers?: number) => engine.assess(engine.textReasons(text), followers, undefined);

describe('default rules: levels follow the triage rubric', () => {
  it.each([
    ['en unauthorised transaction', 'Someone made an unauthorised transaction on my account', 'critical'],
    ['id money missing', 'saldo saya hilang padahal gak ada transaksi', 'critical'],
    ['zh account stolen', '我的账号被盗了', 'critical'],
    ['id deducted but failed', 'udh kepotong 100rb tapi top up gagal', 'critical'],
    ['en blocked', 'My account has been suspended and I cannot log in', 'high'],
    ['id refund', 'refund saya belum masuk sudah seminggu', 'high'],
    ['zh top-up failed', '充值失败，钱还没到账', 'high'],
    ['en slow app', 'the app is so slow today', 'normal'],
    ['id error', 'aplikasinya error terus', 'normal'],
    ['en question', 'How do I change my phone number?', 'low'],
    ['id thanks', 'terima kasih min, sudah dibantu', 'low'],
    ['zh thanks', '谢谢客服，问题解决了', 'low'],
  ])('%s -> %s', (_label, text, level) => {
    expect(score(text).level).toBe(level);
  });

  it('every point carries a short reason', () => {
    const r = score('unauthorised transaction of Rp 1.500.000!!! I will report to OJK', 210_000);
    expect(r.reasons.map((x) => x.text)).toEqual([
      'unauthorised transaction',
      'threatens legal action, regulator or press',
      'author has 210k followers',
      'amount Rp 1.500.000',
      'strong emotion (caps, !!!, angry emoji)',
    ]);
    expect(r.score).toBe(r.reasons.reduce((s, x) => s + x.points, 0));
    for (const reason of r.reasons) expect(reason.text.length).toBeLessThanOrEqual(60);
  });

  it('politeness does not lower a complaint; a question below a subject line is still a question', () => {
    expect(score('Terima kasih, tapi saldo saya hilang Rp 2.000.000').reasons.map((r) => r.code)).not.toContain('thanks_or_praise');
    expect(score('How do I get my money back? My balance is gone.').level).toBe('critical');
    expect(score('Pertanyaan\nbagaimana cara ganti nomor hp?').level).toBe('low');
  });

  it('negation: "not hacked" does not fire the takeover signal', () => {
    expect(score('my account was hacked').reasons.map((r) => r.code)).toContain('account_takeover');
    expect(score('my account was not hacked, I just forgot the PIN').reasons.map((r) => r.code)).not.toContain('account_takeover');
    expect(score('账号没有被盗').reasons.map((r) => r.code)).not.toContain('account_takeover');
  });
});

describe('context reasons', () => {
  it('reach tiers, for complaints only', () => {
    expect(engine.contextReasons(4, 150, undefined)).toEqual([]);
    expect(engine.contextReasons(4, 210_000, undefined)[0]).toMatchObject({ code: 'reach', points: 3, text: 'author has 210k followers' });
    expect(score('How do I change my phone number?', 210_000).level).toBe('low');
    expect(score('@SakuPay terima kasih, mantap!', 50_000).reasons.map((r) => r.code)).not.toContain('reach');
  });

  it('repeat contacts: the 3rd contact within 48 h and a long wait', () => {
    const at = new Date('2026-11-20T10:00:00Z');
    const reasons = engine.contextReasons(2, undefined, { nth: 3, withinBurst: 3, firstContactAt: new Date('2026-11-15T10:00:00Z'), at });
    expect(reasons.map((r) => r.text)).toEqual(['3rd contact in 48 h', 'first contact 5 days ago']);
    const second = engine.contextReasons(2, undefined, { nth: 2, withinBurst: 1, firstContactAt: at, at });
    expect(second.map((r) => r.text)).toEqual(['2nd contact about this case']);
  });

  it('ordinals and compact numbers', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 101].map(ordinal)).toEqual(['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']);
    expect([950, 1500, 12_345, 210_000, 1_200_000].map(compactNumber)).toEqual(['950', '1.5k', '12k', '210k', '1.2M']);
  });
});

describe('rules are data', () => {
  const tiny: UrgencyRules = parseRules({
    ...defaults,
    levels: { critical: 10, high: 5, normal: 1 },
    signals: [{ id: 'lost_card', reason: 'card lost', points: 5, negatable: true, patterns: { en: ['lost (my )?card'], id: ['kartu hilang'], zh: ['卡丢了'] } }],
  });
  const tinyEngine = new UrgencyEngine(tiny);

  it('a replacement rules file changes what fires and the thresholds', () => {
    expect(tinyEngine.score(tinyEngine.textReasons('I lost my card')).level).toBe('high');
    expect(tinyEngine.score(tinyEngine.textReasons('kartu hilang')).reasons[0]?.code).toBe('lost_card');
    expect(tinyEngine.score(tinyEngine.textReasons('someone made an unauthorised transaction')).level).toBe('low');
  });

  it('a space in a pattern matches any whitespace; Latin patterns match whole words only', () => {
    expect(tinyEngine.textReasons('lost\n  my   card').map((r) => r.code)).toEqual(['lost_card']);
    expect(tinyEngine.textReasons('lost my cardigan')).toEqual([]);
    expect(new RegExp(compilePattern('[a b]x')).test('ax')).toBe(true);
    expect(new RegExp(compilePattern('top ?up')).test('topup')).toBe(true);
  });

  it('a broken rules file is refused with the path of the problem', () => {
    const bad = { ...defaults, signals: [...defaults.signals, { id: 'x', reason: 'x', points: 1, patterns: { en: ['(unclosed'] } }] };
    expect(() => parseRules(bad, 'my-rules.json')).toThrow(RulesError);
    expect(() => parseRules(bad, 'my-rules.json')).toThrow(/my-rules\.json.*signals\.x\.patterns\.en\[0\]/s);
    expect(() => parseRules({ ...defaults, levels: { critical: 'high' } })).toThrow(/levels\.critical/);
    expect(() => parseRules({ ...defaults, levels: { ...defaults.levels, criticalNeeds: ['scam', 'stolen'] } }, 'r.json')).toThrow(
      /r\.json[\s\S]*levels\.criticalNeeds: no signal "stolen"/,
    );
    expect(() => parseRules({ ...defaults, signals: [...defaults.signals, defaults.signals[0]] })).toThrow(/"unauthorised_transaction" is defined twice/);
  });
});

describe('levels and weights', () => {
  it('a pile of high signals ranks high, not critical: critical needs a critical kind of harm', () => {
    const r = score('My account is locked, I emailed you so many times with no answer, for three weeks now!!!');
    expect(r.score).toBeGreaterThanOrEqual(defaults.levels.critical);
    expect(r.level).toBe('high');
    expect(score('My account is locked and my balance is gone').level).toBe('critical');
  });

  it('typographic apostrophes match the patterns written with plain ones', () => {
    expect(score('I purchased a game but didn’t receive it').reasons.map((x) => x.code)).toContain('paid_not_delivered');
    expect(score('I can’t log in to my account').level).toBe('high');
  });

  it('a weak problem word does not turn a question into a complaint; a strong signal does', () => {
    expect(score('Can you help please? How do I delete an account?').level).toBe('low');
    expect(score('How do I get a refund? My card was charged twice').level).toBe('high');
  });

  it('an amount or shouting raises a complaint but makes none on its own', () => {
    expect(score('Promo: voucher Rp 30.000 for every order').reasons).toEqual([]);
    expect(score('GREAT NEWS FOR EVERYONE TODAY!!!').level).toBe('low');
    expect(score('saldo saya hilang, Rp 2.000.000').reasons.map((x) => x.code)).toContain('amount');
  });
});


describe('the issue\'s hard cases', () => {
  it.each([
    ['policy criticism is not the author\'s loss', 'Banks should stop charging overdraft fees, it is a scam on poor people', 'normal'],
    ['the author scammed is critical', 'I got scammed by someone pretending to be your CS', 'critical'],
    ['id: the author scammed', 'saya kena tipu cs palsu, saldo dikuras', 'critical'],
    ['sarcastic thanks is a complaint', 'Thanks for nothing, great service', 'normal'],
    ['sarcastic praise (en)', 'Another fantastic day of non-functioning mail!', 'normal'],
    ['sarcastic thanks (id)', 'makasih ya udah bikin saya nunggu 3 jam', 'normal'],
    ['plain thanks stays low', 'Thanks for the quick help!', 'low'],
    ['id negation: no problem, a question', 'saldo saya tidak ada masalah, cuma mau tanya cara top up', 'low'],
    ['id colloquial: gk bisa login, udh, jt', 'akun sy gk bisa login udh 3 hari, saldo 2jt ketahan', 'high'],
    ['id colloquial: udh kepotong, rb, tp', 'udh kepotong 150rb tp top up gagal', 'critical'],
    ['id colloquial: tdk', 'tdk ada transaksi tp saldo berkurang sendiri', 'critical'],
    ['zh without spaces: a question', '请问怎么修改密码？', 'low'],
    ['zh without spaces: not delivered', '等了三个小时还没有送到只能退单', 'high'],
    ['question vs report (question)', 'How do I reset my password?', 'low'],
    ['question vs report (report)', "I can't get in and my balance is gone", 'critical'],
  ])('%s', (_label, text, level) => {
    expect(score(text).level).toBe(level);
  });
});
