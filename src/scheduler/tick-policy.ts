/**
 * Whether a scheduled tick of a source runs, decided from the source's stored health alone (no
 * clock, no I/O), so a restarted process decides exactly as the one before it did.
 *
 * Two things hold a source back: the source's own "not before" (X's rate-limit reset, the usage
 * cap; stored as retryNotBefore by run-source) and our backoff after consecutive failures, counted
 * from the last failed run's end: base, 2x base, 4x base ... up to max. A failure that needs a
 * person (a wrong password or token, a missing folder) waits at least nonRetryableMs, so a bad
 * password is not tried every minute until the mail server locks the account.
 */
import type { ConnectorHealth } from '../../db/repository.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
  nonRetryableMs: number;
}

/** Why a tick did not run (also the metric label of skipped ticks). */
export type SkipReason = 'running' | 'backoff' | 'retry_after' | 'stopping';

export type TickDecision = { run: true } | { run: false; reason: SkipReason; until?: Date };

/** Error kinds only a person can fix. */
const NEEDS_A_PERSON = new Set(['auth', 'config']);

/** The wait after `failures` consecutive failures (0 after none). */
export function backoffDelayMs(failures: number, policy: Pick<BackoffPolicy, 'baseMs' | 'maxMs'>): number {
  if (failures <= 0) return 0;
  // The exponent is capped so a source failing for weeks cannot overflow to Infinity.
  return Math.min(policy.baseMs * 2 ** Math.min(failures - 1, 40), policy.maxMs);
}

/** The earliest time the source may run again, and why; null when nothing holds it back. */
export function heldUntil(health: ConnectorHealth | undefined, policy: BackoffPolicy): { until: Date; reason: 'backoff' | 'retry_after' } | null {
  if (!health) return null;
  const sourceSays = health.retryNotBefore?.getTime() ?? 0;
  let ours = 0;
  if (health.state === 'failing' && health.consecutiveFailures > 0) {
    const delay = backoffDelayMs(health.consecutiveFailures, policy);
    const floor = health.lastError && NEEDS_A_PERSON.has(health.lastError.kind) ? policy.nonRetryableMs : 0;
    ours = health.lastRunFinishedAt.getTime() + Math.max(delay, floor);
  }
  if (sourceSays === 0 && ours === 0) return null;
  return sourceSays >= ours ? { until: new Date(sourceSays), reason: 'retry_after' } : { until: new Date(ours), reason: 'backoff' };
}

export interface TickInput {
  now: Date;
  /** A run of this source is still going (scheduled or manual). */
  running: boolean;
  /** The scheduler is shutting down. */
  stopping: boolean;
  health: ConnectorHealth | undefined;
  policy: BackoffPolicy;
  /** A person asked for this run: our backoff is waived (they may just have fixed the password), the source's own wait is not. */
  manual?: boolean;
}

export function decideTick(input: TickInput): TickDecision {
  if (input.stopping) return { run: false, reason: 'stopping' };
  if (input.running) return { run: false, reason: 'running' };
  const held = heldUntil(input.health, input.policy);
  if (held && held.until.getTime() > input.now.getTime() && !(input.manual && held.reason === 'backoff')) {
    return { run: false, reason: held.reason, until: held.until };
  }
  return { run: true };
}

/**
 * When the source will next run: the first of its upcoming cron ticks (ascending) at or after the
 * time it is held until. When none of the ticks given is late enough, the hold's end itself: the
 * run follows at the first tick after it.
 */
export function nextRunAt(upcoming: readonly Date[], held: Date | null): Date | null {
  if (upcoming.length === 0) return null;
  if (held === null) return upcoming[0]!;
  return upcoming.find((t) => t.getTime() >= held.getTime()) ?? held;
}
