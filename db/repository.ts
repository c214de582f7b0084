/**
 * The repository: all database access goes through this interface. Methods are async even on
 * SQLite, so PostgreSQL's async driver slots in without touching callers. Every write that must be
 * atomic is one method (ingestBatch stores items, quarantine entries and the cursor in one
 * transaction).
 *
 * Ingestion decisions are the pipeline's; the repository asks for them through IngestDecider
 * inside its transaction, so each decision sees exactly the state it is committed against
 * (including items stored earlier in the same batch).
 */
import type { CursorUpdate, FailedItem, RawAttachment } from '../connectors/types.js';

export type MessageKind = 'complaint' | 'bounce' | 'delivery_report' | 'feedback_report' | 'auto_reply' | 'mailing_list' | 'repost';
export type JoinReason = 'thread' | 'request_number' | 'conversation' | 'near_duplicate';
export type DuplicateReason = 'same_external_id' | 'same_message_other_mailbox';
export type CaseStatus = 'new' | 'open' | 'waiting' | 'resolved' | 'closed';
export type UrgencyLevel = 'critical' | 'high' | 'normal' | 'low';

/** One reason behind an urgency score: "amount Rp 1.500.000" (+2). */
export interface Reason {
  /** Stable id of the rule that fired (`unauthorised_transaction`, `reach`, ...). */
  code: string;
  points: number;
  /** Short, human, in the team's language. */
  text: string;
  /** The words in the message that fired it, when the rule is a text pattern. */
  evidence?: string;
}

export interface Urgency {
  level: UrgencyLevel;
  score: number;
  reasons: Reason[];
}

/** What a complaint is about (category-rubric.md), as the pipeline decided it. */
export interface CategoryAssignment {
  /** The primary category, or the rules' `other`. */
  primary: string;
  /** 0..1: how far the primary stands above the next. */
  confidence: number;
  /** The primary and a close second, each with the words that made it. */
  labels: { category: string; label: string; score: number; evidence: string[] }[];
}

export interface ReferenceValue {
  system: string;
  value: string;
}

/** A message ready to store: normalised, redacted, classified. */
export interface PreparedItem {
  source: string;
  externalId: string;
  channel: string;
  kind: MessageKind;
  kindReason: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  conversationId: string | null;
  /** A repost (retweet): the external id of the original post it amplifies. */
  repostOf?: string | null;
  authorKey: string;
  authorName: string | null;
  authorHandle: string | null;
  authorFollowers: number | null;
  subject: string | null;
  body: string;
  textHash: string;
  /** The pipeline's comparison fingerprint of the text (opaque to the store). */
  fingerprint: Uint8Array;
  lang: string | null;
  url: string | null;
  sentAt: Date;
  requestNumbers: ReferenceValue[];
  redactions: Record<string, number>;
  headers: Record<string, string> | null;
  notes: string[];
  foundInSpam: boolean;
  rawRef: string;
  attachments: RawAttachment[];
  /** Complaints only; null for bounces, auto-replies and the like. */
  category: CategoryAssignment | null;
  /** Facts found in the subject and body, each with its span (the pipeline's shape; opaque to the store). */
  facts: object | null;
}

/** What the store knows about an item before it decides (each lookup is one index probe). */
export interface Evidence {
  /** Rule 1: the same item already stored (same source, or another mailbox for email). */
  existing: { messageRowId: number; source: string } | null;
  /** Rule 2: stored messages named by In-Reply-To/References, in the order asked. */
  threadMatches: { messageId: string; caseId: number }[];
  /** Rule 3: each recognised number, with its case when known. */
  references: (ReferenceValue & { caseId: number | null })[];
  /** Rule 4: the case of a stored post in the same conversation. */
  conversationCaseId: number | null;
  /** Rule 5: the same customer's recent messages that belong to a case (newest first). */
  recentByAuthor: { messageRowId: number; caseId: number; sentAt: Date; textHash: string; fingerprint: Uint8Array }[];
}

export type Resolution =
  | { kind: 'duplicate'; reason: DuplicateReason }
  | { kind: 'non_complaint' }
  | { kind: 'join'; caseId: number; reason: JoinReason; detail: string }
  | { kind: 'new_case' };

export interface CaseContext {
  contactCount: number;
  firstContactAt: Date;
  /** The case's messages sent within `IngestDecider.burstWindowMs` before this one. */
  contactsInBurstWindow: number;
}

/** The pipeline's decisions, called by the store inside its transaction. Must be pure and sync. */
export interface IngestDecider<T extends PreparedItem> {
  now(): Date;
  /** Messages of the same author within this many ms either side are rule-5 candidates. */
  nearDuplicateWindowMs: number;
  /** How far back earlier contacts count towards a burst of repeat contacts (urgency). */
  burstWindowMs: number;
  /** The category that means "none of these": a case labelled so takes a later message's category. */
  otherCategory: string;
  /** The case's facts with a newly stored message's added (`current` null for a new case). */
  caseFacts(current: object | null, item: T, messageRowId: number): object | null;
  resolve(item: T, evidence: Evidence): Resolution;
  /** `context` is null for the first message of a new case. */
  urgency(item: T, context: CaseContext | null): Urgency;
  requestNumberScope(at: Date): string;
  formatRequestNumber(sequence: number, at: Date): string;
  /** The status a case takes when the customer writes again (a resolved case re-opens), or null to keep it. */
  statusOnCustomerMessage(status: CaseStatus): CaseStatus | null;
}

export type ItemOutcome =
  | { status: 'duplicate'; reason: DuplicateReason }
  | { status: 'non_complaint'; kind: MessageKind; messageRowId: number }
  | {
      status: 'stored';
      messageRowId: number;
      caseId: number;
      requestNumber: string;
      joined: { reason: JoinReason; detail: string } | null;
      urgency: Urgency;
      caseUrgencyChanged: boolean;
    };

export interface IngestBatch<T extends PreparedItem> {
  items: T[];
  failures: FailedItem[];
  /** Advanced in the same transaction; null when the source has no cursor (file import). */
  cursors: CursorUpdate[];
}

export interface CaseSummary {
  id: number;
  requestNumber: string;
  status: CaseStatus;
  channel: string;
  source: string;
  subject: string | null;
  customerKey: string;
  customerName: string | null;
  urgency: UrgencyLevel;
  urgencyScore: number;
  urgencyReasons: Reason[];
  /** Primary complaint category of the case, null for a case stored before categories existed. */
  category: string | null;
  /** Facts rolled up from the case's messages. */
  facts: object | null;
  contactCount: number;
  /** The agent (token name) working the case. */
  assignee: string | null;
  tags: string[];
  /** An agent's urgency level; when set, `urgency` is this level whatever later messages score. */
  urgencyOverride: UrgencyLevel | null;
  /** The team's first answer: the first note or the first status change away from `new`. */
  firstResponseAt: Date | null;
  /** When the case became resolved or closed (null while it is not). */
  resolvedAt: Date | null;
  /** The case this one was merged into (its messages and references now live there). */
  mergedInto: number | null;
  firstContactAt: Date;
  lastContactAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageDetail {
  id: number;
  source: string;
  externalId: string;
  channel: string;
  kind: MessageKind;
  joinReason: JoinReason | null;
  joinDetail: string | null;
  authorKey: string;
  authorName: string | null;
  authorFollowers: number | null;
  subject: string | null;
  body: string;
  sentAt: Date;
  urgency: Urgency | null;
  category: CategoryAssignment | null;
  facts: object | null;
  requestNumbers: ReferenceValue[];
  redactions: Record<string, number>;
  notes: string[];
  url: string | null;
  rawRef: string;
  attachments: RawAttachment[];
}

export interface CaseEvent {
  at: Date;
  type: string;
  messageRowId: number | null;
  data: Record<string, unknown> | null;
}

export interface CaseDetail extends CaseSummary {
  references: (ReferenceValue & { createdAt: Date })[];
  messages: MessageDetail[];
  events: CaseEvent[];
  notes: CaseNote[];
  /** The request number of the case this one was merged into, when it was. */
  mergedIntoNumber: string | null;
}

/**
 * Case list orders. `urgency`: the work queue (level, an override counting, then score, most urgent
 * first; then oldest first contact; then id). `newest`/`oldest`: by creation. `updated`: most
 * recently changed first.
 */
export type CaseSort = 'urgency' | 'newest' | 'oldest' | 'updated';
export const CASE_SORTS: readonly CaseSort[] = ['urgency', 'newest', 'oldest', 'updated'];

/** Full-text search over messages' subject and body: a case matches when one message holds every term. */
export interface CaseSearch {
  /** Terms of 3 or more characters: looked up in the full-text index (substrings, any case). */
  indexed: string[];
  /** Shorter terms: checked as substrings of the messages the indexed terms found. */
  short: string[];
}

export interface CaseFilter {
  urgency?: UrgencyLevel | undefined;
  status?: CaseStatus | undefined;
  category?: string | undefined;
  /** Only cases whose channel is one of these (an empty list matches nothing). */
  channels?: readonly string[] | undefined;
  source?: string | undefined;
  /** A token name, or null for unassigned cases. */
  assignee?: string | null | undefined;
  tag?: string | undefined;
  /** Inclusive lower and exclusive upper bounds. */
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  updatedFrom?: Date | undefined;
  updatedTo?: Date | undefined;
  search?: CaseSearch | undefined;
  /** Cases merged into another are left out unless asked for. */
  includeMerged?: boolean | undefined;
  sort?: CaseSort | undefined;
  /** Where the previous page ended: its `nextAfter` (same sort). */
  after?: readonly number[] | undefined;
  limit: number;
}

export interface CasePage {
  cases: CaseSummary[];
  /** The sort key after which the next page starts; null on the last page. */
  nextAfter: number[] | null;
}

/** A case as the team's decisions see it (src/cases/workflow.ts). */
export interface CaseState {
  id: number;
  requestNumber: string;
  status: CaseStatus;
  channel: string;
  assignee: string | null;
  tags: string[];
  urgency: UrgencyLevel;
  urgencyOverride: UrgencyLevel | null;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  /** The request number of the case this one was merged into. */
  mergedInto: string | null;
}

export interface CaseEventInput {
  type: string;
  data: Record<string, unknown>;
}

/** What a decision changes on a case: only the fields named are written, with the events. */
export interface CasePlan {
  set: Partial<Pick<CaseState, 'status' | 'assignee' | 'tags' | 'urgencyOverride' | 'firstResponseAt' | 'resolvedAt'>>;
  events: CaseEventInput[];
}

/** A decision that refuses: `forbidden` (403), `conflict` (409), `not_found` (404). */
export interface CaseRefusal {
  refused: 'forbidden' | 'conflict' | 'not_found';
  message: string;
}

/** The case's messages as a roll-up sees them (merge, split, clearing an override). */
export interface CaseMessageFacts {
  id: number;
  sentAt: Date;
  urgency: Urgency | null;
  category: string | null;
  facts: object | null;
}

/** What a case's messages add up to: contacts, first and last contact, urgency, category, facts. */
export interface CaseRollUp {
  contactCount: number;
  firstContactAt: Date;
  lastContactAt: Date;
  /** The most urgent message's (the earliest on a tie). */
  urgency: Urgency;
  category: string | null;
  facts: object | null;
}

export interface CaseNote {
  id: number;
  at: Date;
  author: string;
  body: string;
}

export type CaseWriteOutcome<T> = { ok: T } | CaseRefusal;

/** The decisions the case workflow writes ask for, inside their transaction. Pure and sync. */
export interface CaseWorkflowDecider {
  now(): Date;
  rollUp(messages: readonly CaseMessageFacts[]): CaseRollUp;
  requestNumberScope(at: Date): string;
  formatRequestNumber(sequence: number, at: Date): string;
}

/** What a dashboard API token may do (see src/api/auth.ts). */
export type ApiRole = 'social' | 'desk' | 'manager' | 'admin';
export const API_ROLES: readonly ApiRole[] = ['social', 'desk', 'manager', 'admin'];

/** A stored API token: its name, role and times. The token itself is never stored, only its hash. */
export interface ApiToken {
  id: number;
  name: string;
  role: ApiRole;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface QuarantineEntry extends FailedItem {
  attempts: number;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** One run of a connector, as recorded for its health. */
export interface ConnectorRunRecord {
  source: string;
  startedAt: Date;
  finishedAt: Date;
  /** Items read (stored + duplicates + quarantined). */
  items: number;
  error: { kind: string; code: string; message: string } | null;
  /** Do not run again before this (a rate-limit reset, a backoff). */
  retryNotBefore?: Date | null;
}

export interface ConnectorHealth {
  source: string;
  state: 'ok' | 'failing';
  lastRunStartedAt: Date;
  lastRunFinishedAt: Date;
  lastSuccessAt: Date | null;
  lastItems: number;
  consecutiveFailures: number;
  lastError: { kind: string; code: string; message: string; at: Date } | null;
  retryNotBefore: Date | null;
}

/** A source's stored position (an IMAP folder's UIDVALIDITY:UID, an X timeline's window). */
export interface ConnectorCursor {
  source: string;
  key: string;
  value: string;
  updatedAt: Date;
}

/** A stored complaint as re-scoring sees it: what the customer wrote, who wrote it, when. */
export interface StoredComplaint {
  subject: string | null;
  body: string;
  authorFollowers: number | null;
  sentAt: Date;
}

/** The pipeline's urgency decision for stored messages (rules may have changed since ingest). */
export interface RescoreDecider {
  now(): Date;
  burstWindowMs: number;
  /** `context` is null for a case's first message (by sending time). */
  urgency(message: StoredComplaint, context: CaseContext | null): Urgency;
}

export interface RescoreProgress {
  /** Complaint messages in the database when the run began. */
  totalMessages: number;
  messages: number;
  cases: number;
  messagesChanged: number;
  casesChanged: number;
  /** Case level moves, `high->critical`: count. */
  levelChanges: Record<string, number>;
}

export interface RescoreOptions {
  /** Cases per transaction (default 2000). */
  batchCases?: number;
  /** Compute and count, write nothing. */
  dryRun?: boolean;
  onProgress?: (progress: Readonly<RescoreProgress>) => void;
}

/** A case event with what a live client needs of its case (as the case stands when it is read). */
export interface LiveCaseEvent {
  /** case_events.id: increasing in commit order, so a client resumes after the last one it saw. */
  id: number;
  caseId: number;
  at: Date;
  type: string;
  data: Record<string, unknown> | null;
  requestNumber: string;
  channel: string;
  status: CaseStatus;
  urgency: UrgencyLevel;
  urgencyScore: number;
  assignee: string | null;
}

export interface LiveEventPage {
  events: LiveCaseEvent[];
  /**
   * Where the next read starts: the last event returned, or, when the page is not full, the newest
   * event id at the time of reading (events of other channels in between are not read again).
   */
  nextAfterId: number;
}

export interface LiveEventQuery {
  /** Only events of cases in these channels (undefined: all; empty: none). */
  channels?: readonly string[] | undefined;
  limit: number;
}

export type MentionSort = 'urgent' | 'newest';

/** Where a mentions page ended, in the order of its sort (opaque to clients: the API encodes it). */
export type MentionKey =
  | { sort: 'urgent'; caseScore: number; caseLastContactMs: number; caseId: number; sentMs: number; messageId: number }
  | { sort: 'newest'; sentMs: number; messageId: number };

export interface MentionQuery {
  sort: MentionSort;
  /** The channel of the feed (X posts: `x`). */
  channel: string;
  since?: Date | undefined;
  minFollowers?: number | undefined;
  urgency?: UrgencyLevel | undefined;
  after?: MentionKey | undefined;
  limit: number;
}

/** One post of the social feed with its author's reach and its case. */
export interface Mention {
  messageId: number;
  externalId: string;
  source: string;
  authorHandle: string | null;
  authorName: string | null;
  authorFollowers: number | null;
  url: string | null;
  text: string;
  lang: string | null;
  sentAt: Date;
  /** The post's own score (the case takes its most urgent post's). */
  urgency: Urgency | null;
  case: {
    id: number;
    requestNumber: string;
    status: CaseStatus;
    urgency: UrgencyLevel;
    urgencyScore: number;
    urgencyReasons: Reason[];
    lastContactAt: Date;
    /** Reposts counted on the case (`amplified` events). */
    amplifications: number;
  };
}

export interface MentionPage {
  mentions: Mention[];
  /** Null when the feed has nothing after this page. */
  next: MentionKey | null;
}

/** How a stored message was ingested: what a webhook answers when the same key comes again. */
export interface IngestedMessage {
  messageRowId: number;
  kind: MessageKind;
  textHash: string;
  requestNumber: string | null;
  joined: { reason: JoinReason; detail: string } | null;
  urgency: Urgency | null;
}

export interface StatsQuery {
  /** Only cases in these channels (undefined: all). */
  channels?: readonly string[] | undefined;
  now: Date;
  /** Cases created at or after this count as new today (midnight in the team's time zone). */
  todayStart: Date;
  /** Per-urgency SLA targets in minutes (config `sla`). */
  sla: Record<UrgencyLevel, { firstResponse: number; resolution: number }>;
}

export interface DashboardStats {
  /** Cases not resolved, closed or merged into another. */
  open: { total: number; byUrgency: Record<UrgencyLevel, number>; byChannel: Record<string, number> };
  newToday: number;
  /** Open cases past a deadline: first answer missing (or late) or resolution overdue. */
  slaBreached: number;
  connectorsFailing: number;
}

/**
 * What the weekly report asks the database. src/reports lays the period out as local days in the
 * team's zone; the database only ever sees UTC millisecond bounds.
 */
export interface ReportQuery {
  /** The period's local days in order, each [startMs, endMs) (23 or 25 h on a DST change day). */
  days: { startMs: number; endMs: number }[];
  /** The span just before the period, as long in days (week-over-week figures). */
  previous: { startMs: number; endMs: number };
  /** Open cases are counted at min(period end, this): a period still running has no end yet. */
  asOfMs: number;
  /** Exclusive upper bounds of the backlog age buckets (ms, ascending); one more bucket holds the rest. */
  backlogAgeBoundsMs: number[];
}

/** Complaint messages or new cases counted by local day (index into `days`) and dimensions. */
export interface ReportVolumeRow {
  day: number;
  channel: string;
  source: string;
  urgency: string | null;
  category: string | null;
  /** For messages: the dedupe rule that joined it to an existing case (null: it opened its case). */
  joinReason?: JoinReason | null;
  count: number;
}

/** A case first contacted in the period (times in ms; null when it has not happened). */
export interface ReportCohortCase {
  requestNumber: string;
  subject: string | null;
  channel: string;
  source: string;
  status: string;
  urgency: UrgencyLevel;
  category: string | null;
  contactCount: number;
  firstContactAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
}

/** Raw figures for one report period; src/reports turns them into tables. */
export interface ReportFigures {
  /** Complaint messages sent in the period (`joinReason` set: they joined an existing case). */
  messages: ReportVolumeRow[];
  /** Cases first contacted in the period (cases merged into another are left out). */
  newCases: ReportVolumeRow[];
  previousMessages: { category: string | null; count: number }[];
  previousNewCases: { category: string | null; count: number }[];
  /** Every case first contacted in the period, oldest first. */
  cohort: ReportCohortCase[];
  /** Urgency reasons (positive points) of the period's new cases, and of the previous span's. */
  themes: { code: string; cases: number; previousCases: number }[];
  /** Cases open at the cut-off, by urgency and age bucket (index into backlogAgeBoundsMs, or its length). */
  backlog: { urgency: string; bucket: number; count: number }[];
}

export interface Repository {
  ingestBatch<T extends PreparedItem>(batch: IngestBatch<T>, decider: IngestDecider<T>): Promise<ItemOutcome[]>;
  getCursor(source: string, key: string): Promise<string | null>;
  listCases(filter: CaseFilter): Promise<CaseSummary[]>;
  /** One page of the case list and where the next one starts (keyset: stable under inserts). */
  listCasePage(filter: CaseFilter): Promise<CasePage>;
  /**
   * The case by its issued number or any reference. A number whose case was merged away is now a
   * reference of the surviving case, which is returned.
   */
  getCase(requestNumber: string): Promise<CaseDetail | null>;
  /**
   * Changes a case in one transaction: `decide` sees the case as it is (by its own issued number;
   * a number merged away is a `conflict`, an unknown one `not_found`) and returns what to write
   * and the events to record, or a refusal.
   */
  changeCase(requestNumber: string, decide: (current: CaseState) => CasePlan | CaseRefusal, workflow: CaseWorkflowDecider): Promise<CaseWriteOutcome<CaseDetail>>;
  /** Adds a note with `decide`'s plan (first response, note_added event) in one transaction. */
  addNote(
    requestNumber: string,
    note: { author: string; body: string },
    decide: (current: CaseState) => CasePlan | CaseRefusal,
    workflow: CaseWorkflowDecider,
  ): Promise<CaseWriteOutcome<CaseNote>>;
  /**
   * Merges `from` into `into`: messages, references, notes and events move; `into` is rolled up
   * again; `from` is closed with merged_into set. `decide` checks rights and conflicts first.
   */
  mergeCases(
    from: string,
    into: string,
    decide: (from: CaseState, into: CaseState) => CaseRefusal | null,
    by: string,
    workflow: CaseWorkflowDecider,
  ): Promise<CaseWriteOutcome<CaseDetail>>;
  /** Moves one message out into a new case with a newly issued request number (returned). */
  splitMessage(
    requestNumber: string,
    messageRowId: number,
    decide: (current: CaseState) => CaseRefusal | null,
    by: string,
    workflow: CaseWorkflowDecider,
  ): Promise<CaseWriteOutcome<CaseDetail>>;
  listQuarantine(source?: string): Promise<QuarantineEntry[]>;
  /** Records that two identities belong to one customer (dedupe rule 5 then spans both). */
  linkIdentities(a: string, b: string): Promise<void>;
  counts(): Promise<{ cases: number; messages: number; quarantined: number }>;
  recordConnectorRun(run: ConnectorRunRecord): Promise<void>;
  listConnectorHealth(): Promise<ConnectorHealth[]>;
  /** Every stored cursor, by source then key. */
  listConnectorCursors(): Promise<ConnectorCursor[]>;
  /**
   * Per channel, the first contact of the oldest case still waiting for the team's first answer
   * (not resolved or closed, no first response, not merged): the queue's lag.
   */
  oldestUnansweredByChannel(): Promise<{ channel: string; firstContactAt: Date }[]>;
  /**
   * Scores every stored complaint again, case by case. A message's urgency is replaced; a case
   * takes its most urgent message's (as at ingest), and each change of a case's level is recorded
   * as an `urgency_changed` event. Each batch of cases is one transaction: an interrupted run
   * leaves every case consistent and a second run finishes the work.
   */
  rescore(decider: RescoreDecider, options?: RescoreOptions): Promise<RescoreProgress>;
  /** The weekly report's figures, read in one snapshot (one read transaction). */
  reportFigures(query: ReportQuery): Promise<ReportFigures>;
  /** Stores a new token by its hash; `name_taken` when a token (even a revoked one) has the name. */
  createToken(name: string, role: ApiRole, tokenHash: string): Promise<ApiToken | 'name_taken'>;
  /** The token with this hash, revoked or not (the caller decides). */
  findTokenByHash(tokenHash: string): Promise<ApiToken | null>;
  /** Records that a token was used (at most what the caller asks; no history kept). */
  markTokenUsed(id: number, at: Date): Promise<void>;
  listTokens(): Promise<ApiToken[]>;
  /** False when no token has the name or it is already revoked. */
  revokeToken(name: string, at: Date): Promise<boolean>;
  /**
   * Case events after `afterId` in id order, each with its case, for the live stream. Reading is
   * safe against concurrent writers: SQLite commits one writer at a time, so ids become visible in
   * order and an event never appears behind one already read.
   */
  listEventsAfter(afterId: number, query: LiveEventQuery): Promise<LiveEventPage>;
  /** The newest case event's id (0 when there is none): where a stream without history starts. */
  latestEventId(): Promise<number>;
  /** The social feed: complaint posts of a channel with their case and reach, a page at a time. */
  listMentions(query: MentionQuery): Promise<MentionPage>;
  /** The message stored under (source, external id), with how it was ingested; null when none. */
  findIngested(source: string, externalId: string): Promise<IngestedMessage | null>;
  /** The dashboard header's counts. */
  dashboardStats(query: StatsQuery): Promise<DashboardStats>;
  /** A trivial query: throws when the database cannot answer. */
  ping(): Promise<void>;
  /**
   * An opaque value that changes whenever anything is committed to the database, by this process
   * or another one (a cached answer with the same stamp still shows the stored data).
   */
  changeStamp(): Promise<string>;
  close(): Promise<void>;
}
