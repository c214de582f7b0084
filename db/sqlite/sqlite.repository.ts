/**
 * Repository on SQLite (better-sqlite3, synchronous). ingestBatch runs as ONE synchronous
 * `BEGIN IMMEDIATE` transaction: every lookup, decision and write for the batch, plus the quarantine
 * entries and the cursor. Hot statements are prepared once.
 */
import type Database from 'better-sqlite3';
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { RawAttachment } from '../../connectors/types.js';
import type {
  ApiRole,
  ApiToken,
  CaseContext,
  CategoryAssignment,
  CaseDetail,
  CaseFilter,
  CaseNote,
  CasePage,
  CasePlan,
  CaseRefusal,
  CaseState,
  CaseStatus,
  CaseSummary,
  ConnectorCursor,
  CaseWorkflowDecider,
  CaseWriteOutcome,
  ConnectorHealth,
  DashboardStats,
  ConnectorRunRecord,
  Evidence,
  IngestBatch,
  IngestDecider,
  IngestedMessage,
  ItemOutcome,
  JoinReason,
  LiveEventPage,
  LiveEventQuery,
  MentionPage,
  MentionQuery,
  MessageKind,
  PreparedItem,
  QuarantineEntry,
  Reason,
  ReferenceValue,
  Repository,
  ReportFigures,
  ReportQuery,
  RescoreDecider,
  RescoreOptions,
  RescoreProgress,
  StatsQuery,
  Urgency,
  UrgencyLevel,
} from '../repository.js';
import * as s from '../schema.sqlite.js';
import { fastStatement } from './fast-statement.js';
import { SqliteFeed } from './sqlite.feed.js';
import { SqliteCaseLists, SqliteCaseWorkflow } from './sqlite.case-workflow.js';
import { reportFiguresSqlite } from './sqlite.reports.js';
import { rescoreSqlite } from './sqlite.rescore.js';

export type SqliteDb = BetterSQLite3Database<typeof s>;

const RECENT_BY_AUTHOR_LIMIT = 20;
const p = sql.placeholder;

export class SqliteRepository implements Repository {
  private readonly q;
  private readonly w;
  private readonly lists;
  private readonly workflow;
  private anyLinks = true;
  private readonly feed;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly db: SqliteDb,
  ) {
    this.q = prepareIngestStatements(db);
    this.w = prepareIngestWrites(sqlite, db);
    this.feed = new SqliteFeed(sqlite);
    this.lists = new SqliteCaseLists(db);
    this.workflow = new SqliteCaseWorkflow(
      sqlite,
      db,
      (caseId) => this.caseDetail(caseId),
      (numbers, now) => this.issueRequestNumber(numbers, now, new Set()),
    );
  }

  async ingestBatch<T extends PreparedItem>(batch: IngestBatch<T>, decider: IngestDecider<T>): Promise<ItemOutcome[]> {
    const run = this.sqlite.transaction(() => {
      const now = decider.now();
      // Linked identities are rare: when there are none, rule 5 needs no link lookup per item.
      this.anyLinks = this.q.anyIdentityLink.get() !== undefined;
      const outcomes = batch.items.map((item) => this.ingestOne(item, decider, now));
      for (const f of batch.failures) {
        this.w.upsertQuarantine.run({ source: f.source, rawRef: f.rawRef, reason: f.reason, detail: f.detail, at: now });
      }
      for (const c of batch.cursors) {
        this.w.upsertCursor.run({ source: c.source, key: c.key, value: c.value, at: now });
      }
      return outcomes;
    });
    return run.immediate();
  }

  private ingestOne<T extends PreparedItem>(item: T, decider: IngestDecider<T>, now: Date): ItemOutcome {
    const evidence = this.gatherEvidence(item, decider.nearDuplicateWindowMs);
    const resolution = decider.resolve(item, evidence);

    if (resolution.kind === 'duplicate') return { status: 'duplicate', reason: resolution.reason };
    if (resolution.kind === 'non_complaint') {
      const messageRowId = this.insertMessage(item, null, null, null, null, now);
      if (item.kind === 'repost' && item.repostOf) this.recordAmplification(item, item.repostOf, messageRowId, now);
      return { status: 'non_complaint', kind: item.kind, messageRowId };
    }

    if (resolution.kind === 'new_case') {
      const urgency = decider.urgency(item, null);
      // Numbers this message quotes that nobody owns yet are about to become this case's references.
      const quoted = new Set(evidence.references.filter((r) => r.system === 'issued' && r.caseId === null).map((r) => r.value));
      const requestNumber = this.issueRequestNumber(decider, now, quoted);
      const caseRow = this.w.insertCase.get({
        requestNumber,
        channel: item.channel,
        source: item.source,
        subject: item.subject,
        customerKey: item.authorKey,
        customerName: item.authorName,
        urgency: urgency.level,
        urgencyScore: urgency.score,
        urgencyReasons: urgency.reasons,
        category: item.category?.primary ?? null,
        at: item.sentAt,
        now,
      });
      if (!caseRow) throw new Error('insert into cases returned no row');
      const caseId = caseRow.id;
      this.w.insertReference.run({ caseId, system: 'issued', value: requestNumber, now });
      const messageRowId = this.insertMessage(item, caseId, null, null, urgency, now);
      const facts = decider.caseFacts(null, item, messageRowId);
      if (facts) this.w.setCaseFacts.run({ caseId, factsJson: JSON.stringify(facts) });
      this.w.insertEvent.run({ caseId, at: now, type: 'created', messageRowId, data: { requestNumber, urgency: urgency.level, score: urgency.score } });
      this.collectEarlierReposts(item, caseId, now);
      this.attachNewReferences(caseId, evidence, now);
      return { status: 'stored', messageRowId, caseId, requestNumber, joined: null, urgency, caseUrgencyChanged: false };
    }

    // join
    const { caseId, reason, detail } = resolution;
    const current = this.q.caseForJoin.get({ caseId });
    if (!current) throw new Error(`case ${caseId} named by the evidence does not exist`);
    const sentMs = item.sentAt.getTime();
    const inWindow = this.q.contactsBetween.get({ caseId, fromMs: sentMs - decider.burstWindowMs, toMs: sentMs })?.n ?? 0;
    const context: CaseContext = { contactCount: current.contactCount, firstContactAt: current.firstContactAt, contactsInBurstWindow: inWindow };
    const urgency = decider.urgency(item, context);
    const raises = urgency.score > current.urgencyScore;
    // An agent's override stands: the case keeps its level, the event tells what the rules said.
    const override = current.urgencyOverride as UrgencyLevel | null;
    const computedBefore = override !== null && raises ? (this.q.topMessageLevel.get({ caseId })?.urgency ?? null) : null;
    const messageRowId = this.insertMessage(item, caseId, reason, detail, urgency, now);
    const joinedData: Record<string, unknown> = { reason, detail };
    if (override !== null && raises && computedBefore !== urgency.level) {
      joinedData.urgencyOverride = { kept: override, computed: { from: computedBefore, to: urgency.level, score: urgency.score } };
    }
    this.w.insertEvent.run({ caseId, at: now, type: 'joined', messageRowId, data: joinedData });
    this.collectEarlierReposts(item, caseId, now);

    const level = override ?? (raises ? urgency.level : (current.urgency as UrgencyLevel));
    this.w.updateCaseOnJoin.run({
      caseId,
      sentAtMs: item.sentAt.getTime(),
      nowMs: now.getTime(),
      urgency: level,
      urgencyScore: raises ? urgency.score : current.urgencyScore,
      urgencyReasonsJson: JSON.stringify(raises ? urgency.reasons : current.urgencyReasons),
      factsJson: jsonOrNull(decider.caseFacts((current.facts ?? null) as object | null, item, messageRowId)),
      // A case labelled "other" (or not at all) takes the first later message that says what it is about.
      category:
        (current.category === null || current.category === decider.otherCategory) && item.category && item.category.primary !== decider.otherCategory
          ? item.category.primary
          : current.category,
    });
    const caseUrgencyChanged = level !== current.urgency;
    if (caseUrgencyChanged) {
      this.w.insertEvent.run({
        caseId,
        at: now,
        type: 'urgency_changed',
        messageRowId,
        data: { from: current.urgency, to: level, score: urgency.score, reasons: urgency.reasons.map((r) => r.text) },
      });
    }
    const reopened = decider.statusOnCustomerMessage(current.status as CaseStatus);
    if (reopened !== null && reopened !== current.status) {
      const done = reopened === 'resolved' || reopened === 'closed';
      this.w.setCaseStatus.run({ caseId, status: reopened, resolvedAtMs: done ? now.getTime() : null, nowMs: now.getTime() });
      this.w.insertEvent.run({ caseId, at: now, type: 'status_changed', messageRowId, data: { by: 'ingest', from: current.status, to: reopened, reason: 'the customer wrote again' } });
    }
    this.attachNewReferences(caseId, evidence, now);
    return {
      status: 'stored',
      messageRowId,
      caseId,
      requestNumber: current.requestNumber,
      joined: { reason, detail },
      urgency,
      caseUrgencyChanged,
    };
  }

  /**
   * A repost opens no case; it is counted on the original's case as an `amplified` event, one per
   * repost, whichever of the two is stored first (X answers newest first, so a retweet often
   * arrives before the post it amplifies). Re-fetching either is a duplicate and counts nothing.
   */
  private recordAmplification(item: PreparedItem, originalId: string, messageRowId: number, now: Date): void {
    const original = this.q.caseByExternalId.get({ externalId: originalId, channel: item.channel });
    if (!original?.caseId) return;
    this.insertAmplified(original.caseId, { messageRowId, externalId: item.externalId, authorKey: item.authorKey, authorFollowers: item.authorFollowers }, now);
  }

  /** A post just stored in a case: reposts of it stored before it now count on that case. */
  private collectEarlierReposts(item: PreparedItem, caseId: number, now: Date): void {
    if (item.channel !== 'x') return;
    for (const repost of this.q.repostsOf.all({ repostOf: item.externalId, channel: item.channel })) this.insertAmplified(caseId, repost, now);
  }

  private insertAmplified(
    caseId: number,
    repost: { messageRowId: number; externalId: string; authorKey: string; authorFollowers: number | null },
    now: Date,
  ): void {
    this.w.insertEvent.run({
      caseId,
      at: now,
      type: 'amplified',
      messageRowId: repost.messageRowId,
      data: { repost: repost.externalId, by: repost.authorKey, followers: repost.authorFollowers },
    });
  }

  private gatherEvidence(item: PreparedItem, windowMs: number): Evidence {
    // Rule 1: the same source, or for email any mailbox (the same message delivered twice).
    const sameId = this.q.existing.all({ externalId: item.externalId });
    const existing = sameId.find((r) => r.source === item.source) ?? (item.channel === 'email' ? sameId.find((r) => r.channel === 'email') : undefined);
    if (existing || item.kind !== 'complaint') {
      return { existing: existing ? { messageRowId: existing.messageRowId, source: existing.source } : null, threadMatches: [], references: [], conversationCaseId: null, recentByAuthor: [] };
    }

    const threadMatches: Evidence['threadMatches'] = [];
    // In-Reply-To first, then References from the newest (last) to the oldest.
    const asked = [item.inReplyTo, ...[...item.references].reverse()].filter((m): m is string => !!m);
    for (const messageId of new Set(asked)) {
      const hit = this.q.caseByMessageId.get({ messageId });
      if (hit?.caseId != null) {
        threadMatches.push({ messageId, caseId: hit.caseId });
        break;
      }
    }

    const references = item.requestNumbers.map((r) => ({
      ...r,
      caseId: this.q.caseByReference.get({ system: r.system, value: r.value })?.caseId ?? null,
    }));

    const conversationCaseId = item.conversationId
      ? (this.q.caseByConversation.get({ conversationId: item.conversationId })?.caseId ?? null)
      : null;

    const linked = this.anyLinks ? this.q.linkedIdentities.all({ authorKey: item.authorKey }).map((r) => r.authorKey) : [];
    const keys = [item.authorKey, ...linked];
    // Placeholders inside raw sql carry no column type: times go in as epoch ms.
    const fromMs = item.sentAt.getTime() - windowMs;
    const toMs = item.sentAt.getTime() + windowMs;
    const recentByAuthor = [...new Set(keys)]
      .flatMap((authorKey) => this.q.recentByAuthor.all({ authorKey, fromMs, toMs, limit: RECENT_BY_AUTHOR_LIMIT }))
      .filter((r): r is typeof r & { caseId: number } => r.caseId !== null)
      .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime());

    return { existing: null, threadMatches, references, conversationCaseId, recentByAuthor };
  }

  /** Unknown quoted numbers become references of the case (first case to claim a number keeps it). */
  private attachNewReferences(caseId: number, evidence: Evidence, now: Date): void {
    for (const ref of evidence.references) {
      if (ref.caseId !== null) continue;
      const inserted = this.w.insertReferenceIfNew.run({ caseId, system: ref.system, value: ref.value, now });
      if (inserted.changes > 0) {
        this.w.insertEvent.run({ caseId, at: now, type: 'reference_added', messageRowId: null, data: { system: ref.system, value: ref.value } });
      }
    }
  }

  private issueRequestNumber(decider: Pick<IngestDecider<PreparedItem>, 'requestNumberScope' | 'formatRequestNumber'>, now: Date, quoted: Set<string>): string {
    const scope = decider.requestNumberScope(now);
    // A customer may quote a number we have not issued yet (a typo, another office): rule 3 keeps
    // it as a reference of its case, so issuing skips it rather than give two cases one number.
    for (;;) {
      const row = this.w.nextSequence.get({ scope });
      if (!row) throw new Error('request sequence update returned no row');
      const value = decider.formatRequestNumber(row.last, now);
      if (!quoted.has(value) && !this.q.caseByReference.get({ system: 'issued', value })) return value;
    }
  }

  private insertMessage(
    item: PreparedItem,
    caseId: number | null,
    joinReason: JoinReason | null,
    joinDetail: string | null,
    urgency: Urgency | null,
    now: Date,
  ): number {
    const row = this.w.insertMessage.get({
      caseId,
      source: item.source,
      externalId: item.externalId,
      channel: item.channel,
      kind: item.kind,
      kindReason: item.kindReason,
      joinReason,
      joinDetail,
      messageId: item.messageId,
      inReplyTo: item.inReplyTo,
      references: item.references.length > 0 ? item.references : null,
      conversationId: item.conversationId,
      repostOf: item.repostOf ?? null,
      authorKey: item.authorKey,
      authorName: item.authorName,
      authorHandle: item.authorHandle,
      authorFollowers: item.authorFollowers,
      subject: item.subject,
      body: item.body,
      textHash: item.textHash,
      fingerprint: Buffer.from(item.fingerprint.buffer, item.fingerprint.byteOffset, item.fingerprint.byteLength),
      lang: item.lang,
      url: item.url,
      sentAt: item.sentAt,
      ingestedAt: now,
      urgency: urgency?.level ?? null,
      urgencyScore: urgency?.score ?? null,
      urgencyReasons: urgency?.reasons ?? null,
      category: item.category?.primary ?? null,
      categoryConfidence: item.category?.confidence ?? null,
      categories: item.category && item.category.labels.length > 0 ? item.category.labels : null,
      facts: item.facts,
      requestNumbers: item.requestNumbers.length > 0 ? item.requestNumbers : null,
      redactions: Object.keys(item.redactions).length > 0 ? item.redactions : null,
      headers: item.headers,
      notes: item.notes.length > 0 ? item.notes : null,
      foundInSpam: item.foundInSpam,
      rawRef: item.rawRef,
    });
    if (!row) throw new Error('insert into messages returned no row');
    for (const a of item.attachments) {
      this.w.insertAttachment.run({ messageRowId: row.id, name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256 });
    }
    return row.id;
  }

  async getCursor(source: string, key: string): Promise<string | null> {
    return this.q.getCursor.get({ source, key })?.value ?? null;
  }

  async listCases(filter: CaseFilter): Promise<CaseSummary[]> {
    return this.lists.page(filter, toCaseSummary).cases;
  }

  async listCasePage(filter: CaseFilter): Promise<CasePage> {
    return this.lists.page(filter, toCaseSummary);
  }

  async changeCase(
    requestNumber: string,
    decide: (current: CaseState) => CasePlan | CaseRefusal,
    workflow: CaseWorkflowDecider,
  ): Promise<CaseWriteOutcome<CaseDetail>> {
    return this.workflow.changeCase(requestNumber, decide, workflow);
  }

  async addNote(
    requestNumber: string,
    note: { author: string; body: string },
    decide: (current: CaseState) => CasePlan | CaseRefusal,
    workflow: CaseWorkflowDecider,
  ): Promise<CaseWriteOutcome<CaseNote>> {
    return this.workflow.addNote(requestNumber, note, decide, workflow);
  }

  async mergeCases(
    from: string,
    into: string,
    decide: (from: CaseState, into: CaseState) => CaseRefusal | null,
    by: string,
    workflow: CaseWorkflowDecider,
  ): Promise<CaseWriteOutcome<CaseDetail>> {
    return this.workflow.mergeCases(from, into, decide, by, workflow);
  }

  async splitMessage(
    requestNumber: string,
    messageRowId: number,
    decide: (current: CaseState) => CaseRefusal | null,
    by: string,
    workflow: CaseWorkflowDecider,
  ): Promise<CaseWriteOutcome<CaseDetail>> {
    return this.workflow.splitMessage(requestNumber, messageRowId, decide, by, workflow);
  }

  async getCase(requestNumber: string): Promise<CaseDetail | null> {
    // Any reference of the case finds it: the issued number or a quoted one.
    const ref = this.db
      .select({ caseId: s.caseReferences.caseId })
      .from(s.caseReferences)
      .where(eq(s.caseReferences.value, requestNumber))
      .get();
    if (!ref) return null;
    return this.caseDetail(ref.caseId);
  }

  private caseDetail(caseId: number): CaseDetail {
    const row = this.db.select().from(s.cases).where(eq(s.cases.id, caseId)).get();
    if (!row) throw new Error(`case ${caseId} named by a reference does not exist`);
    const references = this.db
      .select({ system: s.caseReferences.system, value: s.caseReferences.value, createdAt: s.caseReferences.createdAt })
      .from(s.caseReferences)
      .where(eq(s.caseReferences.caseId, row.id))
      .orderBy(asc(s.caseReferences.id))
      .all();
    const messages = this.db.select().from(s.messages).where(eq(s.messages.caseId, row.id)).orderBy(asc(s.messages.sentAt), asc(s.messages.id)).all();
    const attachments =
      messages.length > 0
        ? this.db
            .select()
            .from(s.attachments)
            .where(inArray(s.attachments.messageRowId, messages.map((m) => m.id)))
            .all()
        : [];
    const events = this.db.select().from(s.caseEvents).where(eq(s.caseEvents.caseId, row.id)).orderBy(asc(s.caseEvents.at), asc(s.caseEvents.id)).all();
    return {
      ...toCaseSummary(row),
      references,
      messages: messages.map((m) => ({
        id: m.id,
        source: m.source,
        externalId: m.externalId,
        channel: m.channel,
        kind: m.kind as MessageKind,
        joinReason: m.joinReason as JoinReason | null,
        joinDetail: m.joinDetail,
        authorKey: m.authorKey,
        authorName: m.authorName,
        authorFollowers: m.authorFollowers,
        subject: m.subject,
        body: m.body,
        sentAt: m.sentAt,
        urgency:
          m.urgency !== null
            ? { level: m.urgency as UrgencyLevel, score: m.urgencyScore ?? 0, reasons: (m.urgencyReasons ?? []) as Reason[] }
            : null,
        category:
          m.category !== null
            ? { primary: m.category, confidence: m.categoryConfidence ?? 0, labels: (m.categories ?? []) as CategoryAssignment['labels'] }
            : null,
        facts: (m.facts ?? null) as object | null,
        requestNumbers: (m.requestNumbers ?? []) as ReferenceValue[],
        redactions: (m.redactions ?? {}) as Record<string, number>,
        notes: (m.notes ?? []) as string[],
        url: m.url,
        rawRef: m.rawRef,
        attachments: attachments
          .filter((a) => a.messageRowId === m.id)
          .map((a): RawAttachment => ({ name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256 })),
      })),
      events: events.map((e) => ({ at: e.at, type: e.type, messageRowId: e.messageRowId, data: e.data as Record<string, unknown> | null })),
      notes: this.db
        .select({ id: s.caseNotes.id, at: s.caseNotes.at, author: s.caseNotes.author, body: s.caseNotes.body })
        .from(s.caseNotes)
        .where(eq(s.caseNotes.caseId, row.id))
        .orderBy(asc(s.caseNotes.at), asc(s.caseNotes.id))
        .all(),
      mergedIntoNumber:
        row.mergedInto === null ? null : (this.db.select({ n: s.cases.requestNumber }).from(s.cases).where(eq(s.cases.id, row.mergedInto)).get()?.n ?? null),
    };
  }

  async listQuarantine(source?: string): Promise<QuarantineEntry[]> {
    return this.db
      .select()
      .from(s.quarantine)
      .where(source ? eq(s.quarantine.source, source) : undefined)
      .orderBy(asc(s.quarantine.id))
      .all();
  }

  async linkIdentities(a: string, b: string): Promise<void> {
    this.sqlite.transaction(() => {
      const now = new Date();
      const existing = this.db
        .select({ customerKey: s.identityLinks.customerKey })
        .from(s.identityLinks)
        .where(inArray(s.identityLinks.authorKey, [a, b]))
        .all();
      const customerKey = existing[0]?.customerKey ?? a;
      const others = existing.map((e) => e.customerKey).filter((k) => k !== customerKey);
      if (others.length > 0) {
        // Merging two groups: everyone in the other group joins this one.
        this.db.update(s.identityLinks).set({ customerKey }).where(inArray(s.identityLinks.customerKey, others)).run();
      }
      for (const authorKey of [a, b]) {
        this.db
          .insert(s.identityLinks)
          .values({ authorKey, customerKey, createdAt: now })
          .onConflictDoUpdate({ target: s.identityLinks.authorKey, set: { customerKey } })
          .run();
      }
    })();
  }

  async counts(): Promise<{ cases: number; messages: number; quarantined: number }> {
    const one = (table: typeof s.cases | typeof s.messages | typeof s.quarantine) =>
      this.db.select({ n: sql<number>`count(*)` }).from(table).get()?.n ?? 0;
    return { cases: one(s.cases), messages: one(s.messages), quarantined: one(s.quarantine) };
  }

  async recordConnectorRun(run: ConnectorRunRecord): Promise<void> {
    const h = s.connectorHealth;
    const base = {
      source: run.source,
      lastRunStartedAt: run.startedAt,
      lastRunFinishedAt: run.finishedAt,
      lastItems: run.items,
      retryNotBefore: run.retryNotBefore ?? null,
    };
    if (run.error === null) {
      const ok = { ...base, state: 'ok', lastSuccessAt: run.finishedAt, consecutiveFailures: 0 };
      this.db.insert(h).values(ok).onConflictDoUpdate({ target: h.source, set: ok }).run();
      return;
    }
    const failing = {
      ...base,
      state: 'failing',
      lastErrorKind: run.error.kind,
      lastErrorCode: run.error.code,
      lastErrorMessage: run.error.message,
      lastErrorAt: run.finishedAt,
    };
    this.db
      .insert(h)
      .values({ ...failing, consecutiveFailures: 1 })
      .onConflictDoUpdate({ target: h.source, set: { ...failing, consecutiveFailures: sql`${h.consecutiveFailures} + 1` } })
      .run();
  }

  async listConnectorHealth(): Promise<ConnectorHealth[]> {
    return this.db
      .select()
      .from(s.connectorHealth)
      .orderBy(asc(s.connectorHealth.source))
      .all()
      .map((r) => ({
        source: r.source,
        state: r.state as ConnectorHealth['state'],
        lastRunStartedAt: r.lastRunStartedAt,
        lastRunFinishedAt: r.lastRunFinishedAt,
        lastSuccessAt: r.lastSuccessAt,
        lastItems: r.lastItems,
        consecutiveFailures: r.consecutiveFailures,
        lastError:
          r.lastErrorKind !== null && r.lastErrorAt !== null
            ? { kind: r.lastErrorKind, code: r.lastErrorCode ?? '', message: r.lastErrorMessage ?? '', at: r.lastErrorAt }
            : null,
        retryNotBefore: r.retryNotBefore,
      }));
  }

  async listConnectorCursors(): Promise<ConnectorCursor[]> {
    const c = s.connectorCursors;
    return this.db.select().from(c).orderBy(asc(c.source), asc(c.key)).all();
  }

  async oldestUnansweredByChannel(): Promise<{ channel: string; firstContactAt: Date }[]> {
    const c = s.cases;
    return this.db
      .select({ channel: c.channel, firstContactAt: sql<number>`min(${c.firstContactAt})`.mapWith(c.firstContactAt) })
      .from(c)
      .where(and(inArray(c.status, ['new', 'open', 'waiting']), isNull(c.firstResponseAt), isNull(c.mergedInto)))
      .groupBy(c.channel)
      .orderBy(asc(c.channel))
      .all();
  }

  async rescore(decider: RescoreDecider, options?: RescoreOptions): Promise<RescoreProgress> {
    return rescoreSqlite(this.sqlite, decider, options);
  }

  async listEventsAfter(afterId: number, query: LiveEventQuery): Promise<LiveEventPage> {
    return this.feed.listEventsAfter(afterId, query);
  }

  async latestEventId(): Promise<number> {
    return this.feed.latestEventId();
  }

  async listMentions(query: MentionQuery): Promise<MentionPage> {
    return this.feed.listMentions(query);
  }

  async findIngested(source: string, externalId: string): Promise<IngestedMessage | null> {
    return this.feed.findIngested(source, externalId);
  }

  async dashboardStats(query: StatsQuery): Promise<DashboardStats> {
    return this.feed.dashboardStats(query);
  }

  async reportFigures(query: ReportQuery): Promise<ReportFigures> {
    return reportFiguresSqlite(this.sqlite, query);
  }

  async createToken(name: string, role: ApiRole, tokenHash: string): Promise<ApiToken | 'name_taken'> {
    const row = this.db
      .insert(s.apiTokens)
      .values({ name, role, tokenHash, createdAt: new Date() })
      .onConflictDoNothing({ target: s.apiTokens.name })
      .returning()
      .get();
    return row ? toApiToken(row) : 'name_taken';
  }

  async findTokenByHash(tokenHash: string): Promise<ApiToken | null> {
    const row = this.db.select().from(s.apiTokens).where(eq(s.apiTokens.tokenHash, tokenHash)).get();
    return row ? toApiToken(row) : null;
  }

  async markTokenUsed(id: number, at: Date): Promise<void> {
    this.db.update(s.apiTokens).set({ lastUsedAt: at }).where(eq(s.apiTokens.id, id)).run();
  }

  async listTokens(): Promise<ApiToken[]> {
    return this.db.select().from(s.apiTokens).orderBy(asc(s.apiTokens.id)).all().map(toApiToken);
  }

  async revokeToken(name: string, at: Date): Promise<boolean> {
    const result = this.db
      .update(s.apiTokens)
      .set({ revokedAt: at })
      .where(and(eq(s.apiTokens.name, name), isNull(s.apiTokens.revokedAt)))
      .run();
    return result.changes > 0;
  }

  async ping(): Promise<void> {
    this.sqlite.prepare('select 1').get();
  }

  // data_version moves with other connections' commits, total_changes() with this one's writes.
  private changeStampStatement: Database.Statement<[], { v: number; t: number }> | null = null;

  async changeStamp(): Promise<string> {
    this.changeStampStatement ??= this.sqlite.prepare('select data_version as v, total_changes() as t from pragma_data_version');
    const { v, t } = this.changeStampStatement.get()!;
    return `${v}:${t}`;
  }

  async close(): Promise<void> {
    this.sqlite.close();
  }
}

function toApiToken(row: typeof s.apiTokens.$inferSelect): ApiToken {
  return {
    id: row.id,
    name: row.name,
    role: row.role as ApiRole,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

function toCaseSummary(row: typeof s.cases.$inferSelect): CaseSummary {
  return {
    ...row,
    status: row.status as CaseStatus,
    urgency: row.urgency as UrgencyLevel,
    urgencyReasons: row.urgencyReasons as Reason[],
    urgencyOverride: row.urgencyOverride as UrgencyLevel | null,
    tags: (row.tags ?? []) as string[],
    facts: (row.facts ?? null) as object | null,
  };
}

/** Exported for the index test: each lookup must be an index search. */
export function prepareIngestStatements(db: SqliteDb) {
  const m = s.messages;
  return {
    existing: db
      .select({ messageRowId: m.id, source: m.source, channel: m.channel })
      .from(m)
      .where(eq(m.externalId, p('externalId')))
      .prepare(),
    caseByMessageId: db
      .select({ caseId: m.caseId })
      .from(m)
      .where(and(eq(m.messageId, p('messageId')), sql`${m.caseId} is not null`))
      .limit(1)
      .prepare(),
    caseByReference: db
      .select({ caseId: s.caseReferences.caseId })
      .from(s.caseReferences)
      .where(and(eq(s.caseReferences.system, p('system')), eq(s.caseReferences.value, p('value'))))
      .prepare(),
    repostsOf: db
      .select({ messageRowId: m.id, externalId: m.externalId, authorKey: m.authorKey, authorFollowers: m.authorFollowers })
      .from(m)
      .where(and(eq(m.repostOf, p('repostOf')), eq(m.channel, p('channel'))))
      .orderBy(asc(m.id))
      .prepare(),
    caseByExternalId: db
      .select({ caseId: m.caseId })
      .from(m)
      // `+channel`: looked up by external id (messages_external_uq). Left to itself the planner takes
      // the feed's partial (channel, sent_at) index, which here reads every post of the channel: one
      // scan per retweet made an X import quadratic.
      .where(and(eq(m.externalId, p('externalId')), sql`+${m.channel} = ${p('channel')}`, sql`${m.caseId} is not null`))
      .limit(1)
      .prepare(),
    caseByConversation: db
      .select({ caseId: m.caseId })
      .from(m)
      .where(and(eq(m.conversationId, p('conversationId')), sql`${m.caseId} is not null`))
      .limit(1)
      .prepare(),
    anyIdentityLink: db.select({ one: sql<number>`1` }).from(s.identityLinks).limit(1).prepare(),
    linkedIdentities: db
      .select({ authorKey: s.identityLinks.authorKey })
      .from(s.identityLinks)
      .where(
        sql`${s.identityLinks.customerKey} = (select ${s.identityLinks.customerKey} from ${s.identityLinks} where ${s.identityLinks.authorKey} = ${p('authorKey')})`,
      )
      .prepare(),
    // Only complaints have a case: "case_id is not null" is the complaint filter, and with it the
    // query reads nothing but messages_author_recent_idx (a covering index).
    recentByAuthor: db
      .select({ messageRowId: m.id, caseId: m.caseId, sentAt: m.sentAt, textHash: m.textHash, fingerprint: m.fingerprint })
      .from(m)
      .where(and(eq(m.authorKey, p('authorKey')), sql`${m.sentAt} between ${p('fromMs')} and ${p('toMs')}`, sql`${m.caseId} is not null`))
      .orderBy(desc(m.sentAt))
      .limit(p('limit'))
      .prepare(),
    caseForJoin: db
      .select({
        requestNumber: s.cases.requestNumber,
        urgency: s.cases.urgency,
        urgencyScore: s.cases.urgencyScore,
        urgencyReasons: s.cases.urgencyReasons,
        contactCount: s.cases.contactCount,
        firstContactAt: s.cases.firstContactAt,
        category: s.cases.category,
        facts: s.cases.facts,
        status: s.cases.status,
        urgencyOverride: s.cases.urgencyOverride,
      })
      .from(s.cases)
      .where(eq(s.cases.id, p('caseId')))
      .prepare(),
    // The level the rules give a case whose level an agent overrode: its most urgent message's.
    topMessageLevel: db
      .select({ urgency: m.urgency })
      .from(m)
      .where(and(eq(m.caseId, p('caseId')), sql`${m.urgencyScore} is not null`))
      .orderBy(desc(m.urgencyScore), asc(m.sentAt), asc(m.id))
      .limit(1)
      .prepare(),
    // Only complaints belong to cases, so the (case_id, sent_at) index answers this alone.
    contactsBetween: db
      .select({ n: sql<number>`count(*)` })
      .from(m)
      .where(and(eq(m.caseId, p('caseId')), sql`${m.sentAt} between ${p('fromMs')} and ${p('toMs')}`))
      .prepare(),
    getCursor: db
      .select({ value: s.connectorCursors.value })
      .from(s.connectorCursors)
      .where(and(eq(s.connectorCursors.source, p('source')), eq(s.connectorCursors.key, p('key'))))
      .prepare(),
  };
}

/** The ingest path's writes, built by drizzle, bound and run directly (see fast-statement.ts). */
function prepareIngestWrites(sqlite: Database.Database, db: SqliteDb) {
  const m = s.messages;
  // drizzle's prepare() is used for its getQuery(): the SQL text and the parameters with their encoders.
  const f = <Row = unknown>(builder: { prepare(): { getQuery(): { sql: string; params: unknown[] } } }) =>
    fastStatement<Row>(sqlite, builder.prepare());
  return {
    nextSequence: f<{ last: number }>(
      db
        .insert(s.requestSequences)
        .values({ scope: p('scope'), last: 1 })
        .onConflictDoUpdate({ target: s.requestSequences.scope, set: { last: sql`${s.requestSequences.last} + 1` } })
        .returning({ last: s.requestSequences.last }),
    ),
    insertCase: f<{ id: number }>(
      db
        .insert(s.cases)
        .values({
          requestNumber: p('requestNumber'),
          channel: p('channel'),
          source: p('source'),
          subject: p('subject'),
          customerKey: p('customerKey'),
          customerName: p('customerName'),
          urgency: p('urgency'),
          urgencyScore: p('urgencyScore'),
          urgencyReasons: p('urgencyReasons'),
          category: p('category'),
          contactCount: 1,
          firstContactAt: p('at'),
          lastContactAt: p('at'),
          createdAt: p('now'),
          updatedAt: p('now'),
        })
        .returning({ id: s.cases.id }),
    ),
    updateCaseOnJoin: f(
      db
        .update(s.cases)
        .set({
          contactCount: sql`${s.cases.contactCount} + 1`,
          firstContactAt: sql`min(${s.cases.firstContactAt}, ${p('sentAtMs')})`,
          lastContactAt: sql`max(${s.cases.lastContactAt}, ${p('sentAtMs')})`,
          // update().set() takes no typed placeholders: values arrive already encoded.
          updatedAt: sql`${p('nowMs')}`,
          urgency: sql`${p('urgency')}`,
          urgencyScore: sql`${p('urgencyScore')}`,
          urgencyReasons: sql`${p('urgencyReasonsJson')}`,
          category: sql`${p('category')}`,
          facts: sql`${p('factsJson')}`,
        })
        .where(eq(s.cases.id, p('caseId'))),
    ),
    setCaseStatus: f(
      db
        .update(s.cases)
        .set({ status: sql`${p('status')}`, resolvedAt: sql`${p('resolvedAtMs')}`, updatedAt: sql`${p('nowMs')}` })
        .where(eq(s.cases.id, p('caseId'))),
    ),
    setCaseFacts: f(
      db
        .update(s.cases)
        .set({ facts: sql`${p('factsJson')}` })
        .where(eq(s.cases.id, p('caseId'))),
    ),
    insertReference: f(
      db.insert(s.caseReferences).values({ caseId: p('caseId'), system: p('system'), value: p('value'), createdAt: p('now') }),
    ),
    insertReferenceIfNew: f(
      db
        .insert(s.caseReferences)
        .values({ caseId: p('caseId'), system: p('system'), value: p('value'), createdAt: p('now') })
        .onConflictDoNothing(),
    ),
    insertEvent: f(
      db
        .insert(s.caseEvents)
        .values({ caseId: p('caseId'), at: p('at'), type: p('type'), messageRowId: p('messageRowId'), data: p('data') }),
    ),
    insertMessage: f<{ id: number }>(
      db
        .insert(m)
        .values({
          caseId: p('caseId'),
          source: p('source'),
          externalId: p('externalId'),
          channel: p('channel'),
          kind: p('kind'),
          kindReason: p('kindReason'),
          joinReason: p('joinReason'),
          joinDetail: p('joinDetail'),
          messageId: p('messageId'),
          inReplyTo: p('inReplyTo'),
          references: p('references'),
          conversationId: p('conversationId'),
          repostOf: p('repostOf'),
          authorKey: p('authorKey'),
          authorName: p('authorName'),
          authorHandle: p('authorHandle'),
          authorFollowers: p('authorFollowers'),
          subject: p('subject'),
          body: p('body'),
          textHash: p('textHash'),
          fingerprint: p('fingerprint'),
          lang: p('lang'),
          url: p('url'),
          sentAt: p('sentAt'),
          ingestedAt: p('ingestedAt'),
          urgency: p('urgency'),
          urgencyScore: p('urgencyScore'),
          urgencyReasons: p('urgencyReasons'),
          category: p('category'),
          categoryConfidence: p('categoryConfidence'),
          categories: p('categories'),
          facts: p('facts'),
          requestNumbers: p('requestNumbers'),
          redactions: p('redactions'),
          headers: p('headers'),
          notes: p('notes'),
          foundInSpam: p('foundInSpam'),
          rawRef: p('rawRef'),
        })
        .returning({ id: m.id }),
    ),
    insertAttachment: f(
      db
        .insert(s.attachments)
        .values({ messageRowId: p('messageRowId'), name: p('name'), contentType: p('contentType'), size: p('size'), sha256: p('sha256') }),
    ),
    upsertQuarantine: f(
      db
        .insert(s.quarantine)
        .values({ source: p('source'), rawRef: p('rawRef'), reason: p('reason'), detail: p('detail'), firstSeenAt: p('at'), lastSeenAt: p('at') })
        .onConflictDoUpdate({
          target: [s.quarantine.source, s.quarantine.rawRef],
          set: {
            reason: sql`excluded.reason`,
            detail: sql`excluded.detail`,
            attempts: sql`${s.quarantine.attempts} + 1`,
            lastSeenAt: sql`excluded.last_seen_at`,
          },
        }),
    ),
    upsertCursor: f(
      db
        .insert(s.connectorCursors)
        .values({ source: p('source'), key: p('key'), value: p('value'), updatedAt: p('at') })
        .onConflictDoUpdate({
          target: [s.connectorCursors.source, s.connectorCursors.key],
          set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` },
        }),
    ),
  };
}

function jsonOrNull(value: object | null): string | null {
  return value === null ? null : JSON.stringify(value);
}
