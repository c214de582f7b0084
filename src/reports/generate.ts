/**
 * Making a report: the period from what was asked, the figures from the repository, the report
 * built from them, and the report rendered in a format. The CLI, the API and the schedule all
 * come through here.
 */
import type { Repository } from '../../db/repository.js';
import type { SlaTargets } from '../cases/sla.js';
import { tableToCsv } from './csv.js';
import type { ReportFormat } from './formats.js';
import { reportToHtml } from './html.js';
import { reportTables } from './tables.js';
import { PeriodError, previousIsoWeek, rangePeriod, weekPeriod, type ReportPeriod } from './week.js';
import { buildWeeklyReport, reportQuery, type WeeklyReport } from './weekly.report.js';
import { tablesToXlsx } from './xlsx.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  html: 'text/html; charset=utf-8',
};

export interface PeriodRequest {
  week?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  timeZone: string;
}

/** An ISO week, or a from..to range; neither: the last complete week in the zone. */
export function resolvePeriod(req: PeriodRequest, now: Date): ReportPeriod {
  if (req.week !== undefined && (req.from !== undefined || req.to !== undefined)) {
    throw new PeriodError('week', 'give either a week or a from/to range, not both');
  }
  if (req.from !== undefined || req.to !== undefined) {
    if (req.from === undefined) throw new PeriodError('from', '"from" is required with "to"');
    if (req.to === undefined) throw new PeriodError('to', '"to" is required with "from"');
    return rangePeriod(req.from, req.to, req.timeZone);
  }
  return weekPeriod(req.week ?? previousIsoWeek(now, req.timeZone), req.timeZone);
}

export async function generateWeeklyReport(repo: Repository, period: ReportPeriod, sla: SlaTargets, asOf: Date): Promise<WeeklyReport> {
  const figures = await repo.reportFigures(reportQuery(period, asOf));
  return buildWeeklyReport(period, figures, sla, asOf);
}

export interface RenderedFile {
  name: string;
  contentType: string;
  body: string | Buffer;
}

/** `complaints-2026-W47`, `complaints-2026-11-01_2026-11-07`. */
export function reportBaseName(report: WeeklyReport): string {
  return `complaints-${report.period.label.replace('..', '_')}`;
}

/** One file, except CSV: one file per table (`only` picks one table by name). */
export async function renderReport(report: WeeklyReport, format: ReportFormat, only?: string): Promise<RenderedFile[]> {
  const base = reportBaseName(report);
  switch (format) {
    case 'json':
      return [{ name: `${base}.json`, contentType: CONTENT_TYPES.json, body: `${JSON.stringify(report, null, 2)}\n` }];
    case 'html':
      return [{ name: `${base}.html`, contentType: CONTENT_TYPES.html, body: reportToHtml(report) }];
    case 'xlsx':
      return [{ name: `${base}.xlsx`, contentType: CONTENT_TYPES.xlsx, body: await tablesToXlsx(reportTables(report), { title: `Complaints report ${report.period.label}`, created: new Date(report.generatedAt) }) }];
    case 'csv':
      return reportTables(report)
        .filter((t) => only === undefined || t.name === only)
        .map((t) => ({ name: `${base}-${t.name}.csv`, contentType: CONTENT_TYPES.csv, body: tableToCsv(t) }));
  }
}

/** The names of the CSV tables (the `table` choices). */
export const REPORT_TABLE_NAMES = [
  'summary',
  'volume_by_day',
  'volume_by_day_channel',
  'volume_by_channel',
  'volume_by_source',
  'volume_by_urgency',
  'volume_by_category',
  'response_times',
  'first_response_distribution',
  'sla_by_urgency',
  'sla_breaches',
  'recontact_reasons',
  'duplicates_absorbed',
  'backlog',
  'themes',
  'bursts',
] as const;
