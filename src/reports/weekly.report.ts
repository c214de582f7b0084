/**
 * The weekly report: the database's raw figures (db: reportFigures) turned into the report's
 * tables. Pure: the period, the SLA targets and the clock come in; the same inputs give the same
 * report. The JSON of `WeeklyReport` is the source of truth; CSV, XLSX and HTML render it.
 */
import type { ReportCohortCase, ReportFigures, ReportQuery, ReportVolumeRow, UrgencyLevel } from '../../db/repository.js';
import { slaStatusMs, type SlaTargets } from '../cases/sla.js';
import { percentileOfSorted } from './percentile.js';
import type { ReportPeriod } from './week.js';

export const REPORT_VERSION = 1;
export const URGENCY_ORDER: readonly UrgencyLevel[] = ['critical', 'high', 'normal', 'low'];

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Backlog ages: each bucket holds ages below its bound; the last one, the rest. */
export const BACKLOG_BUCKETS = [
  { key: 'under1d', label: '< 1 day', belowMs: DAY_MS },
  { key: 'd1to3', label: '1–3 days', belowMs: 3 * DAY_MS },
  { key: 'd3to7', label: '3–7 days', belowMs: 7 * DAY_MS },
  { key: 'd7to14', label: '7–14 days', belowMs: 14 * DAY_MS },
  { key: 'd14to30', label: '14–30 days', belowMs: 30 * DAY_MS },
  { key: 'd30plus', label: '30+ days', belowMs: null },
] as const;
export type BacklogBucketKey = (typeof BACKLOG_BUCKETS)[number]['key'];

/** First-response times for the distribution chart: each bucket holds times below its bound. */
export const RESPONSE_BUCKETS = [
  { label: '< 15 min', belowMs: 15 * MINUTE_MS },
  { label: '15–60 min', belowMs: HOUR_MS },
  { label: '1–4 h', belowMs: 4 * HOUR_MS },
  { label: '4–24 h', belowMs: DAY_MS },
  { label: '1–3 days', belowMs: 3 * DAY_MS },
  { label: '3+ days', belowMs: null },
] as const;
export const NO_RESPONSE_BUCKET = 'no response yet';

/**
 * A burst: one category's complaint messages on one local day reach `factor` times its average
 * day in the previous period (the 7 days before a week), and at least `minMessages`.
 */
export const BURST_RULE = { factor: 3, minMessages: 10 } as const;

export interface VolumeCounts {
  newCases: number;
  messages: number;
}

export interface ResponseTimesRow {
  /** A channel, or `all`. */
  channel: string;
  /** An urgency level, or `all`. */
  urgency: string;
  cases: number;
  responded: number;
  firstResponseMedianMinutes: number | null;
  firstResponseP90Minutes: number | null;
  resolved: number;
  resolutionMedianMinutes: number | null;
  resolutionP90Minutes: number | null;
}

export interface SlaBreach {
  requestNumber: string;
  channel: string;
  urgency: UrgencyLevel;
  category: string | null;
  subject: string | null;
  status: string;
  firstContactAt: string;
  firstResponseDueAt: string;
  firstResponseAt: string | null;
  firstResponseBreached: boolean;
  resolutionDueAt: string;
  resolvedAt: string | null;
  resolutionBreached: boolean;
}

export type BacklogRow = { urgency: UrgencyLevel; total: number } & Record<BacklogBucketKey, number>;

export interface WeeklyReport {
  report: 'weekly';
  version: number;
  period: {
    kind: ReportPeriod['kind'];
    label: string;
    timeZone: string;
    from: string;
    to: string;
    start: string;
    end: string;
    days: { date: string; start: string; end: string; hours: number }[];
    previous: { from: string; to: string; start: string; end: string };
  };
  /** The report's clock: SLA deadlines not yet passed at this time are not breaches. */
  generatedAt: string;
  slaTargetsMinutes: SlaTargets;
  summary: {
    newCases: number;
    messages: number;
    previousNewCases: number;
    previousMessages: number;
    absorbedMessages: number;
    repeatContactCases: number;
    slaBreaches: number;
    openAtEnd: number;
    bursts: number;
  };
  volume: {
    byDay: ({ date: string } & VolumeCounts)[];
    byDayChannel: ({ date: string; channel: string } & VolumeCounts)[];
    byChannel: ({ channel: string } & VolumeCounts)[];
    bySource: ({ channel: string; source: string } & VolumeCounts)[];
    byUrgency: ({ urgency: string } & VolumeCounts)[];
    byCategory: ({ category: string | null; previousNewCases: number; previousMessages: number; newCasesChange: number } & VolumeCounts)[];
  };
  responsiveness: {
    times: ResponseTimesRow[];
    firstResponseDistribution: { bucket: string; cases: number }[];
  };
  slaBreaches: {
    /** Cases first contacted in the period with either deadline breached. */
    count: number;
    firstResponse: number;
    resolution: number;
    byUrgency: { urgency: UrgencyLevel; cases: number; breached: number; firstResponse: number; resolution: number }[];
    cases: SlaBreach[];
  };
  repeatContacts: {
    cases: number;
    repeatCases: number;
    share: number | null;
    /** What re-contacted cases are about: categories by re-contacted cases. */
    topReasons: { category: string | null; cases: number; repeatCases: number; share: number }[];
    /** Messages that joined an existing case instead of opening one, by dedupe rule. */
    absorbed: { reason: string; messages: number }[];
  };
  backlog: { at: string; total: number; rows: BacklogRow[] };
  themes: { code: string; label: string; cases: number; previousCases: number; change: number; changePct: number | null }[];
  incidents: {
    /** No incident records are kept yet: false, and bursts are derived from message volume. */
    recorded: false;
    note: string;
    burstRule: typeof BURST_RULE;
    bursts: { date: string; category: string; messages: number; baselinePerDay: number; ratio: number | null }[];
  };
}

/** The database question for a period. */
export function reportQuery(period: ReportPeriod, asOf: Date): ReportQuery {
  return {
    days: period.days.map((d) => ({ startMs: d.startMs, endMs: d.endMs })),
    previous: { startMs: period.previous.startMs, endMs: period.previous.endMs },
    asOfMs: asOf.getTime(),
    backlogAgeBoundsMs: BACKLOG_BUCKETS.flatMap((b) => (b.belowMs === null ? [] : [b.belowMs])),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));
const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;
const ratio = (part: number, whole: number) => (whole === 0 ? null : round(part / whole, 4));
const minutes = (ms: number | null) => (ms === null ? null : round(ms / MINUTE_MS, 1));

/** Sums `count` by a key, in first-seen order. */
function sumBy<R>(rows: readonly R[], key: (r: R) => string, count: (r: R) => number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) {
    const k = key(r);
    out.set(k, (out.get(k) ?? 0) + count(r));
  }
  return out;
}

/** Names ordered by count (descending), then name: the order every table lists them in. */
function byCountThenName(counts: Map<string, number>): string[] {
  return [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
}

// Categories may be null (categories switched off): this key stands for it inside maps only.
const NONE = '\u0000none';
const catKey = (c: string | null) => c ?? NONE;
const catOf = (k: string): string | null => (k === NONE ? null : k);

function volumeTables(period: ReportPeriod, f: ReportFigures): WeeklyReport['volume'] {
  const both = (key: (r: ReportVolumeRow) => string) => {
    const cases = sumBy(f.newCases, key, (r) => r.count);
    const messages = sumBy(f.messages, key, (r) => r.count);
    const all = new Map([...cases].map(([k, v]) => [k, v] as [string, number]));
    for (const [k, v] of messages) all.set(k, (all.get(k) ?? 0) + v);
    return { cases, messages, order: byCountThenName(all) };
  };
  const counts = (m: { cases: Map<string, number>; messages: Map<string, number> }, k: string): VolumeCounts => ({
    newCases: m.cases.get(k) ?? 0,
    messages: m.messages.get(k) ?? 0,
  });

  const day = both((r) => String(r.day));
  const channel = both((r) => r.channel);
  const dayChannel = both((r) => `${r.day}\u0000${r.channel}`);
  const source = both((r) => `${r.channel}\u0000${r.source}`);
  const urgency = both((r) => r.urgency ?? '');
  const category = both((r) => catKey(r.category));
  const prevCases = sumBy(f.previousNewCases, (r) => catKey(r.category), (r) => r.count);
  const prevMessages = sumBy(f.previousMessages, (r) => catKey(r.category), (r) => r.count);
  const categories = [...category.order, ...byCountThenName(prevCases).filter((k) => !category.order.includes(k))];

  return {
    byDay: period.days.map((d, i) => ({ date: d.date, ...counts(day, String(i)) })),
    byDayChannel: period.days.flatMap((d, i) => channel.order.map((c) => ({ date: d.date, channel: c, ...counts(dayChannel, `${i}\u0000${c}`) }))),
    byChannel: channel.order.map((c) => ({ channel: c, ...counts(channel, c) })),
    bySource: source.order.map((k) => {
      const [c, s] = k.split('\u0000') as [string, string];
      return { channel: c, source: s, ...counts(source, k) };
    }),
    byUrgency: URGENCY_ORDER.map((u) => ({ urgency: u, ...counts(urgency, u) })),
    byCategory: categories.map((k) => {
      const now = counts(category, k);
      const previousNewCases = prevCases.get(k) ?? 0;
      return { category: catOf(k), ...now, previousNewCases, previousMessages: prevMessages.get(k) ?? 0, newCasesChange: now.newCases - previousNewCases };
    }),
  };
}

function responseTimes(cohort: readonly ReportCohortCase[], channels: readonly string[]): ResponseTimesRow[] {
  // One pass over the cohort (tens of thousands of cases a busy week) into every group at once:
  // all cases, each channel, each urgency.
  const group = (channel: string, urgency: string) => ({ channel, urgency, cases: 0, first: [] as number[], resolution: [] as number[] });
  const all = group('all', 'all');
  const byChannel = new Map(channels.map((ch) => [ch, group(ch, 'all')]));
  const byUrgency = new Map(URGENCY_ORDER.map((u) => [u as string, group('all', u)]));
  for (const c of cohort) {
    for (const g of [all, byChannel.get(c.channel), byUrgency.get(c.urgency)]) {
      if (!g) continue;
      g.cases++;
      if (c.firstResponseAt !== null) g.first.push(c.firstResponseAt - c.firstContactAt);
      if (c.resolvedAt !== null) g.resolution.push(c.resolvedAt - c.firstContactAt);
    }
  }
  return [all, ...byChannel.values(), ...byUrgency.values()].map((g) => {
    // A Float64Array sorts numerically without a comparator.
    const first = Float64Array.from(g.first).sort();
    const resolution = Float64Array.from(g.resolution).sort();
    return {
      channel: g.channel,
      urgency: g.urgency,
      cases: g.cases,
      responded: first.length,
      firstResponseMedianMinutes: minutes(percentileOfSorted(first, 0.5)),
      firstResponseP90Minutes: minutes(percentileOfSorted(first, 0.9)),
      resolved: resolution.length,
      resolutionMedianMinutes: minutes(percentileOfSorted(resolution, 0.5)),
      resolutionP90Minutes: minutes(percentileOfSorted(resolution, 0.9)),
    };
  });
}

function responseDistribution(cohort: readonly ReportCohortCase[]): WeeklyReport['responsiveness']['firstResponseDistribution'] {
  const counts = [...RESPONSE_BUCKETS.map(() => 0), 0];
  for (const c of cohort) {
    if (c.firstResponseAt === null) {
      counts[RESPONSE_BUCKETS.length]!++;
      continue;
    }
    const took = c.firstResponseAt - c.firstContactAt;
    let i = 0;
    while (RESPONSE_BUCKETS[i]!.belowMs !== null && took >= RESPONSE_BUCKETS[i]!.belowMs!) i++;
    counts[i]!++;
  }
  return [...RESPONSE_BUCKETS.map((b) => b.label), NO_RESPONSE_BUCKET].map((bucket, i) => ({ bucket, cases: counts[i]! }));
}

function slaTables(cohort: readonly ReportCohortCase[], targets: SlaTargets, asOf: Date): WeeklyReport['slaBreaches'] {
  const byUrgency = URGENCY_ORDER.map((urgency) => ({ urgency, cases: 0, breached: 0, firstResponse: 0, resolution: 0 }));
  const cases: SlaBreach[] = [];
  const asOfMs = asOf.getTime();
  for (const c of cohort) {
    const s = slaStatusMs(c, targets, asOfMs);
    const u = byUrgency[URGENCY_ORDER.indexOf(c.urgency)];
    if (u) {
      u.cases++;
      u.breached += Number(s.breached);
      u.firstResponse += Number(s.firstResponseBreached);
      u.resolution += Number(s.resolutionBreached);
    }
    if (!s.breached) continue;
    cases.push({
      requestNumber: c.requestNumber,
      channel: c.channel,
      urgency: c.urgency,
      category: c.category,
      subject: c.subject,
      status: c.status,
      firstContactAt: iso(c.firstContactAt),
      firstResponseDueAt: iso(s.firstResponseDueAt),
      firstResponseAt: isoOrNull(c.firstResponseAt),
      firstResponseBreached: s.firstResponseBreached,
      resolutionDueAt: iso(s.resolutionDueAt),
      resolvedAt: isoOrNull(c.resolvedAt),
      resolutionBreached: s.resolutionBreached,
    });
  }
  return {
    count: cases.length,
    firstResponse: cases.filter((b) => b.firstResponseBreached).length,
    resolution: cases.filter((b) => b.resolutionBreached).length,
    byUrgency,
    cases,
  };
}

function repeatContactTables(f: ReportFigures): WeeklyReport['repeatContacts'] {
  const repeat = f.cohort.filter((c) => c.contactCount >= 2);
  const cases = sumBy(f.cohort, (c) => catKey(c.category), () => 1);
  const repeats = sumBy(repeat, (c) => catKey(c.category), () => 1);
  return {
    cases: f.cohort.length,
    repeatCases: repeat.length,
    share: ratio(repeat.length, f.cohort.length),
    topReasons: byCountThenName(repeats).map((k) => ({
      category: catOf(k),
      cases: cases.get(k)!,
      repeatCases: repeats.get(k)!,
      share: ratio(repeats.get(k)!, cases.get(k)!)!,
    })),
    absorbed: (() => {
      const joined = sumBy(
        f.messages.filter((m) => m.joinReason),
        (m) => m.joinReason!,
        (m) => m.count,
      );
      return byCountThenName(joined).map((reason) => ({ reason, messages: joined.get(reason)! }));
    })(),
  };
}

function backlogTable(f: ReportFigures, cutMs: number): WeeklyReport['backlog'] {
  const rows = URGENCY_ORDER.map((urgency) => {
    const row = { urgency, total: 0 } as BacklogRow;
    BACKLOG_BUCKETS.forEach((b, i) => {
      row[b.key] = f.backlog.filter((r) => r.urgency === urgency && r.bucket === i).reduce((n, r) => n + r.count, 0);
      row.total += row[b.key];
    });
    return row;
  });
  return { at: iso(cutMs), total: rows.reduce((n, r) => n + r.total, 0), rows };
}

/** `unauthorised_transaction` -> "unauthorised transaction" (reason texts vary: "amount Rp 1.500.000"). */
export function themeLabel(code: string): string {
  return code.replace(/_/g, ' ');
}

function themeTable(f: ReportFigures): WeeklyReport['themes'] {
  return [...f.themes]
    .sort((a, b) => b.cases - a.cases || b.previousCases - a.previousCases || (a.code < b.code ? -1 : 1))
    .map((t) => ({ ...t, label: themeLabel(t.code), change: t.cases - t.previousCases, changePct: ratio(t.cases - t.previousCases, t.previousCases) }));
}

function burstTable(period: ReportPeriod, f: ReportFigures): WeeklyReport['incidents'] {
  const baseline = sumBy(f.previousMessages, (r) => catKey(r.category), (r) => r.count);
  const perDay = sumBy(
    f.messages.filter((r) => r.category !== null),
    (r) => `${r.day}\u0000${r.category}`,
    (r) => r.count,
  );
  const bursts: WeeklyReport['incidents']['bursts'] = [];
  for (const [key, messages] of perDay) {
    const [day, category] = key.split('\u0000') as [string, string];
    const baselinePerDay = round((baseline.get(category) ?? 0) / period.days.length, 2);
    if (messages < BURST_RULE.minMessages || messages < BURST_RULE.factor * baselinePerDay) continue;
    bursts.push({ date: period.days[Number(day)]!.date, category, messages, baselinePerDay, ratio: baselinePerDay === 0 ? null : round(messages / baselinePerDay, 1) });
  }
  bursts.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : b.messages - a.messages));
  return {
    recorded: false,
    note: 'No incident records are kept yet; bursts are derived from complaint volume per category and day.',
    burstRule: BURST_RULE,
    bursts,
  };
}

/** What the team did after the report's clock has not happened yet, as far as the report knows. */
function asSeenAt(cohort: ReportCohortCase[], asOfMs: number): ReportCohortCase[] {
  const later = (ms: number | null) => ms !== null && ms > asOfMs;
  // Copied only when something is hidden: for a past week, hardly any case.
  if (!cohort.some((c) => later(c.firstResponseAt) || later(c.resolvedAt))) return cohort;
  return cohort.map((c) =>
    later(c.firstResponseAt) || later(c.resolvedAt)
      ? { ...c, firstResponseAt: later(c.firstResponseAt) ? null : c.firstResponseAt, resolvedAt: later(c.resolvedAt) ? null : c.resolvedAt }
      : c,
  );
}

export function buildWeeklyReport(period: ReportPeriod, figures: ReportFigures, targets: SlaTargets, asOf: Date): WeeklyReport {
  const f = { ...figures, cohort: asSeenAt(figures.cohort, asOf.getTime()) };
  const volume = volumeTables(period, f);
  const sla = slaTables(f.cohort, targets, asOf);
  const repeatContacts = repeatContactTables(f);
  const backlog = backlogTable(f, Math.min(period.endMs, asOf.getTime()));
  const incidents = burstTable(period, f);
  const total = (rows: readonly { count: number }[]) => rows.reduce((n, r) => n + r.count, 0);
  return {
    report: 'weekly',
    version: REPORT_VERSION,
    period: {
      kind: period.kind,
      label: period.label,
      timeZone: period.timeZone,
      from: period.from,
      to: period.to,
      start: iso(period.startMs),
      end: iso(period.endMs),
      days: period.days.map((d) => ({ date: d.date, start: iso(d.startMs), end: iso(d.endMs), hours: (d.endMs - d.startMs) / HOUR_MS })),
      previous: { from: period.previous.from, to: period.previous.to, start: iso(period.previous.startMs), end: iso(period.previous.endMs) },
    },
    generatedAt: asOf.toISOString(),
    slaTargetsMinutes: targets,
    summary: {
      newCases: total(f.newCases),
      messages: total(f.messages),
      previousNewCases: total(f.previousNewCases),
      previousMessages: total(f.previousMessages),
      absorbedMessages: repeatContacts.absorbed.reduce((n, a) => n + a.messages, 0),
      repeatContactCases: repeatContacts.repeatCases,
      slaBreaches: sla.count,
      openAtEnd: backlog.total,
      bursts: incidents.bursts.length,
    },
    volume,
    responsiveness: {
      times: responseTimes(f.cohort, volume.byChannel.map((c) => c.channel)),
      firstResponseDistribution: responseDistribution(f.cohort),
    },
    slaBreaches: sla,
    repeatContacts,
    backlog,
    themes: themeTable(f),
    incidents,
  };
}
