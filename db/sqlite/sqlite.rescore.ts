/**
 * Re-scoring on SQLite: cases are read in id order, a batch at a time (keyset pagination, so the
 * connection is free for the writes in between), each batch's messages through the
 * (case_id, sent_at) index, and each batch's changes written in one transaction.
 */
import type Database from 'better-sqlite3';
import type { CaseContext, Reason, RescoreDecider, RescoreOptions, RescoreProgress, Urgency } from '../repository.js';

interface CaseRow {
  id: number;
  urgency: string;
  urgency_override: string | null;
  urgency_score: number;
  urgency_reasons: string;
}

interface MessageRow {
  id: number;
  case_id: number;
  subject: string | null;
  body: string;
  author_followers: number | null;
  sent_at: number;
  urgency: string | null;
  urgency_score: number | null;
  urgency_reasons: string | null;
}

interface CaseChange {
  caseId: number;
  from: string;
  top: { messageId: number; urgency: Urgency; reasonsJson: string };
  levelChanged: boolean;
}

const DEFAULT_BATCH_CASES = 2000;

export function rescoreSqlite(sqlite: Database.Database, decider: RescoreDecider, options: RescoreOptions = {}): RescoreProgress {
  const batchCases = options.batchCases ?? DEFAULT_BATCH_CASES;
  const totalMessages = (sqlite.prepare('select count(*) as n from messages where case_id is not null').get() as { n: number }).n;
  const progress: RescoreProgress = { totalMessages, messages: 0, cases: 0, messagesChanged: 0, casesChanged: 0, levelChanges: {} };

  const nextCases = sqlite.prepare<[number, number], CaseRow>(
    'select id, urgency, urgency_override, urgency_score, urgency_reasons from cases where id > ? order by id limit ?',
  );
  const messagesOf = sqlite.prepare<[number, number], MessageRow>(
    `select id, case_id, subject, body, author_followers, sent_at, urgency, urgency_score, urgency_reasons
       from messages where case_id between ? and ? order by case_id, sent_at, id`,
  );
  const updateMessage = sqlite.prepare('update messages set urgency = ?, urgency_score = ?, urgency_reasons = ? where id = ?');
  const updateCase = sqlite.prepare('update cases set urgency = ?, urgency_score = ?, urgency_reasons = ?, updated_at = ? where id = ?');
  const insertEvent = sqlite.prepare(
    "insert into case_events (case_id, at, type, message_row_id, data) values (?, ?, 'urgency_changed', ?, ?)",
  );

  let after = 0;
  for (;;) {
    const cases = nextCases.all(after, batchCases);
    if (cases.length === 0) break;
    after = cases[cases.length - 1]!.id;
    const byCase = groupByCase(messagesOf.all(cases[0]!.id, after));

    const messageUpdates: [string, number, string, number][] = [];
    const caseChanges: CaseChange[] = [];
    for (const c of cases) {
      const rows = byCase.get(c.id) ?? [];
      let top: CaseChange['top'] | null = null;
      rows.forEach((m, i) => {
        const urgency = decider.urgency(
          { subject: m.subject, body: m.body, authorFollowers: m.author_followers, sentAt: new Date(m.sent_at) },
          i === 0 ? null : contextAt(rows, i, decider.burstWindowMs),
        );
        const reasonsJson = JSON.stringify(urgency.reasons);
        if (m.urgency !== urgency.level || m.urgency_score !== urgency.score || m.urgency_reasons !== reasonsJson) {
          messageUpdates.push([urgency.level, urgency.score, reasonsJson, m.id]);
        }
        // As at ingest: the case shows its most urgent message, the earliest on a tie.
        if (top === null || urgency.score > top.urgency.score) top = { messageId: m.id, urgency, reasonsJson };
      });
      progress.messages += rows.length;
      if (top === null) continue;
      const t: CaseChange['top'] = top;
      // An agent's override keeps the case's level; the score and reasons still follow the rules.
      if (c.urgency_override !== null) t.urgency = { ...t.urgency, level: c.urgency_override as Urgency['level'] };
      if (t.urgency.score !== c.urgency_score || t.urgency.level !== c.urgency || t.reasonsJson !== c.urgency_reasons) {
        caseChanges.push({ caseId: c.id, from: c.urgency, top: t, levelChanged: t.urgency.level !== c.urgency });
      }
    }

    progress.cases += cases.length;
    progress.messagesChanged += messageUpdates.length;
    for (const change of caseChanges) {
      if (!change.levelChanged) continue;
      progress.casesChanged++;
      const move = `${change.from}->${change.top.urgency.level}`;
      progress.levelChanges[move] = (progress.levelChanges[move] ?? 0) + 1;
    }
    if (!options.dryRun && (messageUpdates.length > 0 || caseChanges.length > 0)) {
      const now = decider.now().getTime();
      sqlite.transaction(() => {
        for (const u of messageUpdates) updateMessage.run(...u);
        for (const change of caseChanges) {
          const u = change.top.urgency;
          updateCase.run(u.level, u.score, change.top.reasonsJson, now, change.caseId);
          if (change.levelChanged) {
            const data = { from: change.from, to: u.level, score: u.score, reasons: u.reasons.map((r: Reason) => r.text), by: 'rescore' };
            insertEvent.run(change.caseId, now, change.top.messageId, JSON.stringify(data));
          }
        }
      }).immediate();
    }
    options.onProgress?.(progress);
  }
  return progress;
}

function groupByCase(rows: MessageRow[]): Map<number, MessageRow[]> {
  const out = new Map<number, MessageRow[]>();
  for (const r of rows) {
    const list = out.get(r.case_id);
    if (list) list.push(r);
    else out.set(r.case_id, [r]);
  }
  return out;
}

/** The case as it stood when message i arrived, counting contacts in sending order. */
function contextAt(rows: MessageRow[], i: number, burstWindowMs: number): CaseContext {
  const at = rows[i]!.sent_at;
  let inWindow = 0;
  for (let j = i - 1; j >= 0 && rows[j]!.sent_at >= at - burstWindowMs; j--) inWindow++;
  return { contactCount: i, firstContactAt: new Date(rows[0]!.sent_at), contactsInBurstWindow: inWindow };
}
