/**
 * The team's rules for changing a case, as pure decisions: which status moves are allowed, when the
 * first response and the resolution are recorded, what each change writes into the audit trail.
 * The repository runs a decision inside its transaction against the case as it stands.
 */
import type { CasePlan, CaseRefusal, CaseState, CaseStatus, UrgencyLevel } from '../../db/repository.js';

/**
 * Allowed moves. Nothing goes back to `new` (it means nobody has touched the case); a closed case
 * only re-opens; a resolved one may also be closed. Staying in the same status is not a change.
 */
const TRANSITIONS: Record<CaseStatus, readonly CaseStatus[]> = {
  new: ['open', 'waiting', 'resolved', 'closed'],
  open: ['waiting', 'resolved', 'closed'],
  waiting: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

const DONE: readonly CaseStatus[] = ['resolved', 'closed'];

export function canMoveStatus(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * The customer wrote again: a resolved or closed case re-opens, and a case waiting for the
 * customer's answer has it (open). Null: the status stays.
 */
export function statusOnCustomerMessage(status: CaseStatus): CaseStatus | null {
  return status === 'resolved' || status === 'closed' || status === 'waiting' ? 'open' : null;
}

/** What the team asks to change (PATCH). Absent fields stay as they are. */
export interface CaseChange {
  status?: CaseStatus | undefined;
  assignee?: string | null | undefined;
  tags?: string[] | undefined;
  /** null clears the override: the computed level comes back. */
  urgencyOverride?: { level: UrgencyLevel; reason: string } | null | undefined;
}

export interface Actor {
  /** The token name, recorded as `by` in every event. */
  name: string;
  /** Whether the actor may change cases of this channel. */
  mayChange(channel: string): boolean;
}

/** Rights and the merged-away check every write starts with. */
export function refuseWrite(current: CaseState, actor: Actor): CaseRefusal | null {
  if (!actor.mayChange(current.channel)) return { refused: 'forbidden', message: `"${actor.name}" may not change ${current.channel} cases` };
  if (current.mergedInto !== null) {
    return { refused: 'conflict', message: `${current.requestNumber} was merged into ${current.mergedInto}: change that case instead` };
  }
  return null;
}

/** Tags as stored: trimmed, each once, in the order given. */
export function normaliseTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((t) => t.trim()))];
}

/**
 * Plans a PATCH: every field that really changes writes one audited event with `by`, `from` and
 * `to`. A status move that the rules do not allow is a conflict with the case's current state.
 */
export function planCaseChange(current: CaseState, change: CaseChange, actor: Actor, now: Date): CasePlan | CaseRefusal {
  const refused = refuseWrite(current, actor);
  if (refused) return refused;
  const plan: CasePlan = { set: {}, events: [] };
  const by = actor.name;

  if (change.status !== undefined && change.status !== current.status) {
    const to = change.status;
    if (!canMoveStatus(current.status, to)) {
      return { refused: 'conflict', message: `status cannot go from ${current.status} to ${to} (allowed: ${TRANSITIONS[current.status].join(', ')})` };
    }
    plan.set.status = to;
    // The first move away from `new` is the team's first response (once).
    if (current.status === 'new' && current.firstResponseAt === null) plan.set.firstResponseAt = now;
    if (DONE.includes(to) && current.resolvedAt === null) plan.set.resolvedAt = now;
    if (!DONE.includes(to) && current.resolvedAt !== null) plan.set.resolvedAt = null;
    plan.events.push({ type: 'status_changed', data: { by, from: current.status, to } });
  }

  if (change.assignee !== undefined && change.assignee !== current.assignee) {
    plan.set.assignee = change.assignee;
    plan.events.push({ type: 'assigned', data: { by, from: current.assignee, to: change.assignee } });
  }

  if (change.tags !== undefined) {
    const tags = normaliseTags(change.tags);
    if (tags.length !== current.tags.length || tags.some((t, i) => t !== current.tags[i])) {
      plan.set.tags = tags;
      plan.events.push({ type: 'tags_changed', data: { by, from: current.tags, to: tags } });
    }
  }

  if (change.urgencyOverride !== undefined) {
    const o = change.urgencyOverride;
    if (o === null) {
      if (current.urgencyOverride !== null) {
        plan.set.urgencyOverride = null;
        plan.events.push({ type: 'urgency_overridden', data: { by, from: current.urgencyOverride, to: null, reason: 'override cleared: the computed level applies' } });
      }
    } else {
      // Setting the same level again still records the (new) reason.
      plan.set.urgencyOverride = o.level;
      plan.events.push({ type: 'urgency_overridden', data: { by, from: current.urgency, to: o.level, reason: o.reason } });
    }
  }
  return plan;
}

/** A note is the team's first response when none was recorded yet. */
export function planNote(current: CaseState, actor: Actor, now: Date): CasePlan | CaseRefusal {
  const refused = refuseWrite(current, actor);
  if (refused) return refused;
  return { set: current.firstResponseAt === null ? { firstResponseAt: now } : {}, events: [] };
}

/** Merging needs rights on both cases, two different cases, neither merged away already. */
export function refuseMerge(from: CaseState, into: CaseState, actor: Actor): CaseRefusal | null {
  if (from.id === into.id) return { refused: 'conflict', message: `${from.requestNumber} cannot be merged into itself` };
  return refuseWrite(from, actor) ?? refuseWrite(into, actor);
}
