/**
 * The report as flat tables, one per figure: what CSV (one file each) and XLSX (one sheet each)
 * hold. Column keys are stable (scripts read them); headers are for people.
 */
import { BACKLOG_BUCKETS, type WeeklyReport } from './weekly.report.js';

export type Cell = string | number | boolean | null;

export interface ReportTable {
  /** File and sheet name: lower-case, at most 31 characters (Excel's sheet-name limit). */
  name: string;
  title: string;
  columns: { key: string; header: string }[];
  rows: Record<string, Cell>[];
}

function table<R extends object>(name: string, title: string, columns: readonly (readonly [keyof R & string, string])[], rows: readonly R[]): ReportTable {
  return {
    name,
    title,
    columns: columns.map(([key, header]) => ({ key, header })),
    rows: rows.map((r) => Object.fromEntries(columns.map(([key]) => [key, (r[key] ?? null) as Cell]))),
  };
}

const counts = [
  ['newCases', 'New cases'],
  ['messages', 'Messages'],
] as const;

export function reportTables(r: WeeklyReport): ReportTable[] {
  const s = r.summary;
  const summary: { metric: string; value: Cell }[] = [
    { metric: 'Period', value: r.period.label },
    { metric: 'Time zone', value: r.period.timeZone },
    { metric: 'From (local date)', value: r.period.from },
    { metric: 'To (local date, included)', value: r.period.to },
    { metric: 'Generated at (UTC)', value: r.generatedAt },
    { metric: 'New cases', value: s.newCases },
    { metric: 'New cases, previous period', value: s.previousNewCases },
    { metric: 'Complaint messages', value: s.messages },
    { metric: 'Complaint messages, previous period', value: s.previousMessages },
    { metric: 'Messages absorbed into existing cases', value: s.absorbedMessages },
    { metric: 'New cases with 2+ contacts', value: s.repeatContactCases },
    { metric: 'Share of new cases with 2+ contacts', value: r.repeatContacts.share },
    { metric: 'SLA breaches (new cases)', value: s.slaBreaches },
    { metric: 'Open cases at period end', value: s.openAtEnd },
    { metric: 'Volume bursts', value: s.bursts },
    { metric: 'Incidents recorded', value: r.incidents.recorded ? 'yes' : 'none recorded' },
  ];
  const v = r.volume;
  return [
    table('summary', 'Summary', [['metric', 'Metric'], ['value', 'Value']], summary),
    table('volume_by_day', 'Volume per day', [['date', 'Date'], ...counts], v.byDay),
    table('volume_by_day_channel', 'Volume per day and channel', [['date', 'Date'], ['channel', 'Channel'], ...counts], v.byDayChannel),
    table('volume_by_channel', 'Volume per channel', [['channel', 'Channel'], ...counts], v.byChannel),
    table('volume_by_source', 'Volume per source', [['channel', 'Channel'], ['source', 'Source'], ...counts], v.bySource),
    table('volume_by_urgency', 'Volume per urgency', [['urgency', 'Urgency'], ...counts], v.byUrgency),
    table(
      'volume_by_category',
      'Volume per complaint category',
      [
        ['category', 'Category'],
        ['newCases', 'New cases'],
        ['messages', 'Messages'],
        ['previousNewCases', 'New cases, previous period'],
        ['previousMessages', 'Messages, previous period'],
        ['newCasesChange', 'Change in new cases'],
      ],
      v.byCategory,
    ),
    table(
      'response_times',
      'First response and resolution times (minutes)',
      [
        ['channel', 'Channel'],
        ['urgency', 'Urgency'],
        ['cases', 'New cases'],
        ['responded', 'Responded'],
        ['firstResponseMedianMinutes', 'First response, median'],
        ['firstResponseP90Minutes', 'First response, p90'],
        ['resolved', 'Resolved'],
        ['resolutionMedianMinutes', 'Resolution, median'],
        ['resolutionP90Minutes', 'Resolution, p90'],
      ],
      r.responsiveness.times,
    ),
    table('first_response_distribution', 'First-response time distribution', [['bucket', 'First response within'], ['cases', 'New cases']], r.responsiveness.firstResponseDistribution),
    table(
      'sla_by_urgency',
      'SLA breaches per urgency',
      [
        ['urgency', 'Urgency'],
        ['cases', 'New cases'],
        ['breached', 'Breached'],
        ['firstResponse', 'First response breached'],
        ['resolution', 'Resolution breached'],
      ],
      r.slaBreaches.byUrgency,
    ),
    table(
      'sla_breaches',
      'SLA breaches',
      [
        ['requestNumber', 'Request number'],
        ['channel', 'Channel'],
        ['urgency', 'Urgency'],
        ['category', 'Category'],
        ['status', 'Status'],
        ['subject', 'Subject'],
        ['firstContactAt', 'First contact (UTC)'],
        ['firstResponseDueAt', 'First response due (UTC)'],
        ['firstResponseAt', 'First response (UTC)'],
        ['firstResponseBreached', 'First response breached'],
        ['resolutionDueAt', 'Resolution due (UTC)'],
        ['resolvedAt', 'Resolved (UTC)'],
        ['resolutionBreached', 'Resolution breached'],
      ],
      r.slaBreaches.cases,
    ),
    table(
      'recontact_reasons',
      'What re-contacted cases are about',
      [
        ['category', 'Category'],
        ['cases', 'New cases'],
        ['repeatCases', 'With 2+ contacts'],
        ['share', 'Share'],
      ],
      r.repeatContacts.topReasons,
    ),
    table('duplicates_absorbed', 'Messages that joined an existing case', [['reason', 'Dedupe rule'], ['messages', 'Messages']], r.repeatContacts.absorbed),
    table(
      'backlog',
      `Open cases at ${r.backlog.at} by age`,
      [['urgency', 'Urgency'], ...BACKLOG_BUCKETS.map((b) => [b.key, b.label] as const), ['total', 'Total']],
      r.backlog.rows,
    ),
    table(
      'themes',
      'Complaint themes (urgency reasons of new cases)',
      [
        ['code', 'Code'],
        ['label', 'Theme'],
        ['cases', 'New cases'],
        ['previousCases', 'Previous period'],
        ['change', 'Change'],
        ['changePct', 'Change (share)'],
      ],
      r.themes,
    ),
    table(
      'bursts',
      'Volume bursts (no incidents are recorded)',
      [
        ['date', 'Date'],
        ['category', 'Category'],
        ['messages', 'Messages'],
        ['baselinePerDay', 'Baseline per day'],
        ['ratio', 'Times baseline'],
      ],
      r.incidents.bursts,
    ),
  ];
}
