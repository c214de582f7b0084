/**
 * SQLite schema. drizzle-kit generates db/migrations/sqlite from this file (npm run db:generate).
 * It imports nothing but drizzle so drizzle-kit can load it on its own.
 *
 * Times are integer milliseconds since the epoch (UTC). JSON columns hold small arrays/objects.
 */
import { sql } from 'drizzle-orm';
import { blob, customType, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const ms = (name: string) => integer(name, { mode: 'timestamp_ms' });

// JSON in a TEXT column, with SQL NULL for null (drizzle's json mode stores the string 'null',
// which makes `is null` queries lie).
const json = customType<{ data: unknown; driverData: string | null }>({
  dataType: () => 'text',
  toDriver: (value) => (value === null || value === undefined ? null : JSON.stringify(value)),
  fromDriver: (value) => (value === null ? null : JSON.parse(value)),
});

export const cases = sqliteTable(
  'cases',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    requestNumber: text('request_number').notNull(),
    status: text('status').notNull().default('new'),
    channel: text('channel').notNull(),
    source: text('source').notNull(),
    subject: text('subject'),
    customerKey: text('customer_key').notNull(),
    customerName: text('customer_name'),
    urgency: text('urgency').notNull(),
    urgencyScore: integer('urgency_score').notNull(),
    urgencyReasons: json('urgency_reasons').notNull(),
    /**
     * The codes of urgency_reasons with positive points, space-separated (`unauthorised_transaction
     * amount`), for the weekly report's themes: few distinct values, so the report groups cases by
     * it in SQL instead of parsing every case's JSON. Kept by triggers (0009_case_reason_codes.sql)
     * on every write of urgency_reasons, whichever path writes it; never written by the code.
     */
    reasonCodes: text('reason_codes').notNull().default(''),
    /** The primary complaint category of the case (its first message that has one, else other). */
    category: text('category'),
    /** Facts rolled up from the case's messages (amounts, dates, ids, channel, account hints). */
    facts: json('facts'),
    contactCount: integer('contact_count').notNull().default(1),
    /** The agent (token name) working the case; null while unassigned. */
    assignee: text('assignee'),
    /** Free labels the team puts on a case (a JSON array of strings; null when none). */
    tags: json('tags'),
    /**
     * An agent's urgency decision (the level; `urgency` then holds it too, whatever later messages
     * score). Null while the computed urgency stands. Each override is audited in case_events.
     */
    urgencyOverride: text('urgency_override'),
    /** When the team first answered: the first note, or the first status change away from `new`. */
    firstResponseAt: ms('first_response_at'),
    /** When the case last became resolved or closed; cleared when it is re-opened. */
    resolvedAt: ms('resolved_at'),
    /** Set when the case was merged into another one (its messages and references moved there). */
    mergedInto: integer('merged_into'),
    firstContactAt: ms('first_contact_at').notNull(),
    lastContactAt: ms('last_contact_at').notNull(),
    createdAt: ms('created_at').notNull(),
    updatedAt: ms('updated_at').notNull(),
    /**
     * The work queue's order in one ascending number: the level first (critical, high, normal,
     * low; an override counts), then the score, both most urgent first. With first_contact_at and
     * id it is the keyset of the default case list, so every page is an index range (row values
     * compare only in one direction). Scores stay far inside +-500,000.
     */
    queueOrder: integer('queue_order').generatedAlwaysAs(
      sql`-((case urgency when 'critical' then 3000000 when 'high' then 2000000 when 'normal' then 1000000 else 0 end) + urgency_score)`,
      { mode: 'virtual' },
    ),
  },
  (t) => [
    uniqueIndex('cases_request_number_uq').on(t.requestNumber),
    // The work queue, most urgent first then oldest first contact: all cases, per channel (desk and
    // social see one), per status and per assignee. Other filters are checked while walking these.
    index('cases_order_idx').on(t.queueOrder, t.firstContactAt, t.id),
    index('cases_channel_queue_idx').on(t.channel, t.queueOrder, t.firstContactAt, t.id),
    index('cases_status_queue_idx').on(t.status, t.queueOrder, t.firstContactAt, t.id),
    index('cases_assignee_queue_idx').on(t.assignee, t.queueOrder, t.firstContactAt, t.id).where(sql`${t.assignee} is not null`),
    index('cases_last_contact_idx').on(t.lastContactAt),
    // The social feed's `urgent` order (/api/mentions): a channel's cases by score, then newest contact.
    index('cases_channel_rank_idx').on(t.channel, t.urgencyScore, t.lastContactAt),
    // The dashboard header (/api/stats): open cases only, covering what the counts and SLA checks
    // read, so the query never touches the table (the open cases are a small part of the history).
    index('cases_open_idx')
      // status and merged_into again as columns: SQLite reads a partial index's condition columns
      // from the index only when they are in it.
      .on(t.channel, t.urgency, t.firstContactAt, t.firstResponseAt, t.resolvedAt, t.status, t.mergedInto)
      .where(sql`${t.status} in ('new', 'open', 'waiting') and ${t.mergedInto} is null`),
    // The `newest`/`oldest` and `updated` sorts (keyset: the time, then id).
    index('cases_created_idx').on(t.createdAt, t.id),
    index('cases_updated_idx').on(t.updatedAt, t.id),
    // The weekly report: cases first contacted in a period.
    index('cases_first_contact_idx').on(t.firstContactAt),
    // The weekly report's backlog: cases still open (resolved_at null) or resolved after a cut-off.
    index('cases_resolved_idx').on(t.resolvedAt, t.firstContactAt, t.urgency).where(sql`${t.mergedInto} is null`),
  ],
);

export const messages = sqliteTable(
  'messages',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id').references(() => cases.id),
    source: text('source').notNull(),
    externalId: text('external_id').notNull(),
    channel: text('channel').notNull(),
    /** complaint | bounce | auto_reply | delivery_report | mailing_list | feedback_report | repost (an X retweet) */
    kind: text('kind').notNull(),
    kindReason: text('kind_reason'),
    /** How the message reached its case: new_case | thread | request_number | conversation | near_duplicate */
    joinReason: text('join_reason'),
    joinDetail: text('join_detail'),
    messageId: text('message_id'),
    inReplyTo: text('in_reply_to'),
    references: json('references'),
    conversationId: text('conversation_id'),
    /** A repost (X retweet): the external id of the post it amplifies. */
    repostOf: text('repost_of'),
    authorKey: text('author_key').notNull(),
    authorName: text('author_name'),
    authorHandle: text('author_handle'),
    authorFollowers: integer('author_followers'),
    subject: text('subject'),
    body: text('body').notNull(),
    /** Hash of the compared words: exact re-sends are equal. */
    textHash: text('text_hash').notNull(),
    /** Shingle hashes of the text (pipeline/similarity.ts) for near-duplicate comparison. */
    fingerprint: blob('fingerprint', { mode: 'buffer' }).notNull(),
    lang: text('lang'),
    url: text('url'),
    sentAt: ms('sent_at').notNull(),
    ingestedAt: ms('ingested_at').notNull(),
    urgency: text('urgency'),
    urgencyScore: integer('urgency_score'),
    urgencyReasons: json('urgency_reasons'),
    /** Primary complaint category (complaints only), its confidence and the scored labels with evidence. */
    category: text('category'),
    categoryConfidence: real('category_confidence'),
    categories: json('categories'),
    /** Facts found in the text, each with its span. */
    facts: json('facts'),
    requestNumbers: json('request_numbers'),
    redactions: json('redactions'),
    headers: json('headers'),
    notes: json('notes'),
    foundInSpam: integer('found_in_spam', { mode: 'boolean' }).notNull().default(false),
    rawRef: text('raw_ref').notNull(),
  },
  (t) => [
    // Rule 1 (idempotent re-fetch); the leading external_id also serves the cross-mailbox check.
    uniqueIndex('messages_external_uq').on(t.externalId, t.source),
    // Rule 2 (In-Reply-To / References).
    index('messages_message_id_idx').on(t.messageId).where(sql`${t.messageId} is not null`),
    // Rule 4 (X conversation).
    index('messages_conversation_idx').on(t.conversationId).where(sql`${t.conversationId} is not null`),
    // Amplification: the reposts of a post, whichever of the two was stored first.
    index('messages_repost_of_idx').on(t.repostOf).where(sql`${t.repostOf} is not null`),
    // Rule 5 (same customer, recent, near-identical text): covering, so the lookup never reads rows.
    index('messages_author_recent_idx').on(t.authorKey, t.sentAt, t.caseId, t.textHash, t.fingerprint),
    index('messages_case_sent_idx').on(t.caseId, t.sentAt),
    // The social feed's `newest` order (/api/mentions): a channel's complaints (they have a case), newest first.
    index('messages_channel_sent_idx').on(t.channel, t.sentAt).where(sql`${t.caseId} is not null`),
    // The weekly report: complaint volume per local day and dimension, read from this index alone.
    index('messages_report_idx')
      .on(t.sentAt, t.channel, t.source, t.urgency, t.category, t.joinReason)
      .where(sql`${t.caseId} is not null`),
  ],
);

export const attachments = sqliteTable(
  'attachments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageRowId: integer('message_row_id')
      .notNull()
      .references(() => messages.id),
    name: text('name'),
    contentType: text('content_type').notNull(),
    size: integer('size').notNull(),
    sha256: text('sha256'),
  },
  (t) => [index('attachments_message_idx').on(t.messageRowId)],
);

export const caseReferences = sqliteTable(
  'case_references',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    /** `issued` for our own request numbers, else the name of the pattern that recognised it. */
    system: text('system').notNull(),
    value: text('value').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('case_references_uq').on(t.system, t.value),
    index('case_references_case_idx').on(t.caseId),
    // A case is found by any of its numbers whatever the system (GET /api/cases/:requestNumber).
    index('case_references_value_idx').on(t.value),
  ],
);

export const caseEvents = sqliteTable(
  'case_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    at: ms('at').notNull(),
    /**
     * Ingestion: created | joined | urgency_changed | reference_added | amplified (a repost of one of
     * its posts). The team: status_changed | assigned | tags_changed | urgency_overridden |
     * note_added | merged | merged_into | split. `data.by` names the token of a team action.
     */
    type: text('type').notNull(),
    messageRowId: integer('message_row_id'),
    data: json('data'),
  },
  (t) => [index('case_events_case_idx').on(t.caseId, t.at)],
);

/** Notes the team writes on a case (never shown to the customer). */
export const caseNotes = sqliteTable(
  'case_notes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    caseId: integer('case_id')
      .notNull()
      .references(() => cases.id),
    at: ms('at').notNull(),
    /** The token name that wrote it. */
    author: text('author').notNull(),
    body: text('body').notNull(),
  },
  (t) => [index('case_notes_case_idx').on(t.caseId, t.at)],
);

export const connectorCursors = sqliteTable(
  'connector_cursors',
  {
    source: text('source').notNull(),
    key: text('key').notNull(),
    value: text('value').notNull(),
    updatedAt: ms('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.source, t.key] })],
);

export const quarantine = sqliteTable(
  'quarantine',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    source: text('source').notNull(),
    rawRef: text('raw_ref').notNull(),
    reason: text('reason').notNull(),
    detail: text('detail').notNull(),
    attempts: integer('attempts').notNull().default(1),
    firstSeenAt: ms('first_seen_at').notNull(),
    lastSeenAt: ms('last_seen_at').notNull(),
  },
  (t) => [uniqueIndex('quarantine_ref_uq').on(t.source, t.rawRef)],
);

/** Last issued request-number sequence per scope (the year, for the default format). */
export const requestSequences = sqliteTable('request_sequences', {
  scope: text('scope').primaryKey(),
  last: integer('last').notNull(),
});

/** Identities known to belong to one customer (an email address and an X handle). */
export const identityLinks = sqliteTable(
  'identity_links',
  {
    authorKey: text('author_key').primaryKey(),
    customerKey: text('customer_key').notNull(),
    createdAt: ms('created_at').notNull(),
  },
  (t) => [index('identity_links_customer_idx').on(t.customerKey)],
);

/** Each source's last run and last error, for the dashboard's connector health. */
export const connectorHealth = sqliteTable('connector_health', {
  source: text('source').primaryKey(),
  /** ok | failing */
  state: text('state').notNull(),
  lastRunStartedAt: ms('last_run_started_at').notNull(),
  lastRunFinishedAt: ms('last_run_finished_at').notNull(),
  lastSuccessAt: ms('last_success_at'),
  /** Items read by the last run (stored + duplicates + quarantined). */
  lastItems: integer('last_items').notNull().default(0),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  /** auth | network | server | config | rate_limit */
  lastErrorKind: text('last_error_kind'),
  lastErrorCode: text('last_error_code'),
  lastErrorMessage: text('last_error_message'),
  lastErrorAt: ms('last_error_at'),
  /** When the source asked us to come back (a rate-limit reset), or a backoff ends. */
  retryNotBefore: ms('retry_not_before'),
});

/** Bearer tokens of the dashboard API. Only the SHA-256 of a token is stored, never the token. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    /** social | desk | manager | admin */
    role: text('role').notNull(),
    /** Lower-case hex SHA-256 of the token. */
    tokenHash: text('token_hash').notNull(),
    createdAt: ms('created_at').notNull(),
    lastUsedAt: ms('last_used_at'),
    revokedAt: ms('revoked_at'),
  },
  (t) => [uniqueIndex('api_tokens_name_uq').on(t.name), uniqueIndex('api_tokens_hash_uq').on(t.tokenHash)],
);
