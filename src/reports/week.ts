/**
 * Report periods: an ISO week (`2026-W47`, Monday to Sunday) or a range of local dates, laid out
 * as local days in the team's time zone. Every boundary is a local midnight in that zone, never
 * the server's: a message sent at 23:30 on a Sunday in Jakarta belongs to that Sunday's week even
 * when the server's clock (UTC) already reads Monday.
 */
import { addDays, daysBetween, formatDate, isValidDate, type LocalDate } from '../pipeline/facts/zone.js';
import { localDateOf, startOfLocalDay } from './zoned-time.js';

/** A range report covers at most this many days (a year and a day: a leap year with room). */
export const MAX_RANGE_DAYS = 366;

export class PeriodError extends Error {
  override name = 'PeriodError';
  readonly code = 'invalid_period';
  constructor(
    /** The input at fault: week, from, to or tz. */
    readonly field: 'week' | 'from' | 'to' | 'tz',
    message: string,
  ) {
    super(message);
  }
}

export interface ReportDay {
  /** Local date, YYYY-MM-DD. */
  date: string;
  startMs: number;
  /** Exclusive: the next day's start (23 or 25 hours later on a DST change day). */
  endMs: number;
}

export interface PeriodSpan {
  from: string;
  to: string;
  startMs: number;
  endMs: number;
}

export interface ReportPeriod extends PeriodSpan {
  kind: 'week' | 'range';
  /** `2026-W47` or `2026-11-01..2026-11-07`. */
  label: string;
  timeZone: string;
  days: ReportDay[];
  /** The same number of days just before (week-over-week comparisons). */
  previous: PeriodSpan;
}

export interface IsoWeek {
  year: number;
  week: number;
}

function weekdayIndex(d: LocalDate): number {
  return (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
}

/** 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday; else 52. */
export function isoWeeksInYear(year: number): number {
  const jan1 = weekdayIndex({ year, month: 1, day: 1 });
  const leap = isValidDate(year, 2, 29);
  return jan1 === 3 || (leap && jan1 === 2) ? 53 : 52;
}

/** Monday of ISO week 1 is the Monday of the week holding 4 January. */
export function mondayOfIsoWeek({ year, week }: IsoWeek): LocalDate {
  const jan4: LocalDate = { year, month: 1, day: 4 };
  return addDays(jan4, (week - 1) * 7 - weekdayIndex(jan4));
}

/** The ISO week a date falls in (its week-year may differ from the calendar year near New Year). */
export function isoWeekOf(date: LocalDate): IsoWeek {
  const thursday = addDays(date, 3 - weekdayIndex(date));
  const week1Monday = mondayOfIsoWeek({ year: thursday.year, week: 1 });
  return { year: thursday.year, week: Math.floor(daysBetween(week1Monday, date) / 7) + 1 };
}

export function formatIsoWeek({ year, week }: IsoWeek): string {
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function parseIsoWeek(text: string): IsoWeek {
  const m = /^(\d{4})-?W(\d{2})$/.exec(text.trim());
  if (!m) throw new PeriodError('week', `"${text}" is not an ISO week (YYYY-Www, e.g. 2026-W47)`);
  const year = Number(m[1]);
  const week = Number(m[2]);
  const weeks = isoWeeksInYear(year);
  if (week < 1 || week > weeks) throw new PeriodError('week', `${year} has ISO weeks 01 to ${weeks}; got W${m[2]}`);
  return { year, week };
}

export function parseLocalDate(text: string, field: 'from' | 'to'): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  const d = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
  if (!d || !isValidDate(d.year, d.month, d.day)) throw new PeriodError(field, `"${text}" is not a date (YYYY-MM-DD)`);
  return d;
}

export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new PeriodError('tz', `"${timeZone}" is not an IANA time zone (e.g. Asia/Jakarta, Europe/Amsterdam)`);
  }
}

function span(timeZone: string, first: LocalDate, last: LocalDate): PeriodSpan {
  return {
    from: formatDate(first),
    to: formatDate(last),
    startMs: startOfLocalDay(timeZone, first),
    endMs: startOfLocalDay(timeZone, addDays(last, 1)),
  };
}

function period(kind: ReportPeriod['kind'], label: string, timeZone: string, first: LocalDate, last: LocalDate): ReportPeriod {
  assertTimeZone(timeZone);
  const count = daysBetween(first, last) + 1;
  const starts = Array.from({ length: count + 1 }, (_, i) => startOfLocalDay(timeZone, addDays(first, i)));
  const days = starts.slice(0, count).map((startMs, i) => ({ date: formatDate(addDays(first, i)), startMs, endMs: starts[i + 1]! }));
  const previous = span(timeZone, addDays(first, -count), addDays(first, -1));
  return { kind, label, timeZone, from: formatDate(first), to: formatDate(last), startMs: starts[0]!, endMs: starts[count]!, days, previous };
}

/** An ISO week, Monday 00:00 to the next Monday 00:00 in the zone. */
export function weekPeriod(week: string, timeZone: string): ReportPeriod {
  const w = parseIsoWeek(week);
  const monday = mondayOfIsoWeek(w);
  return period('week', formatIsoWeek(w), timeZone, monday, addDays(monday, 6));
}

/** Local dates `from` to `to`, both included. */
export function rangePeriod(from: string, to: string, timeZone: string): ReportPeriod {
  const first = parseLocalDate(from, 'from');
  const last = parseLocalDate(to, 'to');
  const count = daysBetween(first, last) + 1;
  if (count < 1) throw new PeriodError('to', `"to" (${to}) is before "from" (${from})`);
  if (count > MAX_RANGE_DAYS) throw new PeriodError('to', `a report covers at most ${MAX_RANGE_DAYS} days; ${from}..${to} is ${count}`);
  return period('range', `${formatDate(first)}..${formatDate(last)}`, timeZone, first, last);
}

/** The last complete ISO week before `now` in the zone (on a Monday: the week that just ended). */
export function previousIsoWeek(now: Date, timeZone: string): string {
  assertTimeZone(timeZone);
  return formatIsoWeek(isoWeekOf(addDays(localDateOf(timeZone, now.getTime()), -7)));
}
