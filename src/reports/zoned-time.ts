/**
 * The UTC instant of a local date and time in an IANA zone, with nothing but Intl (through the
 * pipeline's cached wall-clock reader). Daylight-saving days are 23 or 25 hours long: a local day
 * is always [its start, the next day's start), never 24 h from a start.
 */
import { localDateTime, type LocalDate } from '../pipeline/facts/zone.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** The zone's wall clock at `atMs` written as if it were a UTC instant (whole minutes). */
function wallClockMs(timeZone: string, atMs: number): number {
  const t = localDateTime(new Date(atMs), timeZone);
  return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
}

/**
 * The first instant at which the zone's clock reads `date`, `minutes` past midnight. When a
 * daylight-saving jump skips that time, the instant of the jump (the first that reads later);
 * when the clock reads it twice (fall-back), the first of the two.
 */
export function zonedTimeToUtc(timeZone: string, date: LocalDate, minutes = 0): number {
  const wanted = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE_MS;
  // The offsets a day either side: no zone changes its offset twice within two days.
  const offsets = [wanted - DAY_MS, wanted + DAY_MS].map((t) => wallClockMs(timeZone, t) - t);
  const candidates = [...new Set(offsets.map((o) => wanted - o))].sort((a, b) => a - b);
  const exact = candidates.find((t) => wallClockMs(timeZone, t) === wanted);
  if (exact !== undefined) return exact;
  // A gap: the clock reads earlier than wanted at the first candidate and later at the last.
  let lo = candidates[0]!;
  let hi = candidates[candidates.length - 1]!;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / (2 * MINUTE_MS)) * MINUTE_MS;
    if (wallClockMs(timeZone, mid) >= wanted) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The instant a local day begins: its midnight, or the jump when a DST change skips midnight. */
export function startOfLocalDay(timeZone: string, date: LocalDate): number {
  return zonedTimeToUtc(timeZone, date, 0);
}

export function localDateOf(timeZone: string, atMs: number): LocalDate {
  const t = localDateTime(new Date(atMs), timeZone);
  return { year: t.year, month: t.month, day: t.day };
}
