/**
 * Case events as Server-Sent Events: which SSE event name a case event type gets, and the wire
 * format. Pure: the stream (event-stream.ts) does the I/O.
 */
import type { LiveCaseEvent } from '../../../db/repository.js';

export type LiveEventName = 'case.created' | 'case.updated' | 'case.urgency_changed';

/**
 * created -> case.created; an urgency change (computed or an agent's override) ->
 * case.urgency_changed; everything else that happens to a case (joined, status, assignee, tags,
 * notes, merge, split, references, amplification, and types added later) -> case.updated, so a
 * client never misses a change because it did not know its type.
 */
export function liveEventName(type: string): LiveEventName {
  switch (type) {
    case 'created':
      return 'case.created';
    case 'urgency_changed':
    case 'urgency_overridden':
      return 'case.urgency_changed';
    default:
      return 'case.updated';
  }
}

/** The JSON a client receives as `data` (the case as it stands when the event is sent). */
export function liveEventData(e: LiveCaseEvent) {
  return {
    caseId: e.caseId,
    requestNumber: e.requestNumber,
    channel: e.channel,
    type: e.type,
    at: e.at.toISOString(),
    status: e.status,
    urgency: e.urgency,
    urgencyScore: e.urgencyScore,
    assignee: e.assignee,
    detail: e.data,
  };
}

/** One SSE message. JSON.stringify never emits a raw newline, so `data` is a single line. */
export function formatSseEvent(e: LiveCaseEvent): string {
  return `id: ${e.id}\nevent: ${liveEventName(e.type)}\ndata: ${JSON.stringify(liveEventData(e))}\n\n`;
}

export function formatSseComment(text: string): string {
  return `: ${text.replace(/[\r\n]+/g, ' ')}\n\n`;
}
