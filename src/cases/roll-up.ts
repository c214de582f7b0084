/**
 * What a case's messages add up to, for the team's operations that move messages between cases
 * (merge, split) and for clearing an urgency override. The same rules as ingestion: the case is as
 * urgent as its most urgent message (the earliest on a tie); it takes its first message's category,
 * or a later message's while it is still the "none of these" category; facts are rolled up in
 * sending order, each value once with the message that first stated it.
 */
import type { CaseMessageFacts, CaseRollUp, CaseWorkflowDecider, IngestDecider, PreparedItem } from '../../db/repository.js';
import { addToCaseFacts } from '../pipeline/facts/stored-facts.js';
import type { Facts } from '../pipeline/facts/types.js';

const UNSCORED = { level: 'low', score: 0, reasons: [] } as const;

export function rollUpCase(messages: readonly CaseMessageFacts[], otherCategory: string): CaseRollUp {
  if (messages.length === 0) throw new Error('a case without messages has nothing to roll up');
  const ordered = [...messages].sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime() || a.id - b.id);
  let top = ordered[0]!;
  let category: string | null = null;
  let facts: Facts | null = null;
  for (const m of ordered) {
    if ((m.urgency?.score ?? -Infinity) > (top.urgency?.score ?? -Infinity)) top = m;
    if ((category === null || category === otherCategory) && m.category !== null && (category === null || m.category !== otherCategory)) {
      category = m.category;
    }
    facts = addToCaseFacts(facts, m.facts as Facts | null, m.id);
  }
  return {
    contactCount: ordered.length,
    firstContactAt: ordered[0]!.sentAt,
    lastContactAt: ordered[ordered.length - 1]!.sentAt,
    urgency: top.urgency ?? { ...UNSCORED, reasons: [] },
    category,
    facts,
  };
}

/** The decisions the repository's case operations ask for: roll-ups, request numbers, the clock. */
export function caseWorkflowDecider(
  pipeline: Pick<IngestDecider<PreparedItem>, 'otherCategory' | 'requestNumberScope' | 'formatRequestNumber'>,
  now: () => Date,
): CaseWorkflowDecider {
  return {
    now,
    rollUp: (messages) => rollUpCase(messages, pipeline.otherCategory),
    requestNumberScope: (at) => pipeline.requestNumberScope(at),
    formatRequestNumber: (sequence, at) => pipeline.formatRequestNumber(sequence, at),
  };
}
