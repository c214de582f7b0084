import { describe, expect, it } from 'vitest';
import { comparableTokens, shingles, similarity, textHash, tokens } from '../../src/pipeline/similarity.js';

const sim = (a: string, b: string) => similarity(shingles(comparableTokens(a)), shingles(comparableTokens(b)));

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
});
