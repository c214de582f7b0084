import { describe, expect, it } from 'vitest';
import { ftsQuery } from '../../db/sqlite/sqlite.case-workflow.js';
import { decodeCursor, encodeCursor } from '../../src/cases/case-cursor.js';
import { parseSearch } from '../../src/cases/search-terms.js';

describe('parseSearch', () => {
  it('splits words, keeps a quoted phrase whole, and files short words apart', () => {
    expect(parseSearch('saldo  hilang "top up" ok')).toEqual({ ok: { indexed: ['saldo', 'hilang', 'top up'], short: ['ok'] } });
    expect(parseSearch('退款 退款失败')).toEqual({ ok: { indexed: ['退款失败'], short: ['退款'] } });
  });

  it('refuses a query without a word of 3+ characters, saying why', () => {
    expect(parseSearch('退款')).toEqual({ error: expect.stringContaining('at least 3 characters') });
    expect(parseSearch('  ')).toEqual({ error: expect.any(String) });
    expect(parseSearch('a b c d e f g h i')).toEqual({ error: expect.stringContaining('at most') });
  });

  it('keeps search syntax characters as literal text', () => {
    expect(parseSearch('NEAR( saldo* -x OR a:b "')).toEqual({ ok: { indexed: ['NEAR(', 'saldo*', 'a:b'], short: ['-x', 'OR', '"'] } });
  });
});

describe('ftsQuery', () => {
  it('quotes every term and doubles the quotes inside, so nothing is FTS5 syntax', () => {
    expect(ftsQuery(['saldo', 'say "hi"', 'NEAR('])).toBe('"saldo" AND "say ""hi""" AND "NEAR("');
  });
});

describe('cursor', () => {
  it('round-trips a sort key and refuses another sort, a wrong length or garbage', () => {
    const cursor = encodeCursor('urgency', [-3000012, 1764000000000, 42]);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, 'urgency')).toEqual({ ok: [-3000012, 1764000000000, 42] });
    expect(decodeCursor(cursor, 'newest')).toEqual({ error: expect.stringContaining('"urgency"') });
    expect(decodeCursor(encodeCursor('newest', [1, 2, 3]), 'newest')).toMatchObject({ error: expect.any(String) });
    for (const junk of ['!!!', 'eyJzIjoidXJnZW5jeSJ9', Buffer.from('{"s":"urgency","k":["a","b","c"]}').toString('base64url')]) {
      expect(decodeCursor(junk, 'urgency')).toMatchObject({ error: expect.any(String) });
    }
  });
});
