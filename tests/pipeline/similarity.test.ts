import { describe, expect, it } from 'vitest';
import {
  comparableTokens,
  decodeFingerprint,
  encodeFingerprint,
  fingerprint,
  FINGERPRINT_SIZE,
  similarity,
  textHash,
  tokens,
} from '../../src/pipeline/similarity.js';

const fp = (text: string) => fingerprint(comparableTokens(text));
const sim = (a: string, b: string) => similarity(fp(a), fp(b));

describe('similarity', () => {
  it('splits Chinese into characters and Latin into words', () => {
    expect(tokens('我的saldo 不见了!')).toEqual(['我', '的', 'saldo', '不', '见', '了']);
  });
  it('an exact re-send has the same hash', () => {
    expect(textHash(comparableTokens('Saldo saya HILANG!!'))).toBe(textHash(comparableTokens('saldo saya hilang')));
  });
  it('a re-send with a line added on top is near-identical (containment)', () => {
    const first = 'My top-up of Rp 500.000 on 18 November failed but the money was deducted from my bank account. Please refund it.';
    expect(sim(`Second email, please answer!\n${first}`, first)).toBeGreaterThanOrEqual(0.8);
  });
  it('two different complaints of one customer are not near-identical', () => {
    expect(
      sim('My top-up of Rp 500.000 failed but the money was deducted.', 'I cannot log in to the app since the update, it says error 504.'),
    ).toBeLessThan(0.3);
  });
  it('works for Chinese without spaces', () => {
    expect(sim('我的余额不见了，2000元，请尽快处理', '我的余额不见了，2000元，请尽快处理！！')).toBe(1);
    expect(sim('我的余额不见了', '我无法登录账户')).toBeLessThan(0.3);
  });

  it('a fingerprint survives storage', () => {
    const f = fp('Saldo saya hilang Rp 1.500.000, tolong dicek');
    expect(decodeFingerprint(encodeFingerprint(f))).toEqual(f);
  });

  it('long texts compare by their bottom-k sketch, close to the exact answer', () => {
    const words = Array.from({ length: 1200 }, (_, i) => `w${(i * 7919) % 5000}`);
    const long = words.join(' ');
    expect(fp(long).hashes.length).toBe(FINGERPRINT_SIZE);
    expect(fp(long).total).toBeGreaterThan(FINGERPRINT_SIZE);
    expect(sim(long, long)).toBe(1);
    expect(sim(`please answer, second email\n${long}`, long)).toBeGreaterThan(0.9);
    const half = words.slice(0, 600).join(' ') + ' ' + Array.from({ length: 600 }, (_, i) => `x${i}`).join(' ');
    const estimate = sim(half, long);
    expect(estimate).toBeGreaterThan(0.35);
    expect(estimate).toBeLessThan(0.65);
  });
});
