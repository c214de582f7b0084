/**
 * The dashboard's read side on SQLite: the live tail of case events, the social feed of mentions,
 * how a stored message was ingested (webhook replays) and the header's counts. Every query is an
 * index walk bounded by its LIMIT (tests/db/feed.test.ts checks the plans). CROSS JOIN pins the
 * loop order and INDEXED BY the index of each loop: with a `since` filter SQLite would otherwise
 * walk every recent post of the channel once per case, or start from the wrong table and sort.
 */
import type Database from 'better-sqlite3';
import type {
  DashboardStats,
  IngestedMessage,
  JoinReason,
  LiveCaseEvent,
  LiveEventPage,
  LiveEventQuery,
  Mention,
  MentionKey,
  MentionPage,
  MentionQuery,
  MessageKind,
  CaseStatus,
  Reason,
  StatsQuery,
  UrgencyLevel,
} from '../repository.js';

interface EventRow {
  id: number;
  case_id: number;
  at: number;
  type: string;
  data: string | null;
  request_number: string;
  channel: string;
  status: string;
  urgency: string;
  urgency_score: number;
  assignee: string | null;
}

interface MentionRow {
  message_id: number;
  external_id: string;
  source: string;
  author_handle: string | null;
  author_name: string | null;
  author_followers: number | null;
  url: string | null;
  body: string;
  lang: string | null;
  sent_at: number;
  m_urgency: string | null;
  m_urgency_score: number | null;
  m_urgency_reasons: string | null;
  case_id: number;
  request_number: string;
  status: string;
  c_urgency: string;
  c_urgency_score: number;
  c_urgency_reasons: string;
  last_contact_at: number;
}

interface IngestedRow {
  id: number;
  kind: string;
  text_hash: string;
  join_reason: string | null;
  join_detail: string | null;
  urgency: string | null;
  urgency_score: number | null;
  urgency_reasons: string | null;
  request_number: string | null;
}

const OPEN_STATUSES = "('new', 'open', 'waiting')";
const URGENCY_LEVELS: readonly UrgencyLevel[] = ['critical', 'high', 'normal', 'low'];
const MINUTE_MS = 60_000;

const MENTION_COLUMNS = `m.id as message_id, m.external_id, m.source, m.author_handle, m.author_name, m.author_followers,
  m.url, m.body, m.lang, m.sent_at, m.urgency as m_urgency, m.urgency_score as m_urgency_score,
  m.urgency_reasons as m_urgency_reasons, c.id as case_id, c.request_number, c.status, c.urgency as c_urgency,
  c.urgency_score as c_urgency_score, c.urgency_reasons as c_urgency_reasons, c.last_contact_at`;

export class SqliteFeed {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly sqlite: Database.Database) {}

  /** Statements differ by which optional filters are present: each shape is prepared once. */
  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.sqlite.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  latestEventId(): number {
    return (this.statement('select coalesce(max(id), 0) as id from case_events').get() as { id: number }).id;
  }

  listEventsAfter(afterId: number, query: LiveEventQuery): LiveEventPage {
    // Reading up to a fixed high-water mark: when a client's channels had nothing new, the next
    // read starts after everything seen here instead of scanning the other channels' events again.
    const highWater = this.latestEventId();
    if (query.channels?.length === 0 || highWater <= afterId) return { events: [], nextAfterId: Math.max(afterId, highWater) };
    const rows = this.statement(eventsSql(query.channels !== undefined)).all({
      afterId,
      highWater,
      limit: query.limit,
      ...(query.channels ? { channels: JSON.stringify(query.channels) } : {}),
    }) as EventRow[];
    const events = rows.map(toLiveEvent);
    const nextAfterId = rows.length === query.limit ? rows[rows.length - 1]!.id : highWater;
    return { events, nextAfterId };
  }

  listMentions(query: MentionQuery): MentionPage {
    const rows = query.sort === 'urgent' ? this.urgentMentions(query) : this.newestMentions(query);
    const amplifications = this.amplificationsOf([...new Set(rows.map((r) => r.case_id))]);
    const mentions = rows.map((r) => toMention(r, amplifications.get(r.case_id) ?? 0));
    const last = rows[rows.length - 1];
    const next: MentionKey | null =
      rows.length < query.limit || !last
        ? null
        : query.sort === 'urgent'
          ? { sort: 'urgent', caseScore: last.c_urgency_score, caseLastContactMs: last.last_contact_at, caseId: last.case_id, sentMs: last.sent_at, messageId: last.message_id }
          : { sort: 'newest', sentMs: last.sent_at, messageId: last.message_id };
    return { mentions, next };
  }

  /**
   * Cases by (score, last contact, id) descending through cases_channel_rank_idx, each case's posts
   * newest first through messages_case_sent_idx: the ORDER BY is the loops' own order, no sort.
   * A page that ended inside a case first finishes that case, then goes on with the cases after it.
   */
  private urgentMentions(query: MentionQuery): MentionRow[] {
    const after = query.after?.sort === 'urgent' ? query.after : undefined;
    const params = filterParams(query);
    const rows: MentionRow[] = [];
    if (after) {
      rows.push(...(this.statement(urgentContinueSql(query)).all({ ...params, caseId: after.caseId, sentMs: after.sentMs, messageId: after.messageId }) as MentionRow[]));
    }
    if (rows.length < query.limit) {
      const keyset = after ? { caseScore: after.caseScore, caseLastContactMs: after.caseLastContactMs, caseId: after.caseId } : {};
      rows.push(...(this.statement(urgentSql(query, after !== undefined)).all({ ...params, limit: query.limit - rows.length, ...keyset }) as MentionRow[]));
    }
    return rows;
  }

  /** Posts newest first through messages_channel_sent_idx (partial: complaints, which have a case). */
  private newestMentions(query: MentionQuery): MentionRow[] {
    const after = query.after?.sort === 'newest' ? query.after : undefined;
    const keyset = after ? { sentMs: after.sentMs, messageId: after.messageId } : {};
    return this.statement(newestSql(query, after !== undefined)).all({ ...filterParams(query), ...keyset }) as MentionRow[];
  }

  private amplificationsOf(caseIds: number[]): Map<number, number> {
    if (caseIds.length === 0) return new Map();
    const rows = this.statement(
      `select case_id, count(*) as n from case_events
        where case_id in (select value from json_each(?)) and type = 'amplified' group by case_id`,
    ).all(JSON.stringify(caseIds)) as { case_id: number; n: number }[];
    return new Map(rows.map((r) => [r.case_id, r.n]));
  }

  findIngested(source: string, externalId: string): IngestedMessage | null {
    const row = this.statement(
      `select m.id, m.kind, m.text_hash, m.join_reason, m.join_detail, m.urgency, m.urgency_score, m.urgency_reasons, c.request_number
         from messages m left join cases c on c.id = m.case_id
        where m.external_id = ? and m.source = ?`,
    ).get(externalId, source) as IngestedRow | undefined;
    if (!row) return null;
    return {
      messageRowId: row.id,
      kind: row.kind as MessageKind,
      textHash: row.text_hash,
      requestNumber: row.request_number,
      joined: row.join_reason !== null ? { reason: row.join_reason as JoinReason, detail: row.join_detail ?? '' } : null,
      urgency:
        row.urgency !== null && row.urgency_score !== null
          ? { level: row.urgency as UrgencyLevel, score: row.urgency_score, reasons: parseJson<Reason[]>(row.urgency_reasons) ?? [] }
          : null,
    };
  }

  /**
   * One pass over cases_open_idx (partial: open cases only; covering) gives the counts by channel
   * and urgency and the SLA breaches, with the same rule as src/cases/sla.ts: a deadline is
   * breached when the answer (or now, without one) came after first contact + target.
   */
  dashboardStats(query: StatsQuery): DashboardStats {
    const channels = query.channels ? { channels: JSON.stringify(query.channels) } : {};
    const targets: Record<string, number> = {};
    for (const level of URGENCY_LEVELS) {
      targets[`fr_${level}`] = query.sla[level].firstResponse * MINUTE_MS;
      targets[`res_${level}`] = query.sla[level].resolution * MINUTE_MS;
    }
    const groups = this.statement(openCasesStatsSql(query.channels !== undefined)).all({ now: query.now.getTime(), ...targets, ...channels }) as {
      channel: string;
      urgency: string;
      n: number;
      breached: number;
    }[];

    const byUrgency: Record<UrgencyLevel, number> = { critical: 0, high: 0, normal: 0, low: 0 };
    const byChannel: Record<string, number> = {};
    let total = 0;
    let slaBreached = 0;
    for (const g of groups) {
      total += g.n;
      slaBreached += g.breached;
      byUrgency[g.urgency as UrgencyLevel] = (byUrgency[g.urgency as UrgencyLevel] ?? 0) + g.n;
      byChannel[g.channel] = (byChannel[g.channel] ?? 0) + g.n;
    }
    const newToday = (
      this.statement(newCasesSql(query.channels !== undefined)).get({
        from: query.todayStart.getTime(),
        ...channels,
      }) as { n: number }
    ).n;
    const connectorsFailing = (this.statement("select count(*) as n from connector_health where state = 'failing'").get() as { n: number }).n;
    return { open: { total, byUrgency, byChannel }, newToday, slaBreached, connectorsFailing };
  }
}

/** The statements' SQL, by shape (exported for the query-plan test). */
export function eventsSql(channelFiltered: boolean): string {
  return `select e.id, e.case_id, e.at, e.type, e.data, c.request_number, c.channel, c.status, c.urgency, c.urgency_score, c.assignee
     from case_events e cross join cases c
    where e.id > @afterId and e.id <= @highWater and c.id = e.case_id
          ${channelFiltered ? 'and c.channel in (select value from json_each(@channels))' : ''}
    order by e.id limit @limit`;
}

/** The rest of the case a previous `urgent` page ended in. */
export function urgentContinueSql(q: MentionQuery): string {
  return `select ${MENTION_COLUMNS} from messages m indexed by messages_case_sent_idx cross join cases c
    where m.case_id = @caseId and (m.sent_at, m.id) < (@sentMs, @messageId) and m.channel = @channel
      and c.id = m.case_id and c.channel = @channel ${messageFilters(q)} ${caseFilters(q)}
    order by m.sent_at desc, m.id desc limit @limit`;
}

export function urgentSql(q: MentionQuery, keyset: boolean): string {
  return `select ${MENTION_COLUMNS} from cases c indexed by cases_channel_rank_idx cross join messages m indexed by messages_case_sent_idx
    where c.channel = @channel ${keyset ? 'and (c.urgency_score, c.last_contact_at, c.id) < (@caseScore, @caseLastContactMs, @caseId)' : ''}
      ${q.since ? 'and c.last_contact_at >= @sinceMs' : ''} ${caseFilters(q)}
      and m.case_id = c.id and m.channel = @channel ${messageFilters(q)}
    order by c.urgency_score desc, c.last_contact_at desc, c.id desc, m.sent_at desc, m.id desc
    limit @limit`;
}

export function newestSql(q: MentionQuery, keyset: boolean): string {
  return `select ${MENTION_COLUMNS} from messages m indexed by messages_channel_sent_idx cross join cases c
    where m.channel = @channel and m.case_id is not null ${keyset ? 'and (m.sent_at, m.id) < (@sentMs, @messageId)' : ''} ${messageFilters(q)}
      and c.id = m.case_id and c.channel = @channel ${caseFilters(q)}
    order by m.sent_at desc, m.id desc limit @limit`;
}

const CHANNEL_FILTER = 'and channel in (select value from json_each(@channels))';

export function openCasesStatsSql(channelFiltered: boolean): string {
  const target = (kind: 'fr' | 'res') =>
    `(case urgency when 'critical' then @${kind}_critical when 'high' then @${kind}_high when 'normal' then @${kind}_normal else @${kind}_low end)`;
  // The WHERE repeats cases_open_idx's own condition word for word: SQLite uses a partial index
  // only for a query whose WHERE implies it.
  return `select channel, urgency, count(*) as n,
            sum(coalesce(first_response_at, @now) > first_contact_at + ${target('fr')}
                or coalesce(resolved_at, @now) > first_contact_at + ${target('res')}) as breached
       from cases indexed by cases_open_idx
      where status in ${OPEN_STATUSES} and merged_into is null ${channelFiltered ? CHANNEL_FILTER : ''}
      group by channel, urgency`;
}

export function newCasesSql(channelFiltered: boolean): string {
  return `select count(*) as n from cases indexed by cases_created_idx
    where created_at >= @from and merged_into is null ${channelFiltered ? CHANNEL_FILTER : ''}`;
}

function messageFilters(q: MentionQuery): string {
  return [q.since ? 'and m.sent_at >= @sinceMs' : '', q.minFollowers !== undefined ? 'and m.author_followers >= @minFollowers' : ''].join(' ');
}

function caseFilters(q: MentionQuery): string {
  return q.urgency ? 'and c.urgency = @urgency' : '';
}

function filterParams(q: MentionQuery): Record<string, unknown> {
  return {
    channel: q.channel,
    limit: q.limit,
    ...(q.since ? { sinceMs: q.since.getTime() } : {}),
    ...(q.minFollowers !== undefined ? { minFollowers: q.minFollowers } : {}),
    ...(q.urgency ? { urgency: q.urgency } : {}),
  };
}

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function toLiveEvent(r: EventRow): LiveCaseEvent {
  return {
    id: r.id,
    caseId: r.case_id,
    at: new Date(r.at),
    type: r.type,
    data: parseJson<Record<string, unknown>>(r.data),
    requestNumber: r.request_number,
    channel: r.channel,
    status: r.status as CaseStatus,
    urgency: r.urgency as UrgencyLevel,
    urgencyScore: r.urgency_score,
    assignee: r.assignee,
  };
}

function toMention(r: MentionRow, amplifications: number): Mention {
  return {
    messageId: r.message_id,
    externalId: r.external_id,
    source: r.source,
    authorHandle: r.author_handle,
    authorName: r.author_name,
    authorFollowers: r.author_followers,
    url: r.url,
    text: r.body,
    lang: r.lang,
    sentAt: new Date(r.sent_at),
    urgency:
      r.m_urgency !== null && r.m_urgency_score !== null
        ? { level: r.m_urgency as UrgencyLevel, score: r.m_urgency_score, reasons: parseJson<Reason[]>(r.m_urgency_reasons) ?? [] }
        : null,
    case: {
      id: r.case_id,
      requestNumber: r.request_number,
      status: r.status as CaseStatus,
      urgency: r.c_urgency as UrgencyLevel,
      urgencyScore: r.c_urgency_score,
      urgencyReasons: parseJson<Reason[]>(r.c_urgency_reasons) ?? [],
      lastContactAt: new Date(r.last_contact_at),
      amplifications,
    },
  };
}
