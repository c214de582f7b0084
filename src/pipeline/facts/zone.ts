/**
 * Calendar arithmetic in a team's time zone without a date library: Intl gives the wall-clock
 * parts of an instant in an IANA zone, and plain UTC arithmetic moves whole days (a local date
 * has no time zone once it is known).
 */

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
}

// Creating a DateTimeFormat costs far more than formatting with one: one per zone, made once.
const formatters = new Map<string, Intl.DateTimeFormat>();

// Formatting still costs microseconds, so the zone's offset is kept per quarter hour: every
// offset change of the tz database since the 1970s happens on a quarter hour (UTC), so an offset
// read at a quarter's start holds for the whole quarter. Messages of one poll share quarters.
const QUARTER_MS = 15 * 60_000;
const MAX_QUARTERS_PER_ZONE = 4096;
const offsets = new Map<string, Map<number, number>>();

/** The wall-clock date and time of `instant` in `timeZone`. */
export function localDateTime(instant: Date, timeZone: string): LocalDateTime {
  const ms = instant.getTime();
  const quarter = Math.floor(ms / QUARTER_MS);
  let zone = offsets.get(timeZone);
  if (!zone) {
    zone = new Map();
    offsets.set(timeZone, zone);
  }
  let offset = zone.get(quarter);
  if (offset === undefined) {
    offset = offsetAt(quarter * QUARTER_MS, timeZone);
    if (zone.size >= MAX_QUARTERS_PER_ZONE) zone.clear();
    zone.set(quarter, offset);
  }
  const t = new Date(ms + offset);
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hour: t.getUTCHours(),
    minute: t.getUTCMinutes(),
  };
}

/** Milliseconds to add to a UTC instant (a whole minute) to read the zone's wall clock. */
function offsetAt(ms: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) p[part.type] = Number(part.value);
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - ms;
}

export function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days from a to b (negative when b is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / 86_400_000);
}

export function formatDate(d: LocalDate): string {
  return `${String(d.year).padStart(4, '0')}-${pad2(d.month)}-${pad2(d.day)}`;
}

export function formatTime(hour: number, minute: number): string {
  return `${pad2(hour)}:${pad2(minute)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** The instant the local day of `instant` began in `timeZone` (midnight, or the first minute after a DST gap). */
export function startOfLocalDay(instant: Date, timeZone: string): Date {
  const local = localDateTime(instant, timeZone);
  const midnightAsUtc = Date.UTC(local.year, local.month - 1, local.day);
  // The zone's offset now, then corrected by the offset at the guessed instant (a DST change today).
  const offsetNow = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute) - Math.floor(instant.getTime() / 60_000) * 60_000;
  let guess = midnightAsUtc - offsetNow;
  const atGuess = localDateTime(new Date(guess), timeZone);
  guess -= Date.UTC(atGuess.year, atGuess.month - 1, atGuess.day, atGuess.hour, atGuess.minute) - midnightAsUtc;
  return new Date(guess);
}
