import { describe, expect, it } from 'vitest';
import { slaStatus, type SlaTargets } from '../../src/cases/sla.js';

const targets: SlaTargets = {
  critical: { firstResponse: 60, resolution: 1440 },
  high: { firstResponse: 240, resolution: 4320 },
  normal: { firstResponse: 1440, resolution: 7200 },
  low: { firstResponse: 4320, resolution: 14400 },
};
const contact = new Date('2026-11-23T01:00:00Z');
const at = (iso: string) => new Date(iso);

describe('slaStatus', () => {
  it('puts the deadlines at first contact plus the level\'s targets', () => {
    const s = slaStatus({ urgency: 'critical', firstContactAt: contact, firstResponseAt: null, resolvedAt: null }, targets, at('2026-11-23T01:30:00Z'));
    expect(s.firstResponseDueAt.toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(s.resolutionDueAt.toISOString()).toBe('2026-11-24T01:00:00.000Z');
    expect(s).toMatchObject({ firstResponseBreached: false, resolutionBreached: false, breached: false });
  });

  it('is breached when no answer came by the deadline', () => {
    const s = slaStatus({ urgency: 'critical', firstContactAt: contact, firstResponseAt: null, resolvedAt: null }, targets, at('2026-11-23T02:00:01Z'));
    expect(s).toMatchObject({ firstResponseBreached: true, resolutionBreached: false, breached: true });
  });

  it('stays breached when the answer came late, and is met when it came exactly on time', () => {
    const late = slaStatus({ urgency: 'high', firstContactAt: contact, firstResponseAt: at('2026-11-23T05:00:01Z'), resolvedAt: null }, targets, at('2026-11-23T06:00:00Z'));
    expect(late.firstResponseBreached).toBe(true);
    const onTime = slaStatus({ urgency: 'high', firstContactAt: contact, firstResponseAt: at('2026-11-23T05:00:00Z'), resolvedAt: null }, targets, at('2026-11-30T00:00:00Z'));
    expect(onTime.firstResponseBreached).toBe(false);
    expect(onTime.resolutionBreached).toBe(true);
  });

  it('a resolved case is judged by its resolution time, not by the clock', () => {
    const s = slaStatus({ urgency: 'low', firstContactAt: contact, firstResponseAt: contact, resolvedAt: at('2026-11-24T00:00:00Z') }, targets, at('2027-01-01T00:00:00Z'));
    expect(s.breached).toBe(false);
  });
});
