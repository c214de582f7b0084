import { describe, expect, it } from 'vitest';
import { isCardNumber, luhnValid, redactSecrets } from '../../src/pipeline/redact.js';

describe('redactSecrets: card numbers', () => {
  it.each([
    ['4111111111111111', '[card ****1111]'],
    ['4111 1111 1111 1111', '[card ****1111]'],
    ['4111-1111-1111-1111', '[card ****1111]'],
    ['5500 0000 0000 0004', '[card ****0004]'],
    ['3782 822463 10005', '[card ****0005]'], // Amex 4-6-5
    ['6011111111111117', '[card ****1117]'],
  ])('masks %s keeping the last four digits', (card, masked) => {
    const r = redactSecrets(`kartu saya ${card} ditolak`);
    expect(r.text).toBe(`kartu saya ${masked} ditolak`);
    expect(r.counts.card).toBe(1);
  });

  it.each([
    ['a phone number with country code', 'call me at +62 812 3456 7890'],
    ['a local phone number', 'nomor hp 0812-3456-7890'],
    ['a 16-digit order id that fails Luhn', 'order 4111111111111112 not shipped'],
    ['an amount', 'paid Rp 1.500.000 yesterday'],
    ['a date', 'on 2026-11-18 at 10:00'],
    ['a virtual account number starting with 0', 'VA 0881234567890123'],
    ['digits in an odd grouping', 'ref 41 1111 1111 1111 11'],
  ])('leaves %s alone', (_label, text) => {
    const r = redactSecrets(text);
    expect(r.text).toBe(text);
    expect(r.counts).toEqual({});
  });

  it('Luhn check', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(isCardNumber('0111111111111111')).toBe(false);
  });
});

describe('redactSecrets: CVV, OTP, PIN and passwords in en/id/zh', () => {
  it.each([
    ['en CVV', 'the CVV is 123 and', 'the CVV is [cvv removed] and', 'cvv'],
    ['id CVV', 'kode keamanan 987', 'kode keamanan [cvv removed]', 'cvv'],
    ['zh CVV', '安全码是456', '安全码是[cvv removed]', 'cvv'],
    ['en OTP', 'my OTP code is 482913, please help', 'my OTP code is [code removed], please help', 'otp'],
    ['en OTP after the code', 'I got 482913 is my OTP', 'I got [code removed] is my OTP', 'otp'],
    ['id OTP', 'OTP saya 482913 tapi gagal', 'OTP saya [code removed] tapi gagal', 'otp'],
    ['id OTP with nya', 'kode otp nya 5521', 'kode otp nya [code removed]', 'otp'],
    ['id PIN', 'PIN saya adalah 112233', 'PIN saya adalah [code removed]', 'otp'],
    ['zh verification code', '验证码是739204，怎么办', '验证码是[code removed]，怎么办', 'otp'],
    ['zh verification code with full-width colon', '验证码:739204', '验证码:[code removed]', 'otp'],
    ['en password after colon', 'password: sunshine', 'password: [password removed]', 'password'],
    ['en password stated', 'my password is Hunter2!', 'my password is [password removed]', 'password'],
    ['id password', 'kata sandi saya Rahasia123', 'kata sandi saya [password removed]', 'password'],
    ['zh password', '我的密码是abc12345', '我的密码是[password removed]', 'password'],
  ])('%s', (_label, input, expected, kind) => {
    const r = redactSecrets(input);
    expect(r.text).toBe(expected);
    expect(r.counts[kind as 'otp']).toBe(1);
  });

  it.each([
    'my password is incorrect',
    'I forgot my password and cannot log in',
    'OTP not received for 15 minutes',
    'PIN reset took 3 days',
    'after entering my PIN, Rp 500000 was gone',
    '密码错误',
    'kata sandi salah terus',
  ])('keeps the complaint readable: %s', (text) => {
    expect(redactSecrets(text).text).toBe(text);
  });

  it('counts several secrets in one text', () => {
    const r = redactSecrets('card 4111 1111 1111 1111 CVV 123 OTP 654321');
    expect(r.counts).toEqual({ card: 1, cvv: 1, otp: 1 });
    expect(r.text).not.toMatch(/4111|123\b|654321/);
  });
});
