/**
 * The weekly report's figures on SQLite: grouped counts over messages and cases, computed in SQL,
 * all read in one transaction so every table describes the same moment. Local days arrive as
 * UTC bounds; a row's day is found with a CASE over those bounds (DST days are not 24 h long, so
 * no arithmetic on the timestamp can find it).
 *
 * Percentiles and SLA breaches are not computed here: the cohort's times are returned and
 * src/reports applies the one SLA rule (src/cases/sla.ts) and the documented percentile.
 *
 * Where the time goes on a busy week (bench:report, 100,000 messages and 63,000 new cases): handing
 * rows to JavaScript costs about a microsecond a row, and SQLite's GROUP BY sorts every row, so each
 * pass reads as few rows and columns as it can: the cohort is read once and the new-case counts and
 * themes are taken from it; the previous span's cases are grouped in SQL by category and the
 * compact cases.reason_codes (few distinct values) instead of parsing every case's JSON.
 */
import type Database from 'better-sqlite3';
import type { ReportCohortCase, ReportFigures, ReportQuery, ReportVolumeRow, UrgencyLevel } from '../repository.js';

/** `case when <column> < ? then 0 when ... else n end`, with the bounds as parameters. */
function indexOf(column: string, bounds: number[]): { sql: string; params: number[] } {
  if (bounds.length === 0) return { sql: '0', params: [] };
  const whens = bounds.map((_, i) => `when ${column} < ? then ${i}`).join(' ');
  return { sql: `(case ${whens} else ${bounds.length} end)`, params: bounds };
}

/**
 * A GROUP BY key of several columns as one text (joined with \x1f, null as \x1e): SQLite's sort
 * then compares one value instead of several, about a quarter cheaper on a busy week. It is
 * one-to-one (no name or code holds those characters), so the bare columns selected beside it are
 * the group's own values.
 */
function oneKey(...columns: string[]): string {
  return columns.map((c) => `ifnull(${c}, char(30))`).join(' || char(31) || ');
}

/** The same day index as `indexOf`, in TypeScript. */
function dayOf(ms: number, bounds: readonly number[]): number {
  let i = 0;
  while (i < bounds.length && ms >= bounds[i]!) i++;
  return i;
}

/** request_number, subject, channel, source, status, urgency, category, contact_count, first_contact_at, first_response_at, resolved_at, reason_codes */
type CohortRow = [string, string | null, string, string, string, string, string | null, number, number, number | null, number | null, string];

/** Cases counted by their reason codes (cases.reason_codes: space-separated, '' for none). */
type CodeCounts = Map<string, number>;

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
        group by ${oneKey(msgDay.sql, 'channel', 'source', 'urgency', 'category', 'join_reason')}`,
      ...msgDay.params,
      start,
      end,
      ...msgDay.params,
    );
    // The previous span is compared by category only: a one-column group is far cheaper.
    const previousMessages = all<{ category: string | null; count: number }>(
      `select category, count(*) as count from messages indexed by messages_report_idx
        where sent_at >= ? and sent_at < ? and case_id is not null group by 1`,
      q.previous.startMs,
      q.previous.endMs,
    );

    // Raw rows (arrays): tens of thousands of cases a busy week, built into objects once.
    const cohortRows = sqlite
      .prepare(
        `select request_number, subject, channel, source, status, urgency, category, contact_count,
                first_contact_at, first_response_at, resolved_at, reason_codes
           from cases indexed by cases_first_contact_idx
          where first_contact_at >= ? and first_contact_at < ? and merged_into is null
          order by first_contact_at, id`,
      )
      .raw()
      .all(start, end) as CohortRow[];
    const cohort = cohortRows.map(toCohortCase);
    const newCases = countNewCases(cohort, dayBounds);
    const currentCodes: CodeCounts = new Map();
    for (const row of cohortRows) currentCodes.set(row[11], (currentCodes.get(row[11]) ?? 0) + 1);

    // The previous span's new cases by category and reason codes (few groups: no row per case).
    const previousGroups = all<{ category: string | null; codes: string; count: number }>(
      `select category, reason_codes as codes, count(*) as count from cases indexed by cases_first_contact_idx
        where first_contact_at >= ? and first_contact_at < ? and merged_into is null
        group by ${oneKey('category', 'reason_codes')}`,
      q.previous.startMs,
      q.previous.endMs,
    );
    const previousNewCases = sumByCategory(previousGroups);
    const previousCodes: CodeCounts = new Map();
    for (const g of previousGroups) previousCodes.set(g.codes, (previousCodes.get(g.codes) ?? 0) + g.count);
    const themes = countThemes(currentCodes, previousCodes);

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

/** The cohort counted as the new-cases table (the same rows a GROUP BY would give; no second pass). */
function countNewCases(cohort: readonly ReportCohortCase[], dayBounds: readonly number[]): ReportVolumeRow[] {
  const rows = new Map<string, ReportVolumeRow>();
  for (const c of cohort) {
    const day = dayOf(c.firstContactAt, dayBounds);
    const key = `${day}\u001f${c.channel}\u001f${c.source}\u001f${c.urgency}\u001f${c.category ?? '\u001e'}`;
    const row = rows.get(key);
    if (row) row.count++;
    else rows.set(key, { day, channel: c.channel, source: c.source, urgency: c.urgency, category: c.category, count: 1 });
  }
  return [...rows.values()];
}

function sumByCategory(groups: readonly { category: string | null; count: number }[]): { category: string | null; count: number }[] {
  const counts = new Map<string | null, number>();
  for (const g of groups) counts.set(g.category, (counts.get(g.category) ?? 0) + g.count);
  return [...counts].map(([category, count]) => ({ category, count }));
}

/**
 * Urgency reasons with positive points, by code (cases.reason_codes holds exactly those, kept by
 * triggers from urgency_reasons). The engine gives a case at most one reason per rule, so counting
 * codes counts cases.
 */
function countThemes(current: CodeCounts, previous: CodeCounts): ReportFigures['themes'] {
  const themes = new Map<string, { code: string; cases: number; previousCases: number }>();
  const add = (counts: CodeCounts, field: 'cases' | 'previousCases') => {
    for (const [codes, count] of counts) {
      if (codes === '') continue;
      for (const code of codes.split(' ')) {
        let t = themes.get(code);
        if (!t) themes.set(code, (t = { code, cases: 0, previousCases: 0 }));
        t[field] += count;
      }
    }
  };
  add(current, 'cases');
  add(previous, 'previousCases');
  return [...themes.values()];
}

function toCohortCase([requestNumber, subject, channel, source, status, urgency, category, contactCount, firstContactAt, firstResponseAt, resolvedAt]: CohortRow): ReportCohortCase {
  return { requestNumber, subject, channel, source, status, urgency: urgency as UrgencyLevel, category, contactCount, firstContactAt, firstResponseAt, resolvedAt };
}
