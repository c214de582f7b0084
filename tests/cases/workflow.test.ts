import { describe, expect, it } from 'vitest';
import type { CaseState } from '../../db/repository.js';
import { canMoveStatus, planCaseChange, planNote, refuseMerge, statusOnCustomerMessage, type Actor } from '../../src/cases/workflow.js';

const NOW = new Date('2026-11-25T03:00:00Z');
const EARLIER = new Date('2026-11-24T03:00:00Z');
const desk: Actor = { name: 'rina', mayChange: (channel) => channel === 'email' };

function state(over: Partial<CaseState> = {}): CaseState {
  return {
    id: 1,
    requestNumber: 'REQ-2026-000001',
    status: 'new',
    channel: 'email',
    assignee: null,
    tags: [],
    urgency: 'normal',
    urgencyOverride: null,
    firstResponseAt: null,
    resolvedAt: null,
    mergedInto: null,
    ...over,
  };
}

describe('status transitions', () => {
  it('never go back to new; closed only re-opens; resolved may also close', () => {
    for (const from of ['open', 'waiting', 'resolved', 'closed'] as const) expect(canMoveStatus(from, 'new')).toBe(false);
    expect(canMoveStatus('closed', 'open')).toBe(true);
    expect(canMoveStatus('closed', 'resolved')).toBe(false);
    expect(canMoveStatus('closed', 'waiting')).toBe(false);
    expect(canMoveStatus('resolved', 'closed')).toBe(true);
    expect(canMoveStatus('new', 'resolved')).toBe(true);
  });

  it('a disallowed move is a conflict naming both statuses', () => {
    const plan = planCaseChange(state({ status: 'closed', resolvedAt: EARLIER }), { status: 'waiting' }, desk, NOW);
    expect(plan).toEqual({ refused: 'conflict', message: expect.stringContaining('from closed to waiting') });
  });

  it('the customer writing again re-opens a resolved, closed or waiting case and leaves the others', () => {
    expect(statusOnCustomerMessage('resolved')).toBe('open');
    expect(statusOnCustomerMessage('closed')).toBe('open');
    expect(statusOnCustomerMessage('waiting')).toBe('open');
    expect(statusOnCustomerMessage('new')).toBeNull();
    expect(statusOnCustomerMessage('open')).toBeNull();
  });
});

describe('first response and resolution times', () => {
  it('the first move away from new records the first response; resolving records resolvedAt', () => {
    const plan = planCaseChange(state(), { status: 'resolved' }, desk, NOW);
    expect(plan).toEqual({
      set: { status: 'resolved', firstResponseAt: NOW, resolvedAt: NOW },
      events: [{ type: 'status_changed', data: { by: 'rina', from: 'new', to: 'resolved' } }],
    });
  });

  it('a recorded first response is never moved', () => {
    const plan = planCaseChange(state({ status: 'open', firstResponseAt: EARLIER }), { status: 'waiting' }, desk, NOW);
    expect(plan).toMatchObject({ set: { status: 'waiting' } });
    expect('set' in plan && 'firstResponseAt' in plan.set).toBe(false);
  });

  it('resolved then closed keeps the first resolution time; re-opening clears it', () => {
    const closed = planCaseChange(state({ status: 'resolved', firstResponseAt: EARLIER, resolvedAt: EARLIER }), { status: 'closed' }, desk, NOW);
    expect(closed).toMatchObject({ set: { status: 'closed' } });
    expect('set' in closed && 'resolvedAt' in closed.set).toBe(false);
    const reopened = planCaseChange(state({ status: 'closed', firstResponseAt: EARLIER, resolvedAt: EARLIER }), { status: 'open' }, desk, NOW);
    expect(reopened).toMatchObject({ set: { status: 'open', resolvedAt: null } });
  });

  it('a note is the first response only when there was none', () => {
    expect(planNote(state(), desk, NOW)).toEqual({ set: { firstResponseAt: NOW }, events: [] });
    expect(planNote(state({ firstResponseAt: EARLIER }), desk, NOW)).toEqual({ set: {}, events: [] });
  });
});

describe('planning a change', () => {
  it('writes one audited event per field that really changes, with by, from and to', () => {
    const plan = planCaseChange(
      state({ assignee: 'budi', tags: ['vip'] }),
      { assignee: 'rina', tags: [' vip ', 'press', 'press'], urgencyOverride: { level: 'critical', reason: 'regulator copied' } },
      desk,
      NOW,
    );
    expect(plan).toEqual({
      set: { assignee: 'rina', tags: ['vip', 'press'], urgencyOverride: 'critical' },
      events: [
        { type: 'assigned', data: { by: 'rina', from: 'budi', to: 'rina' } },
        { type: 'tags_changed', data: { by: 'rina', from: ['vip'], to: ['vip', 'press'] } },
        { type: 'urgency_overridden', data: { by: 'rina', from: 'normal', to: 'critical', reason: 'regulator copied' } },
      ],
    });
  });

  it('the same values again change nothing and record nothing', () => {
    const plan = planCaseChange(state({ status: 'open', assignee: 'rina', tags: ['vip'] }), { status: 'open', assignee: 'rina', tags: ['vip'], urgencyOverride: null }, desk, NOW);
    expect(plan).toEqual({ set: {}, events: [] });
  });

  it('clearing an override records it; the repository restores the computed level', () => {
    const plan = planCaseChange(state({ urgency: 'critical', urgencyOverride: 'critical' }), { urgencyOverride: null }, desk, NOW);
    expect(plan).toMatchObject({ set: { urgencyOverride: null }, events: [{ type: 'urgency_overridden', data: { from: 'critical', to: null } }] });
  });

  it('refuses a channel the actor may not change (forbidden) and a case merged away (conflict)', () => {
    expect(planCaseChange(state({ channel: 'x' }), { status: 'open' }, desk, NOW)).toMatchObject({ refused: 'forbidden' });
    expect(planCaseChange(state({ mergedInto: 'REQ-2026-000009' }), { status: 'open' }, desk, NOW)).toEqual({
      refused: 'conflict',
      message: expect.stringContaining('merged into REQ-2026-000009'),
    });
    expect(planNote(state({ mergedInto: 'REQ-2026-000009' }), desk, NOW)).toMatchObject({ refused: 'conflict' });
  });

  it('merging: not into itself, not from or into a merged case, rights on both', () => {
    const a = state();
    expect(refuseMerge(a, a, desk)).toMatchObject({ refused: 'conflict', message: expect.stringContaining('itself') });
    expect(refuseMerge(a, state({ id: 2, mergedInto: 'REQ-2026-000003' }), desk)).toMatchObject({ refused: 'conflict' });
    expect(refuseMerge(a, state({ id: 2, channel: 'x' }), desk)).toMatchObject({ refused: 'forbidden' });
    expect(refuseMerge(a, state({ id: 2 }), desk)).toBeNull();
  });
});
