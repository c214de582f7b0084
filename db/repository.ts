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
}

export interface CaseFilter {
  urgency?: UrgencyLevel | undefined;
  status?: CaseStatus | undefined;
  category?: string | undefined;
  /** Only cases whose channel is one of these (an empty list matches nothing). */
  channels?: readonly string[] | undefined;
  limit: number;
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
  getCase(requestNumber: string): Promise<CaseDetail | null>;
  listQuarantine(source?: string): Promise<QuarantineEntry[]>;
  /** Records that two identities belong to one customer (dedupe rule 5 then spans both). */
  linkIdentities(a: string, b: string): Promise<void>;
  counts(): Promise<{ cases: number; messages: number; quarantined: number }>;
  recordConnectorRun(run: ConnectorRunRecord): Promise<void>;
  listConnectorHealth(): Promise<ConnectorHealth[]>;
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
  /** A trivial query: throws when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
