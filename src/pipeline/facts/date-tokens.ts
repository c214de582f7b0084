/**
 * The pieces a stated date or time is made of: a day (written out, relative, a weekday), a part of
 * the day, a clock time, "N hours ago". Each has its span; dates.ts joins neighbours and resolves
 * them. Where pieces overlap, the earliest and then longest is kept ("last night", not "night").
 */
import { execAll } from '../exec-all.js';
import { overlaps, type PartOfDay } from './types.js';
import { isValidDate, localDateTime, type LocalDate, type LocalDateTime } from './zone.js';

export type Token =
  | {
      type: 'day';
      start: number;
      end: number;
      date?: LocalDate;
      /** The date was written without a year ("12 Nov") or without a month either ("tgl 12"). */
      missing?: 'year' | 'month';
      offset?: number;
      pod?: PartOfDay;
      time?: Hm;
      needsMore?: boolean;
    }
  | { type: 'pod'; start: number; end: number; pod: PartOfDay }
  | { type: 'time'; start: number; end: number; time: Hm; meridiem?: 'am' | 'pm' }
  | { type: 'ago'; start: number; end: number; minutes: number };

export interface Hm {
  hour: number;
  minute: number;
}

// Latin words need word edges; Chinese has no spaces, so its words stand anywhere.
const L = String.raw`(?<![\p{L}\p{N}])`;
const R = String.raw`(?![\p{L}\p{N}])`;

const SMALL_NUMBERS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  se: 1, satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5, enam: 6, tujuh: 7, delapan: 8, sembilan: 9, sepuluh: 10,
};
// "se" as in "sejam yang lalu" (an hour ago), "sehari lalu".
const EN_ID_COUNT = String.raw`\d{1,2}|an?|se|one|two|three|four|five|six|seven|eight|nine|ten|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh`;
const ZH_COUNT = String.raw`\d{1,2}|[一二两三四五六七八九十]{1,3}`;

const MONTHS: [RegExp, number][] = [
  [/^jan/i, 1], [/^(?:feb|peb)/i, 2], [/^mar/i, 3], [/^apr/i, 4], [/^(?:mei|may)/i, 5], [/^jun/i, 6],
  [/^jul/i, 7], [/^(?:agu|agt|ags|aug)/i, 8], [/^sep/i, 9], [/^(?:okt|oct)/i, 10], [/^nov/i, 11], [/^(?:des|dec)/i, 12],
];
// Longest first inside each month so "maret" is not cut to "mar".
const MONTH = String.raw`(?:januari|january|jan|februari|pebruari|february|feb|maret|march|mar|april|apr|mei|may|juni|june|jun|juli|july|jul|agustus|august|agu|agt|ags|aug|september|sept|sep|oktober|october|okt|oct|november|nov|desember|december|des|dec)(?![\p{L}])\.?`;

const WEEKDAY = String.raw`monday|tuesday|wednesday|thursday|friday|saturday|sunday|senin|selasa|rabu|kamis|jum'?at|sabtu|(?<=hari )minggu`;
const ZH_WEEK = '(?:周|週|星期|礼拜|禮拜)';
// "Monday to Friday", "Senin sampai Jumat", "周一到周五": opening hours, not a day.
const WEEKDAY_RANGE = new RegExp(
  String.raw`(?:${WEEKDAY}|${ZH_WEEK}[一二三四五六日天])\s*(?:-|–|to|until|till|through|sampai(?: dengan)?|s/d|hingga|到|至)\s*(?:hari\s+)?(?:${WEEKDAY}|${ZH_WEEK}?[一二三四五六日天])`,
  'giu',
);

// Latin alternatives share one pair of word-edge checks (checked once per position, not per word).
const DAY_WORDS = new RegExp(
  L +
    '(?:' +
    [
      String.raw`(?<dby>the day before yesterday|kemarin lusa|kmrn lusa)`,
      String.raw`(?<today>today|hari ini)`,
      String.raw`(?<yday>yesterday|kemarin|kemaren|kmrn|kmarin|kmaren|kmrin)`,
      String.raw`(?<n>${EN_ID_COUNT})\s*(?:days?|hari|hr)\s+(?:ago|(?:yang\s+|yg\s+)?lalu)`,
      // A day and a part of it in one phrase.
      String.raw`(?<podToday>this (?:morning|afternoon|evening)|tonight|(?:pagi|siang|sore|malam) (?:ini|tadi)|tadi (?:pagi|siang|sore))`,
      String.raw`(?<lastNight>last night|semalam)`,
      String.raw`(?<tadiMalam>tadi malam)`,
      // "tadi jam 10": earlier today, but only with a time or part of the day after it.
      String.raw`(?<tadi>tadi)`,
      // "Monday", "last Friday", "hari Senin", "Jumat lalu" ("minggu" alone is also "week").
      String.raw`(?<wdLast>last |this past )?(?:hari )?(?<wd>${WEEKDAY})(?<wdAgo> (?:lalu|kemarin|kmrn))?`,
    ].join('|') +
    ')' +
    R +
    '|' +
    [
      String.raw`(?<zhN>${ZH_COUNT})天(?:以)?前`,
      String.raw`(?<zhDby>大前天)`,
      String.raw`(?<zhDb>前天)`,
      String.raw`(?<zhToday>今天|今日)`,
      String.raw`(?<zhYday>昨天|昨日)`,
      String.raw`(?<zhPodToday>今早|今晨|今晚|今夜)`,
      String.raw`(?<zhLastNight>昨晚|昨夜)`,
      // 周一 like "Monday"; 上周一 is the Monday of last week (weeks start on Monday).
      String.raw`(?<zhWdLast>上个?|上個)?${ZH_WEEK}(?<zhWd>[一二三四五六日天])`,
    ].join('|'),
  'giu',
);

const POD_WORDS = new RegExp(
  String.raw`${L}(?:(?:in the )?(?<en>morning|afternoon|evening|night)|(?<id>pagi|siang|sore|malam|dini hari|subuh))${R}|(?<zh>早上|早晨|上午|中午|下午|傍晚|晚上|夜里|凌晨|半夜|深夜)`,
  'giu',
);

const POD_OF: Record<string, PartOfDay> = {
  morning: 'morning', afternoon: 'afternoon', evening: 'evening', night: 'night',
  pagi: 'morning', subuh: 'morning', siang: 'afternoon', sore: 'afternoon', malam: 'night', 'dini hari': 'night',
  早上: 'morning', 早晨: 'morning', 上午: 'morning', 中午: 'afternoon', 下午: 'afternoon', 傍晚: 'evening',
  晚上: 'night', 夜里: 'night', 凌晨: 'night', 半夜: 'night', 深夜: 'night',
};

const TIMES = new RegExp(
  [
    // "jam 10", "pukul 14.30", "jam 9:15 WIB"; not the "15" of "2 jam 15 menit" (a duration).
    String.raw`${L}(?:jam|jm|pukul|pkl)\.?\s*(?<cueH>\d{1,2})(?:[.:](?<cueM>\d{2}))?(?!\d|[.,]\d|\s*(?:menit|mnt|min))(?:\s*(?:wib|wita|wit)${R})?`,
    // "3pm", "10:30 am", "at 9 a.m."
    String.raw`(?<![\p{L}\p{N}.:,])(?<apH>\d{1,2})(?:[:.](?<apM>\d{2}))?\s*(?<ap>[ap])(?:\.m\.|m)(?![\p{L}])`,
    // "10:30", "23:15:07": a colon between hour and minutes is a time.
    String.raw`(?<![\p{N}:.,/])(?<colH>\d{1,2}):(?<colM>\d{2})(?::\d{2})?(?![\p{N}:]|[.,]\d)`,
    // "3点", "15点30分", "3点半", "晚上十点"
    String.raw`(?<zhH>${ZH_COUNT})[点點时時](?:(?<zhM>\d{1,2}|[一二三四五六七八九十]{1,3})分|(?<zhHalf>半)|(?<zhClock>钟|鐘))?`,
  ].join('|'),
  'giu',
);

const NUMERIC_DATE = new RegExp(
  [
    // 2026-11-12, 2026/11/12, with an optional time: ISO and the Chinese numeric order.
    String.raw`(?<![\p{N}/.-])(?<ymdY>20\d{2})(?<s1>[-/.])(?<ymdM>\d{1,2})\k<s1>(?<ymdD>\d{1,2})(?:[T\s]+(?<ymdH>\d{1,2}):(?<ymdMin>\d{2})(?::\d{2}(?:\.\d+)?)?(?<ymdZone>Z|[+-]\d{2}:?\d{2})?)?(?![\p{N}]|[-/.]\p{N})`,
    // 12/11/2026, 12-11-26, 12.11.2026: day first (the same separator twice).
    String.raw`(?<![\p{N}/.,-])(?<dmyA>\d{1,2})(?<s2>[-/.])(?<dmyB>\d{1,2})\k<s2>(?<dmyY>20\d{2}|\d{2})(?![\p{N}]|[-/.,]\p{N})`,
    // "tgl 12/11", "on 12/11": a year-less numeric date only after a date word.
    String.raw`${L}(?<cueWord>(?:tgl\.?|tanggal|date|on)\s*)(?<cueD>\d{1,2})[/-](?<cueMo>\d{1,2})(?![\p{N}]|[/.-]\p{N})`,
    // 2026年11月12日, 11月12号
    String.raw`(?:(?<zhY>20\d{2})年)?(?<zhMo>\d{1,2})月(?<zhD>\d{1,2})[日号號]`,
  ].join('|'),
  'giu',
);

const NAMED_DATE = new RegExp(
  [
    // "12 Nov", "12th of November 2026", "12 november", "1-Des-2026"
    String.raw`${L}(?<dmD>\d{1,2})(?:st|nd|rd|th)?(?:\s+of)?[\s-]*(?<dmM>${MONTH})(?:[\s,-]*(?<dmY>20\d{2})${R})?`,
    // "Nov 12", "November 12th, 2026"
    String.raw`${L}(?<mdM>${MONTH})\s*(?<mdD>\d{1,2})(?:st|nd|rd|th)?(?![\p{N}])(?:,?\s*(?<mdY>20\d{2})${R})?`,
    // "tgl 12", "tanggal 3", "on the 12th": a day of the month only after a date word.
    String.raw`${L}(?<domCue>(?:tgl\.?|tanggal)\s*)(?<domD>\d{1,2})(?![\p{N}]|[.,:/-]\p{N}|[\s-]*${MONTH})|${L}(?<domCueEn>on the\s+)(?<domDEn>\d{1,2})(?:st|nd|rd|th)${R}`,
  ].join('|'),
  'giu',
);

// A cheap test that gates the numeric date scan (most texts hold no such date).
const MAY_HOLD_NUMERIC_DATE = /\d[-/.]\d|\d月/;

const AGO = new RegExp(
  String.raw`${L}(?<n>${EN_ID_COUNT})\s*(?<unit>hours?|hrs?|minutes?|mins?|jam|menit|mnt)\s+(?:ago|(?:yang\s+|yg\s+)?lalu)${R}|(?<zhN>${ZH_COUNT}|半)(?:个|個)?(?<zhUnit>小时|小時|钟头|鐘頭|分钟|分鐘)(?:以)?前`,
  'giu',
);

/** Every piece in `text`, in order, none overlapping. `now` is the message's local time. */
export function findDateTokens(text: string, now: () => LocalDateTime, timeZone: string): Token[] {
  return dedupeOverlaps([...dayTokens(text, now, timeZone), ...podTokens(text), ...timeTokens(text), ...agoTokens(text)]);
}

function* dayTokens(text: string, now: () => LocalDateTime, timeZone: string): Generator<Token> {
  let ranges: { start: number; end: number }[] | undefined;
  for (const m of execAll(DAY_WORDS, text)) {
    const g = m.groups!;
    const at = { start: m.index, end: m.index + m[0].length };
    if (g.today || g.zhToday) yield { type: 'day', ...at, offset: 0 };
    else if (g.yday || g.zhYday) yield { type: 'day', ...at, offset: -1 };
    else if (g.dby || g.zhDb) yield { type: 'day', ...at, offset: -2 };
    else if (g.zhDby) yield { type: 'day', ...at, offset: -3 };
    else if (g.n || g.zhN) {
      const n = countOf(g.n ?? g.zhN!);
      if (n !== undefined && n > 0 && n <= 31) yield { type: 'day', ...at, offset: -n };
    } else if (g.podToday) yield { type: 'day', ...at, offset: 0, pod: podIn(g.podToday) };
    else if (g.zhPodToday) yield { type: 'day', ...at, offset: 0, pod: g.zhPodToday.startsWith('今晚') || g.zhPodToday === '今夜' ? 'night' : 'morning' };
    else if (g.lastNight || g.zhLastNight) yield { type: 'day', ...at, offset: -1, pod: 'night' };
    // Said in the evening, "tadi malam" is tonight; said the next morning, last night.
    else if (g.tadiMalam) yield { type: 'day', ...at, offset: now().hour >= 18 ? 0 : -1, pod: 'night' };
    else if (g.tadi) yield { type: 'day', ...at, offset: 0, needsMore: true };
    else if (g.wd || g.zhWd) {
      // "every Monday", "setiap Senin", "每周一" are habits, not a day.
      if (/(?:every|each|setiap|tiap|每)\s*$/i.test(text.slice(Math.max(0, m.index - 7), m.index))) continue;
      ranges ??= [...execAll(WEEKDAY_RANGE, text)].map((r) => ({ start: r.index, end: r.index + r[0].length }));
      if (ranges.some((r) => overlaps(r, at))) continue;
      // A weekday alone is the latest one at or before the message (a transaction is past);
      // "last Friday", "Jumat lalu" the latest before it.
      const today = isoWeekday(now());
      const weekday = g.wd ? WEEKDAYS[g.wd.toLowerCase().replace("'", '').slice(0, 3)]! : Math.min(ZH_WEEKDAYS.indexOf(g.zhWd!) + 1, 7);
      const back = (today - weekday + 7) % 7;
      const offset = g.zhWdLast ? weekday - today - 7 : -(g.wdLast || g.wdAgo ? back || 7 : back);
      yield { type: 'day', ...at, offset };
    }
  }
  const absolute = [
    ...(MAY_HOLD_NUMERIC_DATE.test(text) ? execAll(NUMERIC_DATE, text) : []),
    ...execAll(NAMED_DATE, text),
  ];
  for (const m of absolute) {
    const g = m.groups!;
    // The date word before "12/11" is a cue, not part of the date.
    const at = { start: m.index + (g.cueWord ?? g.domCue ?? g.domCueEn ?? '').length, end: m.index + m[0].length };
    let year: number | undefined;
    let month: number | undefined;
    let day: number;
    let time: Hm | undefined;
    if (g.ymdY) {
      [year, month, day] = [Number(g.ymdY), Number(g.ymdM), Number(g.ymdD)];
      if (g.ymdH) time = { hour: Number(g.ymdH), minute: Number(g.ymdMin) };
      if (time && g.ymdZone && isValidDate(year, month, day) && time.hour < 24 && time.minute < 60) {
        // A time stamp with its own offset ("...T07:30:00Z", a pasted log line): the team's wall clock.
        const local = localDateTime(new Date(Date.UTC(year, month - 1, day, time.hour, time.minute) - offsetMs(g.ymdZone)), timeZone);
        [year, month, day, time] = [local.year, local.month, local.day, { hour: local.hour, minute: local.minute }];
      }
    } else if (g.dmyA) {
      const [a, b] = [Number(g.dmyA), Number(g.dmyB)];
      year = g.dmyY!.length === 2 ? 2000 + Number(g.dmyY) : Number(g.dmyY);
      // Day first, unless only the other order is a date (11/25/2026).
      [day, month] = a > 12 || b <= 12 ? [a, b] : [b, a];
    } else if (g.cueD) {
      [day, month] = [Number(g.cueD), Number(g.cueMo)];
    } else if (g.dmD) {
      [day, month] = [Number(g.dmD), monthOf(g.dmM!)];
      if (g.dmY) year = Number(g.dmY);
    } else if (g.domD || g.domDEn) {
      day = Number(g.domD ?? g.domDEn);
    } else if (g.mdM) {
      // "may 5 people" is not a date: the English month must be written as a name.
      if (g.mdM.startsWith('may')) continue;
      [day, month] = [Number(g.mdD), monthOf(g.mdM)];
      if (g.mdY) year = Number(g.mdY);
    } else {
      [day, month] = [Number(g.zhD), Number(g.zhMo)];
      if (g.zhY) year = Number(g.zhY);
    }
    // 2024 and January: a leap year and a long month, so 29 Feb and the 31st may stand without them.
    if (!isValidDate(year ?? 2024, month ?? 1, day)) continue;
    if (time && (time.hour > 23 || time.minute > 59)) time = undefined;
    const missing = month === undefined ? 'month' : year === undefined ? 'year' : undefined;
    yield {
      type: 'day',
      ...at,
      // Placeholders where the text gave no year or month: resolveGroup infers them.
      date: { year: year ?? 0, month: month ?? 0, day },
      ...(missing ? { missing } : {}),
      ...(time ? { time } : {}),
    };
  }
}

// "Selamat malam", "good morning", "早上好" greet; they do not say when anything happened.
const GREETING_BEFORE = /(?:selamat|good)\s+$/i;

function* podTokens(text: string): Generator<Token> {
  for (const m of execAll(POD_WORDS, text)) {
    if (GREETING_BEFORE.test(text.slice(Math.max(0, m.index - 9), m.index)) || text[m.index + m[0].length] === '好') continue;
    const word = (m.groups!.en ?? m.groups!.id ?? m.groups!.zh)!.toLowerCase();
    yield { type: 'pod', start: m.index, end: m.index + m[0].length, pod: POD_OF[word]! };
  }
}

function* timeTokens(text: string): Generator<Token> {
  for (const m of execAll(TIMES, text)) {
    const g = m.groups!;
    const at = { start: m.index, end: m.index + m[0].length };
    if (g.cueH) yield { type: 'time', ...at, time: { hour: Number(g.cueH), minute: Number(g.cueM ?? 0) } };
    else if (g.apH) yield { type: 'time', ...at, time: { hour: Number(g.apH), minute: Number(g.apM ?? 0) }, meridiem: g.ap!.toLowerCase() === 'p' ? 'pm' : 'am' };
    else if (g.colH) yield { type: 'time', ...at, time: { hour: Number(g.colH), minute: Number(g.colM) } };
    else {
      // "一点" is also "a little" (快一点): a Chinese-numeral hour needs minutes, 钟 or a part of the day before it.
      const written = /\d/.test(g.zhH!);
      const podBefore = /(?:[午晨夜晚早]|[早晚]上|夜里)$/.test(text.slice(Math.max(0, m.index - 2), m.index));
      if (!written && !g.zhM && !g.zhHalf && !g.zhClock && !podBefore) continue;
      const hour = countOf(g.zhH!);
      const minute = g.zhHalf ? 30 : g.zhM ? countOf(g.zhM) : 0;
      if (hour === undefined || minute === undefined) continue;
      yield { type: 'time', ...at, time: { hour, minute } };
    }
  }
}

function* agoTokens(text: string): Generator<Token> {
  for (const m of execAll(AGO, text)) {
    const g = m.groups!;
    const n = g.zhN === '半' ? 0.5 : countOf(g.n ?? g.zhN!);
    if (n === undefined || n <= 0) continue;
    const unit = (g.unit ?? g.zhUnit)!.toLowerCase();
    const minutes = /^(?:h|jam|小|钟|鐘)/.test(unit) ? n * 60 : n;
    if (minutes > 48 * 60) continue;
    yield { type: 'ago', start: m.index, end: m.index + m[0].length, minutes };
  }
}

/** Keeps the earliest, then longest, of tokens that overlap. */
function dedupeOverlaps(tokens: Token[]): Token[] {
  tokens.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Token[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (last && t.start < last.end) continue;
    out.push(t);
  }
  return out;
}

/** "Z", "+07:00", "-0330" -> milliseconds east of UTC. */
function offsetMs(zone: string): number {
  if (zone === 'Z' || zone === 'z') return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
  return (zone.startsWith('-') ? -minutes : minutes) * 60_000;
}

function monthOf(word: string): number {
  return MONTHS.find(([re]) => re.test(word))![1];
}

function podIn(phrase: string): PartOfDay {
  const word = phrase.toLowerCase().match(/morning|afternoon|evening|pagi|siang|sore|malam|tonight/)![0];
  return word === 'tonight' ? 'night' : POD_OF[word]!;
}

// ISO weekday numbers (Monday 1 ... Sunday 7) by the first three letters of the name.
const WEEKDAYS: Record<string, number> = {
  mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7,
  sen: 1, sel: 2, rab: 3, kam: 4, jum: 5, sab: 6, min: 7,
};
const ZH_WEEKDAYS = '一二三四五六日天';

function isoWeekday(d: LocalDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() || 7;
}

const ZH_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 3, "three", "tiga", "三", "十二", "二十" -> a number; undefined when it is not one. */
function countOf(s: string): number | undefined {
  if (/^\d+$/.test(s)) return Number(s);
  const word = SMALL_NUMBERS[s.toLowerCase()];
  if (word !== undefined) return word;
  // Chinese numerals up to 99: [tens]十[units]
  const m = /^([一二两三四五六七八九])?(十)?([零〇一二两三四五六七八九])?$/.exec(s);
  if (!m || s === '') return undefined;
  if (!m[2]) return m[1] && !m[3] ? ZH_DIGITS[m[1]] : m[3] && !m[1] ? ZH_DIGITS[m[3]] : undefined;
  return (m[1] ? ZH_DIGITS[m[1]]! : 1) * 10 + (m[3] ? ZH_DIGITS[m[3]]! : 0);
}
