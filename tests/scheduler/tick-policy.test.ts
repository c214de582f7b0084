import { describe, expect, it } from 'vitest';
import type { ConnectorHealth } from '../../db/repository.js';
import { backoffDelayMs, decideTick, heldUntil, nextRunAt, type BackoffPolicy } from '../../src/scheduler/tick-policy.js';

const policy: BackoffPolicy = { baseMs: 60_000, maxMs: 3_600_000, nonRetryableMs: 900_000 };
const T0 = new Date('2026-11-20T10:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

function health(over: Partial<ConnectorHealth> = {}): ConnectorHealth {
  return {
    source: 'x-sakupay',
    state: 'ok',
    lastRunStartedAt: at(-1_000),
    lastRunFinishedAt: T0,
    lastSuccessAt: T0,
    lastItems: 3,
    consecutiveFailures: 0,
    lastError: null,
    retryNotBefore: null,
    ...over,
  };
}

const failing = (n: number, kind = 'server', over: Partial<ConnectorHealth> = {}) =>
  health({ state: 'failing', consecutiveFailures: n, lastError: { kind, code: 'x', message: 'm', at: T0 }, ...over });

describe('backoff after consecutive failures', () => {
  it('doubles from the base and stops at the maximum', () => {
    expect([0, 1, 2, 3, 4, 6, 7, 8].map((n) => backoffDelayMs(n, policy) / 60_000)).toEqual([0, 1, 2, 4, 8, 32, 60, 60]);
  });

  it('stays finite for a source failing for months', () => {
    expect(backoffDelayMs(100_000, policy)).toBe(policy.maxMs);
  });

  it('is counted from the end of the last failed run', () => {
    expect(heldUntil(failing(3), policy)).toEqual({ until: at(4 * 60_000), reason: 'backoff' });
  });

  it('a wrong password or a missing folder waits at least the non-retryable wait, whatever the count', () => {
    expect(heldUntil(failing(1, 'auth'), policy)).toEqual({ until: at(900_000), reason: 'backoff' });
    expect(heldUntil(failing(1, 'config'), policy)!.until).toEqual(at(900_000));
    expect(heldUntil(failing(7, 'auth'), policy)!.until).toEqual(at(3_600_000));
  });
});

describe('heldUntil', () => {
  it('holds nothing for a healthy source or one never run', () => {
    expect(heldUntil(health(), policy)).toBeNull();
    expect(heldUntil(undefined, policy)).toBeNull();
  });

  it("honours the source's own retryNotBefore (a rate-limit reset), also after a success", () => {
    expect(heldUntil(health({ retryNotBefore: at(300_000) }), policy)).toEqual({ until: at(300_000), reason: 'retry_after' });
  });

  it('takes the later of the backoff and the source asking to wait', () => {
    expect(heldUntil(failing(1, 'rate_limit', { retryNotBefore: at(600_000) }), policy)).toEqual({ until: at(600_000), reason: 'retry_after' });
    expect(heldUntil(failing(5, 'rate_limit', { retryNotBefore: at(60_000) }), policy)).toEqual({ until: at(16 * 60_000), reason: 'backoff' });
  });
});

describe('decideTick', () => {
  const base = { now: at(30_000), running: false, stopping: false, policy };

  it('runs a healthy source', () => {
    expect(decideTick({ ...base, health: health() })).toEqual({ run: true });
  });

  it('skips while the previous run is still going', () => {
    expect(decideTick({ ...base, running: true, health: health() })).toEqual({ run: false, reason: 'running' });
  });

  it('skips everything while stopping, before anything else', () => {
    expect(decideTick({ ...base, running: true, stopping: true, health: failing(2) })).toEqual({ run: false, reason: 'stopping' });
  });

  it('skips during the backoff and runs once it is over', () => {
    expect(decideTick({ ...base, health: failing(2) })).toEqual({ run: false, reason: 'backoff', until: at(120_000) });
    expect(decideTick({ ...base, now: at(120_000), health: failing(2) })).toEqual({ run: true });
  });

  it('skips until the retryNotBefore and runs at it', () => {
    const h = health({ retryNotBefore: at(90_000) });
    expect(decideTick({ ...base, health: h })).toEqual({ run: false, reason: 'retry_after', until: at(90_000) });
    expect(decideTick({ ...base, now: at(90_000), health: h })).toEqual({ run: true });
  });

  it('a run asked for by hand waives our backoff but not the source asking to wait', () => {
    expect(decideTick({ ...base, manual: true, health: failing(4, 'auth') })).toEqual({ run: true });
    expect(decideTick({ ...base, manual: true, health: health({ retryNotBefore: at(90_000) }) })).toMatchObject({ run: false, reason: 'retry_after' });
    expect(decideTick({ ...base, manual: true, running: true, health: health() })).toMatchObject({ run: false, reason: 'running' });
  });
});

describe('nextRunAt', () => {
  const ticks = [at(60_000), at(120_000), at(180_000)];

  it('is the next tick when nothing holds the source', () => {
    expect(nextRunAt(ticks, null)).toEqual(at(60_000));
  });

  it('is the first tick at or after the hold', () => {
    expect(nextRunAt(ticks, at(90_000))).toEqual(at(120_000));
    expect(nextRunAt(ticks, at(120_000))).toEqual(at(120_000));
  });

  it('is the hold itself when it lies beyond the ticks looked at, and null without a schedule', () => {
    expect(nextRunAt(ticks, at(999_000))).toEqual(at(999_000));
    expect(nextRunAt([], null)).toBeNull();
  });
});
