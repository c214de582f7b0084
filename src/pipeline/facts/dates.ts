/**
 * The transaction date/time a customer states, resolved to a local date (and a time or part of
 * the day when stated) in the team's time zone: "12/11/2026", "12 Nov", "tgl 12 november jam
 * 14.30", "2026年11月12日 下午3点", ISO; "kemarin jam 10", "yesterday evening", "昨天下午",
 * "2 hari lalu", "tadi pagi", "at 3pm", "last Friday", "hari Senin", "上周一".
 *
 * Pieces (a day, a part of the day, a time) are found separately and joined when only spaces or a
 * connecting word ("at", "sekitar", "的") stand between them. What stays ambiguous is left out:
 * a part of the day alone ("selamat pagi", "good morning"), a time written "14.30" without "jam"
 * or "pukul" (it could be an amount), a bare "12/11" or "12" without a date word.
 *
 * Conventions (the region's, stated so a reviewer can disagree): numeric dates are day first
 * (12/11/2026 is 12 November) unless only the other order is a date; a date without a year takes
 * the latest year that puts it at most a month after the message, a day alone ("tgl 12") the
 * latest such day at or before the message (relative: its month is inferred); a time without a
 * day takes the day said earlier in the same sentence ("kemarin saya top up jam 10"), else its
 * latest occurrence at or before the message; an hour without am/pm or a part of the day is read
 * as written ("jam 3" is 03:00).
 */
import { findDateTokens, type Hm, type Token } from './date-tokens.js';
import type { DateTimeFact, PartOfDay } from './types.js';
import { addDays, daysBetween, formatDate, formatTime, isValidDate, localDateTime, type LocalDate, type LocalDateTime } from './zone.js';

export interface DateContext {
  /** When the message was sent: relative words count from here. */
  sentAt: Date;
  /** IANA zone of the team, e.g. Asia/Jakarta. */
  timeZone: string;
}

// A full stop ends a sentence only before a space ("Rp 50.000" does not end one).
const SENTENCE_END = /[.!?](?:\s|$)|[。！？\n]/;

// What may stand between pieces of one date/time: spaces, commas, a connecting word.
const CONNECTOR = /^[\s,，、]*(?:(?:at|around|about|on|sekitar|sekitaran|kira-kira|kurang lebih|pada|di|tepatnya|的)[\s,，]*)?$/iu;

// Text with neither a digit nor a day word cannot hold a date: most subjects skip every scan.
const MAY_HOLD_DATE =
  /\d|day|tonight|night|morning|afternoon|evening|ago|hari|kemar|kmr|tadi|semalam|malam|pagi|siang|sore|lalu|senin|selasa|rabu|kamis|jum|sabtu|[今昨前天点點月日号晚早午周週期拜]/i;

export function findDateTimes(text: string, ctx: DateContext): DateTimeFact[] {
  if (!MAY_HOLD_DATE.test(text)) return [];
  // The message's local time is read only when a piece needs it (formatting it costs microseconds).
  let local: LocalDateTime | undefined;
  const now = () => (local ??= localDateTime(ctx.sentAt, ctx.timeZone));
  const tokens = findDateTokens(text, now, ctx.timeZone);
  const out: DateTimeFact[] = [];
  let group: Token[] = [];
  // "kemarin saya top up jam 10": a time later in the same sentence belongs to the day said before.
  let anchor: { date: LocalDate; relative: boolean; end: number } | undefined;
  const flush = () => {
    if (group.length === 0) return;
    const gap = anchor ? text.slice(anchor.end, group[0]!.start) : '';
    const stated = anchor && gap.length <= 60 && !SENTENCE_END.test(gap) ? anchor : undefined;
    const resolved = resolveGroup(group, text, now, ctx, stated);
    group = [];
    if (!resolved) return;
    out.push(resolved.fact);
    anchor = resolved.day ? { ...resolved.day, end: resolved.fact.end } : anchor;
  };
  for (const t of tokens) {
    const last = group[group.length - 1];
    if (last && (t.type === 'ago' || last.type === 'ago' || !fits(group, t) || !CONNECTOR.test(text.slice(last.end, t.start)))) {
      flush();
    }
    group.push(t);
  }
  flush();
  return out;
}

function fits(group: Token[], t: Token): boolean {
  const has = (kind: 'day' | 'pod' | 'time') =>
    group.some((g) => g.type === kind || (kind === 'pod' && g.type === 'day' && g.pod) || (kind === 'time' && g.type === 'day' && g.time));
  if (t.type === 'day') return !has('day') && !(t.pod && has('pod')) && !(t.time && has('time'));
  if (t.type === 'pod') return !has('pod');
  if (t.type === 'time') return !has('time');
  return false;
}

interface Resolved {
  fact: DateTimeFact;
  /** The day the phrase itself stated, if it did. */
  day?: { date: LocalDate; relative: boolean };
}

function resolveGroup(
  group: Token[],
  text: string,
  now: () => LocalDateTime,
  ctx: DateContext,
  anchor: { date: LocalDate; relative: boolean } | undefined,
): Resolved | null {
  const first = group[0]!;
  const last = group[group.length - 1]!;
  const span = { text: text.slice(first.start, last.end), start: first.start, end: last.end };
  if (first.type === 'ago') {
    const then = localDateTime(new Date(ctx.sentAt.getTime() - first.minutes * 60_000), ctx.timeZone);
    return { fact: { kind: 'datetime', value: { date: formatDate(then), time: formatTime(then.hour, then.minute), relative: true }, ...span } };
  }
  let day: Extract<Token, { type: 'day' }> | undefined;
  let podTok: Extract<Token, { type: 'pod' }> | undefined;
  let timeTok: Extract<Token, { type: 'time' }> | undefined;
  for (const t of group) {
    if (t.type === 'day') day = t;
    else if (t.type === 'pod') podTok = t;
    else if (t.type === 'time') timeTok = t;
  }
  const pod = day?.pod ?? podTok?.pod;
  const time: Hm | undefined = day?.time ?? (timeTok ? toClock(timeTok, pod) : undefined);
  if (timeTok && !time && !pod) return null; // an impossible clock ("jam 30") makes the whole phrase doubtful
  if (day?.needsMore && !time && !pod) return null;
  let date: LocalDate | null;
  let relative: boolean;
  if (day?.date) {
    date = day.missing === 'year' ? inferYear(day.date, now()) : day.missing === 'month' ? inferMonth(day.date.day, now()) : day.date;
    // A day of the month alone takes its month from the message time.
    relative = day.missing === 'month';
  } else if (day) {
    date = addDays(now(), day.offset ?? 0);
    relative = true;
  } else if (time && anchor) {
    ({ date, relative } = anchor);
  } else if (time) {
    // A time with no day: its latest occurrence at or before the message.
    const later = time.hour * 60 + time.minute > now().hour * 60 + now().minute;
    date = later ? addDays(now(), -1) : now();
    relative = true;
  } else {
    return null; // a part of the day alone ("selamat pagi") says nothing about a date
  }
  if (!date) return null;
  const value: DateTimeFact['value'] = { date: formatDate(date), relative };
  if (time) value.time = formatTime(time.hour, time.minute);
  if (pod) value.partOfDay = pod;
  const fact: DateTimeFact = { kind: 'datetime', value, ...span };
  return day ? { fact, day: { date, relative } } : { fact };
}

/** The 24-hour clock a stated time means, given am/pm or the part of the day said with it. */
function toClock(t: Extract<Token, { type: 'time' }>, pod: PartOfDay | undefined): Hm | undefined {
  let { hour } = t.time;
  const { minute } = t.time;
  if (hour > 23 || minute > 59) return undefined;
  if (t.meridiem) {
    if (hour === 0 || hour > 12) return undefined;
    if (t.meridiem === 'pm' && hour < 12) hour += 12;
    if (t.meridiem === 'am' && hour === 12) hour = 0;
    return { hour, minute };
  }
  if (hour > 12 || !pod) return { hour, minute };
  // "jam 1 siang", "下午3点", "sore jam 5": an afternoon hour is after noon ("jam 11 siang" stays).
  if (pod === 'afternoon' && hour <= 7) hour += 12;
  else if (pod === 'evening' && hour < 12) hour += 12;
  else if (pod === 'night' && hour >= 6 && hour <= 11) hour += 12;
  else if (pod === 'night' && hour === 12) return undefined; // "jam 12 malam": midnight of which day?
  return { hour, minute };
}

/**
 * A date written without a year is about the past or the near future (a promised refund): the
 * latest year that puts it no more than a month after the message.
 */
function inferYear(d: LocalDate, now: LocalDate): LocalDate | null {
  for (const year of [now.year + 1, now.year, now.year - 1, now.year - 2]) {
    if (isValidDate(year, d.month, d.day) && daysBetween(now, { year, month: d.month, day: d.day }) <= 31) {
      return { year, month: d.month, day: d.day };
    }
  }
  return null;
}

/** "tgl 12": the latest 12th at or before the message (a past transaction). */
function inferMonth(day: number, now: LocalDate): LocalDate | null {
  let d: LocalDate = { year: now.year, month: now.month, day };
  for (let back = 0; back < 12; back++) {
    if (isValidDate(d.year, d.month, day) && daysBetween(d, now) >= 0) return d;
    d = d.month === 1 ? { year: d.year - 1, month: 12, day } : { year: d.year, month: d.month - 1, day };
  }
  return null;
}
