/**
 * Which case a message belongs to: the six rules of DESIGN.md, in order. Pure: the evidence is
 * looked up by the store; this decides.
 *
 *  1. same (source, external id) already stored -> duplicate, nothing stored. For email, the same
 *     message (same Message-ID and content) stored from another mailbox is a duplicate too.
 *  2. In-Reply-To/References naming a stored Message-ID -> that case.
 *  3. a quoted request number that belongs to a case -> that case. Numbers nobody knows yet are
 *     carried as references of whatever case the message ends in (a new one if nothing matches).
 *  4. X: a stored post in the same conversation -> that case.
 *  5. the same customer (or a linked identity) with near-identical text within the window -> that case.
 *  6. otherwise a new case.
 *
 * Non-complaints (bounces, auto-replies) are checked for rule 1 only: they are stored without a case.
 */
import type { Evidence, Resolution } from '../../db/repository.js';
import type { PipelineItem } from './prepare.js';
import { decodeFingerprint, similarity } from './similarity.js';

export interface DedupeSettings {
  nearDuplicateSimilarity: number;
}

export function resolveCase(item: PipelineItem, evidence: Evidence, settings: DedupeSettings): Resolution {
  if (evidence.existing) {
    return {
      kind: 'duplicate',
      reason: evidence.existing.source === item.source ? 'same_external_id' : 'same_message_other_mailbox',
    };
  }
  if (item.kind !== 'complaint') return { kind: 'non_complaint' };

  const thread = evidence.threadMatches[0];
  if (thread) return { kind: 'join', caseId: thread.caseId, reason: 'thread', detail: `reply to ${thread.messageId}` };

  for (const ref of item.requestNumbers) {
    const known = evidence.references.find((r) => r.system === ref.system && r.value === ref.value && r.caseId !== null);
    if (known?.caseId != null) {
      return { kind: 'join', caseId: known.caseId, reason: 'request_number', detail: `quotes ${ref.value}` };
    }
  }

  if (evidence.conversationCaseId !== null) {
    return {
      kind: 'join',
      caseId: evidence.conversationCaseId,
      reason: 'conversation',
      detail: `same conversation ${item.conversationId}`,
    };
  }

  let best: { caseId: number; rowId: number; score: number } | null = null;
  for (const candidate of evidence.recentByAuthor) {
    const score = candidate.textHash === item.textHash ? 1 : similarity(item.shingles, decodeFingerprint(candidate.fingerprint));
    if (score >= settings.nearDuplicateSimilarity && (!best || score > best.score)) {
      best = { caseId: candidate.caseId, rowId: candidate.messageRowId, score };
    }
  }
  if (best) {
    return {
      kind: 'join',
      caseId: best.caseId,
      reason: 'near_duplicate',
      detail: `${Math.round(best.score * 100)}% similar to message #${best.rowId}`,
    };
  }
  return { kind: 'new_case' };
}
