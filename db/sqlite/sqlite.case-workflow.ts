/**
 * The case list and the team's case operations on SQLite: keyset pages over the queue indexes,
 * full-text search through messages_fts, and changes, notes, merges and splits, each one
 * `BEGIN IMMEDIATE` transaction that writes its audit events with it.
 */
import type Database from 'better-sqlite3';
import { and, asc, desc, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type {
  CaseDetail,
  CaseFilter,
  CaseMessageFacts,
  CaseNote,
  CasePage,
  CasePlan,
  CaseRefusal,
  CaseSearch,
  CaseState,
  CaseStatus,
  CaseSummary,
  CaseWorkflowDecider,
  CaseWriteOutcome,
  Reason,
  UrgencyLevel,
} from '../repository.js';
import * as s from '../schema.sqlite.js';
import type { SqliteDb } from './sqlite.repository.js';

const c = s.cases;

/** The level's weight in queue_order (see the column in schema.sqlite.ts). */
const LEVEL_WEIGHT: Record<UrgencyLevel, number> = { critical: 3_000_000, high: 2_000_000, normal: 1_000_000, low: 0 };
const SCORE_SPAN = 500_000;

/** FTS5 query text for the terms: each a quoted string, so its characters are never syntax. */
export function ftsQuery(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' AND ');
}

interface SortSpec {
  order: SQL[];
  key: (row: typeof c.$inferSelect) => number[];
  after: (k: readonly number[]) => SQL;
}

const SORTS: Record<NonNullable<CaseFilter['sort']>, SortSpec> = {
  // Row values compare in one direction only, hence queue_order (ascending = most urgent first).
  urgency: {
    order: [asc(c.queueOrder), asc(c.firstContactAt), asc(c.id)],
    key: (r) => [r.queueOrder ?? 0, r.firstContactAt.getTime(), r.id],
    after: (k) => sql`(${c.queueOrder}, ${c.firstContactAt}, ${c.id}) > (${k[0]}, ${k[1]}, ${k[2]})`,
  },
  newest: {
    order: [desc(c.createdAt), desc(c.id)],
    key: (r) => [r.createdAt.getTime(), r.id],
    after: (k) => sql`(${c.createdAt}, ${c.id}) < (${k[0]}, ${k[1]})`,
  },
  oldest: {
    order: [asc(c.createdAt), asc(c.id)],
    key: (r) => [r.createdAt.getTime(), r.id],
    after: (k) => sql`(${c.createdAt}, ${c.id}) > (${k[0]}, ${k[1]})`,
  },
  updated: {
    order: [desc(c.updatedAt), desc(c.id)],
    key: (r) => [r.updatedAt.getTime(), r.id],
    after: (k) => sql`(${c.updatedAt}, ${c.id}) < (${k[0]}, ${k[1]})`,
  },
};

/** Substring checks of the short terms on a message row `m` (ASCII case folded, as lower() does). */
function shortTermChecks(search: CaseSearch, m: string): SQL[] {
  return search.short.map(
    (t) => sql`instr(lower(coalesce(${sql.raw(m)}.subject, '') || ' ' || ${sql.raw(m)}.body), ${t.toLowerCase()}) > 0`,
  );
}

export class SqliteCaseLists {
  constructor(private readonly db: SqliteDb) {}

  page(filter: CaseFilter, toSummary: (row: typeof c.$inferSelect) => CaseSummary): CasePage {
    const sort = SORTS[filter.sort ?? 'urgency'];
    const where: SQL[] = [];
    // Under a time sort, equality filters must not lead the planner to an index of the queue order
    // (then every matching case is sorted): unary + keeps such a column out of index choice, so the
    // time index is walked and the filters are checked on the way.
    const byTime = (filter.sort ?? 'urgency') !== 'urgency';
    const col = (column: typeof c.channel | typeof c.status | typeof c.assignee): SQL => (byTime ? sql`+${column}` : sql`${column}`);
    if (filter.urgency) {
      where.push(eq(c.urgency, filter.urgency));
      // Within the queue order a level is one range: an index seek, not a walk past the levels above.
      if ((filter.sort ?? 'urgency') === 'urgency') {
        const w = -LEVEL_WEIGHT[filter.urgency];
        where.push(sql`${c.queueOrder} > ${w - SCORE_SPAN} and ${c.queueOrder} < ${w + SCORE_SPAN}`);
      }
    }
    if (filter.status) where.push(eq(col(c.status), filter.status));
    if (filter.category) where.push(eq(c.category, filter.category));
    if (filter.channels) where.push(filter.channels.length > 0 ? inArray(col(c.channel), [...filter.channels]) : sql`0`);
    if (filter.source) where.push(eq(c.source, filter.source));
    if (filter.assignee === null) where.push(isNull(col(c.assignee)));
    else if (filter.assignee !== undefined) where.push(eq(col(c.assignee), filter.assignee));
    if (filter.tag !== undefined) where.push(sql`exists (select 1 from json_each(${c.tags}) where value = ${filter.tag})`);
    if (filter.createdFrom) where.push(gte(c.createdAt, filter.createdFrom));
    if (filter.createdTo) where.push(lt(c.createdAt, filter.createdTo));
    if (filter.updatedFrom) where.push(gte(c.updatedAt, filter.updatedFrom));
    if (filter.updatedTo) where.push(lt(c.updatedAt, filter.updatedTo));
    if (!filter.includeMerged) where.push(isNull(c.mergedInto));
    if (filter.after) where.push(sort.after(filter.after));
    if (filter.search) where.push(this.searchCondition(filter.search));
    const rows = this.db
      .select()
      .from(c)
      .where(and(...where))
      .orderBy(...sort.order)
      .limit(filter.limit + 1)
      .all();
    const more = rows.length > filter.limit;
    const page = more ? rows.slice(0, filter.limit) : rows;
    return { cases: page.map(toSummary), nextAfter: more ? sort.key(page[page.length - 1]!) : null };
  }

  /**
   * The cases with a message that holds every term. The index gives the matching messages, whose
   * cases (each once) are then filtered and sorted with the rest: exact for any sort and cursor,
   * and its cost grows with how many messages match (README, Dashboard API: search).
   */
  private searchCondition(search: CaseSearch): SQL {
    const checks = shortTermChecks(search, 'm');
    return sql`${c.id} in (select m.case_id from messages_fts cross join messages m on m.id = messages_fts.rowid
      where messages_fts match ${ftsQuery(search.indexed)} and m.case_id is not null ${checks.length > 0 ? sql`and ${sql.join(checks, sql` and `)}` : sql``})`;
  }
}

/** Reads and writes of the team's case operations; the decisions come from src/cases. */
export class SqliteCaseWorkflow {
  constructor(
    private readonly sqlite: Database.Database,
    private readonly db: SqliteDb,
    private readonly detail: (caseId: number) => CaseDetail,
    private readonly issueRequestNumber: (workflow: CaseWorkflowDecider, now: Date) => string,
  ) {}

  changeCase(requestNumber: string, decide: (current: CaseState) => CasePlan | CaseRefusal, workflow: CaseWorkflowDecider): CaseWriteOutcome<CaseDetail> {
    return this.transaction(() => {
      const current = this.stateOf(requestNumber);
      if ('refused' in current) return current;
      const plan = decide(current);
      if ('refused' in plan) return plan;
      this.apply(current, plan, workflow);
      return { ok: this.detail(current.id) };
    });
  }

  addNote(
    requestNumber: string,
    note: { author: string; body: string },
    decide: (current: CaseState) => CasePlan | CaseRefusal,
    workflow: CaseWorkflowDecider,
  ): CaseWriteOutcome<CaseNote> {
    return this.transaction(() => {
      const current = this.stateOf(requestNumber);
      if ('refused' in current) return current;
      const plan = decide(current);
      if ('refused' in plan) return plan;
      const now = workflow.now();
      const row = this.db.insert(s.caseNotes).values({ caseId: current.id, at: now, author: note.author, body: note.body }).returning().get();
      this.apply(current, { set: plan.set, events: [...plan.events, { type: 'note_added', data: { by: note.author, noteId: row.id } }] }, workflow);
      return { ok: { id: row.id, at: row.at, author: row.author, body: row.body } };
    });
  }

  mergeCases(
    fromNumber: string,
    intoNumber: string,
    decide: (from: CaseState, into: CaseState) => CaseRefusal | null,
    by: string,
    workflow: CaseWorkflowDecider,
  ): CaseWriteOutcome<CaseDetail> {
    return this.transaction(() => {
      const from = this.stateOf(fromNumber);
      if ('refused' in from) return from;
      const into = this.stateOf(intoNumber);
      if ('refused' in into) return into;
      const refused = decide(from, into);
      if (refused) return refused;
      const now = workflow.now();
      const moved = this.db.update(s.messages).set({ caseId: into.id }).where(eq(s.messages.caseId, from.id)).run().changes;
      this.db.update(s.caseReferences).set({ caseId: into.id }).where(eq(s.caseReferences.caseId, from.id)).run();
      this.db.update(s.caseNotes).set({ caseId: into.id }).where(eq(s.caseNotes.caseId, from.id)).run();
      // The history travels with the messages it describes; the merged case keeps its merged_into event.
      this.db.update(s.caseEvents).set({ caseId: into.id }).where(eq(s.caseEvents.caseId, from.id)).run();
      this.rollUpInto(into, workflow, now);
      this.db
        .update(c)
        .set({ mergedInto: into.id, status: 'closed', resolvedAt: from.resolvedAt ?? now, contactCount: 0, updatedAt: now })
        .where(eq(c.id, from.id))
        .run();
      this.event(from.id, now, 'merged_into', { by, from: from.requestNumber, into: into.requestNumber, status: from.status });
      this.event(into.id, now, 'merged', { by, from: from.requestNumber, into: into.requestNumber, messages: moved });
      return { ok: this.detail(into.id) };
    });
  }

  splitMessage(
    requestNumber: string,
    messageRowId: number,
    decide: (current: CaseState) => CaseRefusal | null,
    by: string,
    workflow: CaseWorkflowDecider,
  ): CaseWriteOutcome<CaseDetail> {
    return this.transaction(() => {
      const current = this.stateOf(requestNumber);
      if ('refused' in current) return current;
      const refused = decide(current);
      if (refused) return refused;
      const messages = this.messagesOf(current.id);
      const message = messages.find((m) => m.id === messageRowId);
      if (!message) return { refused: 'not_found', message: `message ${messageRowId} is not in ${current.requestNumber}` };
      if (messages.length === 1) return { refused: 'conflict', message: `message ${messageRowId} is the only message of ${current.requestNumber}: nothing would remain` };
      const now = workflow.now();
      const row = this.db.select().from(s.messages).where(eq(s.messages.id, messageRowId)).get()!;
      const rolled = workflow.rollUp([message]);
      const newNumber = this.issueRequestNumber(workflow, now);
      const created = this.db
        .insert(c)
        .values({
          requestNumber: newNumber,
          channel: row.channel,
          source: row.source,
          subject: row.subject,
          customerKey: row.authorKey,
          customerName: row.authorName,
          urgency: rolled.urgency.level,
          urgencyScore: rolled.urgency.score,
          urgencyReasons: rolled.urgency.reasons,
          category: rolled.category,
          facts: rolled.facts,
          contactCount: 1,
          firstContactAt: rolled.firstContactAt,
          lastContactAt: rolled.lastContactAt,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: c.id })
        .get();
      this.db.insert(s.caseReferences).values({ caseId: created.id, system: 'issued', value: newNumber, createdAt: now }).run();
      this.db.update(s.messages).set({ caseId: created.id, joinReason: null, joinDetail: null }).where(eq(s.messages.id, messageRowId)).run();
      this.rollUpInto(current, workflow, now);
      this.event(current.id, now, 'split', { by, messageRowId, from: current.requestNumber, to: newNumber });
      this.event(created.id, now, 'split', { by, messageRowId, from: current.requestNumber, to: newNumber });
      return { ok: this.detail(created.id) };
    });
  }

  /** Writes a plan: the fields it names, the urgency an override change implies, its events. */
  private apply(current: CaseState, plan: CasePlan, workflow: CaseWorkflowDecider): void {
    const now = workflow.now();
    const set: Partial<typeof c.$inferInsert> = { ...plan.set, updatedAt: now };
    if (plan.set.urgencyOverride !== undefined) {
      if (plan.set.urgencyOverride !== null) {
        set.urgency = plan.set.urgencyOverride;
      } else {
        const computed = workflow.rollUp(this.messagesOf(current.id)).urgency;
        Object.assign(set, { urgency: computed.level, urgencyScore: computed.score, urgencyReasons: computed.reasons });
      }
    }
    this.db.update(c).set(set).where(eq(c.id, current.id)).run();
    for (const e of plan.events) this.event(current.id, now, e.type, e.data);
  }

  /** A case's figures again from its messages (after messages moved); an override keeps its level. */
  private rollUpInto(target: CaseState, workflow: CaseWorkflowDecider, now: Date): void {
    const r = workflow.rollUp(this.messagesOf(target.id));
    this.db
      .update(c)
      .set({
        contactCount: r.contactCount,
        firstContactAt: r.firstContactAt,
        lastContactAt: r.lastContactAt,
        urgency: target.urgencyOverride ?? r.urgency.level,
        urgencyScore: r.urgency.score,
        urgencyReasons: r.urgency.reasons,
        category: r.category,
        facts: r.facts,
        updatedAt: now,
      })
      .where(eq(c.id, target.id))
      .run();
  }

  private messagesOf(caseId: number): CaseMessageFacts[] {
    const m = s.messages;
    return this.db
      .select({ id: m.id, sentAt: m.sentAt, urgency: m.urgency, urgencyScore: m.urgencyScore, urgencyReasons: m.urgencyReasons, category: m.category, facts: m.facts })
      .from(m)
      .where(eq(m.caseId, caseId))
      .orderBy(asc(m.sentAt), asc(m.id))
      .all()
      .map((r) => ({
        id: r.id,
        sentAt: r.sentAt,
        urgency: r.urgency === null ? null : { level: r.urgency as UrgencyLevel, score: r.urgencyScore ?? 0, reasons: (r.urgencyReasons ?? []) as Reason[] },
        category: r.category,
        facts: (r.facts ?? null) as object | null,
      }));
  }

  /**
   * The case a write names: by its own issued number first, so a number merged away is told apart
   * (its reference now leads to the surviving case), then by any reference.
   */
  private stateOf(requestNumber: string): CaseState | CaseRefusal {
    const own = this.db.select().from(c).where(eq(c.requestNumber, requestNumber)).get();
    const row =
      own ??
      this.db
        .select()
        .from(c)
        .where(eq(c.id, sql`(select ${s.caseReferences.caseId} from ${s.caseReferences} where ${s.caseReferences.value} = ${requestNumber} limit 1)`))
        .get();
    if (!row) return { refused: 'not_found', message: `no case with request number or reference "${requestNumber}"` };
    const mergedInto =
      row.mergedInto === null ? null : (this.db.select({ n: c.requestNumber }).from(c).where(eq(c.id, row.mergedInto)).get()?.n ?? String(row.mergedInto));
    return {
      id: row.id,
      requestNumber: row.requestNumber,
      status: row.status as CaseStatus,
      channel: row.channel,
      assignee: row.assignee,
      tags: (row.tags ?? []) as string[],
      urgency: row.urgency as UrgencyLevel,
      urgencyOverride: row.urgencyOverride as UrgencyLevel | null,
      firstResponseAt: row.firstResponseAt,
      resolvedAt: row.resolvedAt,
      mergedInto,
    };
  }

  private event(caseId: number, at: Date, type: string, data: Record<string, unknown>): void {
    this.db.insert(s.caseEvents).values({ caseId, at, type, messageRowId: null, data }).run();
  }

  private transaction<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }
}
