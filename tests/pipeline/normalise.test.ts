import { describe, expect, it } from 'vitest';
import { freshText, normaliseLine, normaliseText, stripSubjectPrefixes } from '../../src/pipeline/normalise.js';

describe('normaliseText', () => {
  it('folds full-width digits and letters (NFKC), CRLF and invisible characters', () => {
    expect(normaliseText('余额１２３４\r\nＯＴＰ\u200b ok  \r\n\r\n\r\n\r\nend')).toBe('余额1234\nOTP ok\n\nend');
  });
  it('collapses a line', () => {
    expect(normaliseLine('  a\n b\t c ')).toBe('a b c');
  });
});

describe('stripSubjectPrefixes', () => {
  it.each([
    ['Re: FW: saldo hilang', 'saldo hilang'],
    ['Balas: Re: top up gagal', 'top up gagal'],
    ['回复：转发：余额不见了', '余额不见了'],
    ['Re[2]: refund', 'refund'],
    ['Regarding my refund', 'Regarding my refund'],
  ])('%s', (input, out) => expect(stripSubjectPrefixes(input)).toBe(out));
});

describe('freshText', () => {
  it('drops quoted lines and the history below a reply header', () => {
    const body = 'Still waiting!\n\nOn Mon, 16 Nov 2026 at 09:00, Ana <ana@example.com> wrote:\n> my balance is gone\n> please help';
    expect(freshText(body)).toBe('Still waiting!');
  });
  it('understands Indonesian and Chinese reply headers and signatures', () => {
    expect(freshText('Tolong dibantu\nPada Sen, 16 Nov 2026, Budi menulis:\n> saldo hilang')).toBe('Tolong dibantu');
    expect(freshText('请尽快处理\n在 2026年11月16日，李明 写道：\n> 余额不见了')).toBe('请尽快处理');
    expect(freshText('Help\n--\nAna\nSent from my iPhone')).toBe('Help');
  });
  it('keeps a bare forward readable instead of returning nothing', () => {
    expect(freshText('> saldo saya hilang\n> tolong')).toBe('saldo saya hilang\ntolong');
  });
});
