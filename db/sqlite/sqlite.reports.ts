/**
 * The weekly report's figures on SQLite: grouped counts over messages and cases, computed in SQL,
 * all read in one transaction so every table describes the same moment. Local days arrive as
 * UTC bounds; a row's day is found with a CASE over those bounds (DST days are not 24 h long, so
 * no arithmetic on the timestamp can find it).
 *
 * Percentiles and SLA breaches are not computed here: the cohort's times are returned and
 * src/reports applies the one SLA rule (src/cases/sla.ts) and the documented percentile.
 */
import type Database from 'better-sqlite3';
import type { JoinReason, ReportCohortCase, ReportFigures, ReportQuery, ReportVolumeRow, UrgencyLevel } from '../repository.js';

/** `case when <column> < ? then 0 when ... else n end`, with the bounds as parameters. */
function indexOf(column: string, bounds: number[]): { sql: string; params: number[] } {
  if (bounds.length === 0) return { sql: '0', params: [] };
  const whens = bounds.map((_, i) => `when ${column} < ? then ${i}`).join(' ');
  return { sql: `(case ${whens} else ${bounds.length} end)`, params: bounds };
}

interface CohortRow {
  request_number: string;
  subject: string | null;
  channel: string;
  source: string;
  status: string;
  urgency: string;
  category: string | null;
  contact_count: number;
  first_contact_at: number;
  first_response_at: number | null;
  resolved_at: number | null;
}

export function reportFiguresSqlite(sqlite: Database.Database, q: ReportQuery): ReportFigures {
  if (q.days.length === 0) throw new RangeError('a report period has at least one day');
  const start = q.days[0]!.startMs;
  const end = q.days[q.days.length - 1]!.endMs;
  const dayBounds = q.days.slice(0, -1).map((d) => d.endMs);
  const all = <T>(sql: string, ...params: unknown[]) => sqlite.prepare(sql).all(...params) as T[];

  const read = sqlite.transaction((): ReportFigures => {
    const msgDay = indexOf('sent_at', dayBounds);
    const messages = all<ReportVolumeRow>(
      `select ${msgDay.sql} as day, channel, source, urgency, category, count(*) as count
         from messages
        where sent_at >= ? and sent_at < ? and case_id is not null
        group by 1, 2, 3, 4, 5`,
      ...msgDay.params,
      start,
      end,
    );

    const caseDay = indexOf('first_contact_at', dayBounds);
    const newCases = all<ReportVolumeRow>(
      `select ${caseDay.sql} as day, channel, source, urgency, category, count(*) as count
         from cases
        where first_contact_at >= ? and first_contact_at < ? and merged_into is null
        group by 1, 2, 3, 4, 5`,
      ...caseDay.params,
      start,
      end,
    );

    const previousMessages = all<{ category: string | null; count: number }>(
      'select category, count(*) as count from messages where sent_at >= ? and sent_at < ? and case_id is not null group by 1',
      q.previous.startMs,
      q.previous.endMs,
    );
    const previousNewCases = all<{ category: string | null; count: number }>(
      'select category, count(*) as count from cases where first_contact_at >= ? and first_contact_at < ? and merged_into is null group by 1',
      q.previous.startMs,
      q.previous.endMs,
    );

    const absorbed = all<{ reason: JoinReason; count: number }>(
      `select join_reason as reason, count(*) as count
         from messages
        where sent_at >= ? and sent_at < ? and case_id is not null and join_reason is not null
        group by 1 order by 2 desc, 1`,
      start,
      end,
    );

    const cohort = all<CohortRow>(
      `select request_number, subject, channel, source, status, urgency, category, contact_count,
              first_contact_at, first_response_at, resolved_at
         from cases
        where first_contact_at >= ? and first_contact_at < ? and merged_into is null
        order by first_contact_at, id`,
      start,
      end,
    ).map(toCohortCase);

    // A case counts once per reason code, however many of its reasons share the code.
    const themes = all<{ code: string; cases: number; previous_cases: number; text: string; texts: number }>(
      `select r.value ->> '$.code' as code,
              count(distinct case when c.first_contact_at >= ? then c.id end) as cases,
              count(distinct case when c.first_contact_at < ? then c.id end) as previous_cases,
              min(r.value ->> '$.text') as text,
              count(distinct r.value ->> '$.text') as texts
         from cases c, json_each(c.urgency_reasons) r
        where c.first_contact_at >= ? and c.first_contact_at < ? and c.merged_into is null
          and (r.value ->> '$.points') > 0
        group by 1`,
      start,
      start,
      q.previous.startMs,
      end,
    ).map((t) => ({ code: t.code, label: t.texts === 1 ? t.text : t.code, cases: t.cases, previousCases: t.previous_cases }));

    // Open at the cut-off: contacted before it, not resolved or closed by then (resolved_at is the
    // last resolution, so a case resolved before the cut-off and re-opened later counts as open).
    const cut = Math.min(end, q.asOfMs);
    // Age under a bound <=> first contact after (cut-off - bound): the CASE tests the column itself.
    const age = q.backlogAgeBoundsMs.map((b, i) => `when first_contact_at > ? then ${i}`).join(' ');
    const backlog = all<{ urgency: string; bucket: number; count: number }>(
      `select urgency, ${age ? `(case ${age} else ${q.backlogAgeBoundsMs.length} end)` : '0'} as bucket, count(*) as count
         from cases
        where first_contact_at < ? and merged_into is null and (resolved_at is null or resolved_at >= ?)
        group by 1, 2`,
      ...q.backlogAgeBoundsMs.map((b) => cut - b),
      cut,
      cut,
    );

    const baseline = all<{ category: string | null; count: number }>(
      'select category, count(*) as count from messages where sent_at >= ? and sent_at < ? and case_id is not null group by 1',
      q.baselineStartMs,
      start,
    );

    return { messages, newCases, previousMessages, previousNewCases, absorbed, cohort, themes, backlog, baseline };
  });
  // Deferred: a read transaction, one snapshot for every query (WAL lets ingestion go on).
  return read.deferred();
}

function toCohortCase(r: CohortRow): ReportCohortCase {
  return {
    requestNumber: r.request_number,
    subject: r.subject,
    channel: r.channel,
    source: r.source,
    status: r.status,
    urgency: r.urgency as UrgencyLevel,
    category: r.category,
    contactCount: r.contact_count,
    firstContactAt: r.first_contact_at,
    firstResponseAt: r.first_response_at,
    resolvedAt: r.resolved_at,
  };
}
