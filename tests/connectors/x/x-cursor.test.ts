import { describe, expect, it } from 'vitest';
import { afterPage, formatXCursor, parseXCursor, windowDone, XCursorError } from '../../../connectors/x/x-cursor.js';

// Ids above 2^53: as numbers these would collide.
const A = '1578516295611748353';
const B = '1578516295611748354';
const C = '1578516295611748399';

describe('X cursor', () => {
  it('a single last page moves since to its newest id', () => {
    expect(afterPage({ since: A }, { newest: C, oldest: B, more: false })).toEqual({ since: C });
  });

  it('a page with more below keeps since and opens a window down to the page\'s oldest id', () => {
    const open = afterPage({ since: A }, { newest: C, oldest: B, more: true });
    expect(open).toEqual({ since: A, until: B, newest: C });
    // The next page of the same window keeps the window's newest id.
    expect(afterPage(open, { newest: '1578516295611748353', oldest: '1578516295611748353', more: false })).toEqual({ since: C });
  });

  it('a window that turns out empty closes at its newest id; no window, no change', () => {
    expect(windowDone({ since: A, until: B, newest: C })).toEqual({ since: C });
    expect(windowDone({ since: A })).toEqual({ since: A });
    expect(windowDone({})).toEqual({});
  });

  it('the first run ever (no since) opens a window without a lower bound', () => {
    expect(afterPage({}, { newest: C, oldest: B, more: true })).toEqual({ until: B, newest: C });
    expect(afterPage({ until: B, newest: C }, { newest: A, oldest: A, more: false })).toEqual({ since: C });
  });

  it('compares ids as 64-bit integers, not as doubles or strings', () => {
    expect(Number(B)).toBe(Number(A)); // what a double would see
    expect(afterPage({ since: B }, { newest: A, oldest: A, more: false })).toEqual({ since: B });
    expect(afterPage({ since: '999' }, { newest: '1000', oldest: '1000', more: false })).toEqual({ since: '1000' });
  });

  it('round-trips through its stored text, and a stored value that is not a cursor is a clear error', () => {
    for (const c of [{}, { since: A }, { since: A, until: B, newest: C }, { until: B, newest: C }]) expect(parseXCursor(formatXCursor(c))).toEqual(c);
    expect(parseXCursor(null)).toEqual({});
    expect(() => parseXCursor('12345')).toThrow(XCursorError);
    expect(() => parseXCursor('{"since":12345}')).toThrow(/not a since\/until\/newest cursor/);
    expect(() => parseXCursor('{"since":"1","until":"2"}')).toThrow(XCursorError);
    expect(() => parseXCursor('since=1')).toThrow(/not JSON/);
  });
});
