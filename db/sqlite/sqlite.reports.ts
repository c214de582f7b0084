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
import type { ReportCohortCase, ReportFigures, ReportQuery, ReportVolumeRow, UrgencyLevel } from '../repository.js';

/** `case when <column> < ? then 0 when ... else n end`, with the bounds as parameters. */
function indexOf(column: string, bounds: number[]): { sql: string; params: number[] } {
  if (bounds.length === 0) return { sql: '0', params: [] };
  const whens = bounds.map((_, i) => `when ${column} < ? then ${i}`).join(' ');
  return { sql: `(case ${whens} else ${bounds.length} end)`, params: bounds };
}

/** request_number, subject, channel, source, status, urgency, category, contact_count, first_contact_at, first_response_at, resolved_at */
type CohortRow = [string, string | null, string, string, string, string, string | null, number, number, number | null, number | null];

export function reportFiguresSqlite(sqlite: Database.Database, q: ReportQuery): ReportFigures {
  if (q.days.length === 0) throw new RangeError('a report period has at least one day');
  const start = q.days[0]!.startMs;
  const end = q.days[q.days.length - 1]!.endMs;
  const dayBounds = q.days.slice(0, -1).map((d) => d.endMs);
  const all = <T>(sql: string, ...params: unknown[]) => sqlite.prepare(sql).all(...params) as T[];

  const read = sqlite.transaction((): ReportFigures => {
    const msgDay = indexOf('sent_at', dayBounds);
    const messages = all<ReportVolumeRow>(
      `select ${msgDay.sql} as day, channel, source, urgency, category, join_reason as joinReason, count(*) as count
         from messages indexed by messages_report_idx
        where sent_at >= ? and sent_at < ? and case_id is not null
        group by 1, 2, 3, 4, 5, 6`,
      ...msgDay.params,
      start,
      end,
    );
    // The previous span is compared by category only: a one-column group is far cheaper.
    const previousMessages = all<{ category: string | null; count: number }>(
      `select category, count(*) as count from messages indexed by messages_report_idx
        where sent_at >= ? and sent_at < ? and case_id is not null group by 1`,
      q.previous.startMs,
      q.previous.endMs,
    );

    const caseDay = indexOf('first_contact_at', dayBounds);
    const newCases = all<ReportVolumeRow>(
      `select ${caseDay.sql} as day, channel, source, urgency, category, count(*) as count
         from cases indexed by cases_first_contact_idx
        where first_contact_at >= ? and first_contact_at < ? and merged_into is null
        group by 1, 2, 3, 4, 5`,
      ...caseDay.params,
      start,
      end,
    );

    const previousNewCases = all<{ category: string | null; count: number }>(
      'select category, count(*) as count from cases indexed by cases_first_contact_idx where first_contact_at >= ? and first_contact_at < ? and merged_into is null group by 1',
      q.previous.startMs,
      q.previous.endMs,
    );

    // Raw rows (arrays): tens of thousands of cases a busy week, built into objects once, below.
    const cohort = (
      sqlite
        .prepare(
          `select request_number, subject, channel, source, status, urgency, category, contact_count,
                  first_contact_at, first_response_at, resolved_at
             from cases indexed by cases_first_contact_idx
            where first_contact_at >= ? and first_contact_at < ? and merged_into is null
            order by first_contact_at, id`,
        )
        .raw()
        .all(start, end) as CohortRow[]
    ).map(toCohortCase);

    // Reason codes of the period's and the previous span's new cases, positive points only. The
    // engine gives a case at most one reason per rule, so a plain sum counts cases. Cases with no
    // negative number in their reasons (nearly all: JSON writes one as :-n) are read through
    // json_tree's atoms, which is several times cheaper than parsing every reason object; the few
    // others take the exact path that reads each reason's points.
    const themes = all<{ code: string; cases: number; previous_cases: number }>(
      `select code, sum(cur) as cases, sum(1 - cur) as previous_cases from (
         select j.atom as code, c.first_contact_at >= ? as cur
           from cases c indexed by cases_first_contact_idx, json_tree(c.urgency_reasons) j
          where c.first_contact_at >= ? and c.first_contact_at < ? and c.merged_into is null
            and instr(c.urgency_reasons, ':-') = 0 and j.key = 'code'
         union all
         select r.value ->> '$.code' as code, c.first_contact_at >= ? as cur
           from cases c indexed by cases_first_contact_idx, json_each(c.urgency_reasons) r
          where c.first_contact_at >= ? and c.first_contact_at < ? and c.merged_into is null
            and instr(c.urgency_reasons, ':-') > 0 and (r.value ->> '$.points') > 0)
       group by 1`,
      start,
      q.previous.startMs,
      end,
      start,
      q.previous.startMs,
      end,
    ).map((t) => ({ code: t.code, cases: t.cases, previousCases: t.previous_cases }));

    // Open at the cut-off: contacted before it, not resolved or closed by then (resolved_at is the
    // last resolution, so a case resolved before the cut-off and re-opened later counts as open).
    const cut = Math.min(end, q.asOfMs);
    // Age under a bound <=> first contact after (cut-off - bound): the CASE tests the column itself.
    const whens = q.backlogAgeBoundsMs.map((_, i) => `when first_contact_at > ? then ${i}`).join(' ');
    const ageBucket = whens ? `(case ${whens} else ${q.backlogAgeBoundsMs.length} end)` : '0';
    const ageBounds = q.backlogAgeBoundsMs.map((b) => cut - b);
    // Two ranges of the partial index cases_resolved_idx (an OR would scan every case).
    const backlog = all<{ urgency: string; bucket: number; count: number }>(
      `select urgency, bucket, sum(n) as count from (
         select urgency, ${ageBucket} as bucket, count(*) as n from cases indexed by cases_resolved_idx
          where resolved_at is null and first_contact_at < ? and merged_into is null group by 1, 2
         union all
         select urgency, ${ageBucket} as bucket, count(*) as n from cases indexed by cases_resolved_idx
          where resolved_at >= ? and first_contact_at < ? and merged_into is null group by 1, 2)
       group by 1, 2`,
      ...ageBounds,
      cut,
      ...ageBounds,
      cut,
      cut,
    );

    return { messages, newCases, previousMessages, previousNewCases, cohort, themes, backlog };
  });
  // Deferred: a read transaction, one snapshot for every query (WAL lets ingestion go on).
  return read.deferred();
}

function toCohortCase([requestNumber, subject, channel, source, status, urgency, category, contactCount, firstContactAt, firstResponseAt, resolvedAt]: CohortRow): ReportCohortCase {
  return { requestNumber, subject, channel, source, status, urgency: urgency as UrgencyLevel, category, contactCount, firstContactAt, firstResponseAt, resolvedAt };
}
