import { describe, expect, it } from 'vitest';
import type { CaseMessageFacts } from '../../db/repository.js';
import { rollUpCase } from '../../src/cases/roll-up.js';

const at = (h: number) => new Date(Date.UTC(2026, 10, 20, h));
const msg = (id: number, h: number, score: number | null, category: string | null): CaseMessageFacts => ({
  id,
  sentAt: at(h),
  urgency: score === null ? null : { level: score >= 8 ? 'critical' : score >= 4 ? 'high' : 'normal', score, reasons: [{ code: `r${id}`, points: score, text: `m${id}` }] },
  category,
  facts: null,
});

describe('rollUpCase', () => {
  it('counts contacts, spans first to last contact and takes the most urgent message (earliest on a tie)', () => {
    const r = rollUpCase([msg(3, 9, 5, 'refund'), msg(1, 2, 5, 'other'), msg(2, 5, 9, 'top_up')], 'other');
    expect(r.contactCount).toBe(3);
    expect(r.firstContactAt).toEqual(at(2));
    expect(r.lastContactAt).toEqual(at(9));
    expect(r.urgency).toMatchObject({ level: 'critical', score: 9, reasons: [{ code: 'r2' }] });
    const tie = rollUpCase([msg(7, 3, 5, null), msg(6, 1, 5, null)], 'other');
    expect(tie.urgency.reasons[0]!.code).toBe('r6');
  });

  it('takes the first category, or a later one while it is still "other"', () => {
    expect(rollUpCase([msg(1, 1, 1, 'other'), msg(2, 2, 1, 'refund'), msg(3, 3, 1, 'fees')], 'other').category).toBe('refund');
    expect(rollUpCase([msg(1, 1, 1, 'fees'), msg(2, 2, 1, 'refund')], 'other').category).toBe('fees');
    expect(rollUpCase([msg(1, 1, 1, null), msg(2, 2, 1, 'other')], 'other').category).toBe('other');
  });
});
