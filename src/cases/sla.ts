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

export function slaStatus(c: SlaCase, targets: SlaTargets, now: Date): SlaStatus {
  const target = targets[c.urgency];
  const start = c.firstContactAt.getTime();
  const firstResponseDueAt = new Date(start + target.firstResponse * MINUTE_MS);
  const resolutionDueAt = new Date(start + target.resolution * MINUTE_MS);
  const firstResponseBreached = (c.firstResponseAt ?? now).getTime() > firstResponseDueAt.getTime();
  const resolutionBreached = (c.resolvedAt ?? now).getTime() > resolutionDueAt.getTime();
  return { firstResponseDueAt, resolutionDueAt, firstResponseBreached, resolutionBreached, breached: firstResponseBreached || resolutionBreached };
}
