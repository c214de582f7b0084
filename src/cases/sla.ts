/**
 * Service-level deadlines of a case: when the first answer and the resolution are due, and whether
 * either is breached. Pure: the caller passes the clock. A deadline met late stays breached.
 */
import type { UrgencyLevel } from '../../db/repository.js';

export interface SlaTarget {
  /** Minutes from the first contact to the team's first answer. */
  firstResponse: number;
  /** Minutes from the first contact to resolution. */
  resolution: number;
}

export type SlaTargets = Record<UrgencyLevel, SlaTarget>;

export interface SlaCase {
  urgency: UrgencyLevel;
  firstContactAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
}

export interface SlaStatus {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  /** Either deadline breached. */
  breached: boolean;
}

const MINUTE_MS = 60_000;

/** The same case and status in epoch milliseconds. */
export interface SlaCaseMs {
  urgency: UrgencyLevel;
  firstContactAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}

export interface SlaStatusMs {
  firstResponseDueAt: number;
  resolutionDueAt: number;
  firstResponseBreached: boolean;
  resolutionBreached: boolean;
  breached: boolean;
}

/** The rule itself, on milliseconds: the weekly report checks tens of thousands of cases, without a Date each. */
export function slaStatusMs(c: SlaCaseMs, targets: SlaTargets, nowMs: number): SlaStatusMs {
  const target = targets[c.urgency];
  const firstResponseDueAt = c.firstContactAt + target.firstResponse * MINUTE_MS;
  const resolutionDueAt = c.firstContactAt + target.resolution * MINUTE_MS;
  const firstResponseBreached = (c.firstResponseAt ?? nowMs) > firstResponseDueAt;
  const resolutionBreached = (c.resolvedAt ?? nowMs) > resolutionDueAt;
  return { firstResponseDueAt, resolutionDueAt, firstResponseBreached, resolutionBreached, breached: firstResponseBreached || resolutionBreached };
}

export function slaStatus(c: SlaCase, targets: SlaTargets, now: Date): SlaStatus {
  const s = slaStatusMs(
    { urgency: c.urgency, firstContactAt: c.firstContactAt.getTime(), firstResponseAt: c.firstResponseAt?.getTime() ?? null, resolvedAt: c.resolvedAt?.getTime() ?? null },
    targets,
    now.getTime(),
  );
  return { ...s, firstResponseDueAt: new Date(s.firstResponseDueAt), resolutionDueAt: new Date(s.resolutionDueAt) };
}
