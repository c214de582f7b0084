/**
 * Week and day boundaries in the team's zone (not the server's), DST days, ISO week-year edges,
 * the schedule's next run and retention, and the percentile definition.
 */
import { describe, expect, it } from 'vitest';
import { percentile } from '../../src/reports/percentile.js';
import { nextWeeklyRunAt, reportsToPrune } from '../../src/reports/schedule.js';
import { isoWeekOf, isoWeeksInYear, parseIsoWeek, PeriodError, previousIsoWeek, rangePeriod, weekPeriod } from '../../src/reports/week.js';
import { startOfLocalDay, zonedTimeToUtc } from '../../src/reports/zoned-time.js';

const iso = (ms: number) => new Date(ms).toISOString();
const hours = (p: { days: { startMs: number; endMs: number }[] }) => p.days.map((d) => (d.endMs - d.startMs) / 3_600_000);

describe('ISO weeks', () => {
  it('2026 has a week 53 (it starts on a Thursday); 2027 has 52; a leap year starting on Wednesday has 53', () => {
    expect([isoWeeksInYear(2026), isoWeeksInYear(2027), isoWeeksInYear(2020), isoWeeksInYear(2021)]).toEqual([53, 52, 53, 52]);
  });

  it('2026-W53 runs 2026-12-28..2027-01-03 and 2027-W01 starts on 2027-01-04', () => {
    const w53 = weekPeriod('2026-W53', 'Asia/Jakarta');
    expect([w53.from, w53.to]).toEqual(['2026-12-28', '2027-01-03']);
    const w1 = weekPeriod('2027-W01', 'Asia/Jakarta');
    expect([w1.from, w1.to, w1.previous.from, w1.previous.to]).toEqual(['2027-01-04', '2027-01-10', '2026-12-28', '2027-01-03']);
    expect(weekPeriod('2026-W01', 'Asia/Jakarta').from).toBe('2025-12-29');
  });

  it('dates near New Year belong to the week-year of their Thursday', () => {
    expect(isoWeekOf({ year: 2027, month: 1, day: 3 })).toEqual({ year: 2026, week: 53 });
    expect(isoWeekOf({ year: 2025, month: 12, day: 29 })).toEqual({ year: 2026, week: 1 });
    expect(isoWeekOf({ year: 2026, month: 11, day: 22 })).toEqual({ year: 2026, week: 47 });
  });

  it('refuses weeks that do not exist, naming the field', () => {
    expect(() => parseIsoWeek('2027-W53')).toThrow(/2027 has ISO weeks 01 to 52/);
    expect(() => parseIsoWeek('2026-W00')).toThrow(PeriodError);
    for (const bad of ['2026-47', 'W47', '2026-W4', 'last week']) {
      expect(() => parseIsoWeek(bad)).toThrow(expect.objectContaining({ field: 'week', code: 'invalid_period' }));
    }
    expect(parseIsoWeek('2026W47')).toEqual({ year: 2026, week: 47 });
  });
});

describe('boundaries in the zone', () => {
  it('Asia/Jakarta (UTC+7, no DST): 2026-W47 is 2026-11-15T17:00Z to 2026-11-22T17:00Z, seven 24 h days', () => {
    const p = weekPeriod('2026-W47', 'Asia/Jakarta');
    expect([iso(p.startMs), iso(p.endMs)]).toEqual(['2026-11-15T17:00:00.000Z', '2026-11-22T17:00:00.000Z']);
    expect(hours(p)).toEqual([24, 24, 24, 24, 24, 24, 24]);
    expect(p.days.map((d) => d.date)).toEqual(['2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']);
  });

  it('Europe/Amsterdam, spring forward on Sunday 2026-03-29: W13 ends 2026-03-29T22:00Z and its Sunday has 23 h', () => {
    const p = weekPeriod('2026-W13', 'Europe/Amsterdam');
    expect([iso(p.startMs), iso(p.endMs)]).toEqual(['2026-03-22T23:00:00.000Z', '2026-03-29T22:00:00.000Z']);
    expect(hours(p)).toEqual([24, 24, 24, 24, 24, 24, 23]);
  });

  it('Europe/Amsterdam, fall back on Sunday 2026-10-25: W43 ends 2026-10-25T23:00Z and its Sunday has 25 h', () => {
    const p = weekPeriod('2026-W43', 'Europe/Amsterdam');
    expect([iso(p.startMs), iso(p.endMs)]).toEqual(['2026-10-18T22:00:00.000Z', '2026-10-25T23:00:00.000Z']);
    expect(hours(p)).toEqual([24, 24, 24, 24, 24, 24, 25]);
    expect([iso(p.previous.startMs), iso(p.previous.endMs)]).toEqual(['2026-10-11T22:00:00.000Z', '2026-10-18T22:00:00.000Z']);
  });

  it('a local time in the spring gap maps to the jump; a repeated autumn time to its first occurrence', () => {
    expect(iso(zonedTimeToUtc('Europe/Amsterdam', { year: 2026, month: 3, day: 29 }, 150))).toBe('2026-03-29T01:00:00.000Z');
    expect(iso(zonedTimeToUtc('Europe/Amsterdam', { year: 2026, month: 10, day: 25 }, 150))).toBe('2026-10-25T00:30:00.000Z');
  });

  it('a day whose midnight is skipped (Chile, 2026-09-06) starts at the jump, 01:00 local', () => {
    expect(iso(startOfLocalDay('America/Santiago', { year: 2026, month: 9, day: 6 }))).toBe('2026-09-06T04:00:00.000Z');
    expect(iso(startOfLocalDay('America/Santiago', { year: 2026, month: 9, day: 7 }))).toBe('2026-09-07T03:00:00.000Z');
  });

  it('date ranges include both ends and compare with the same number of days before', () => {
    const p = rangePeriod('2026-10-24', '2026-10-26', 'Europe/Amsterdam');
    expect(p.label).toBe('2026-10-24..2026-10-26');
    expect(hours(p)).toEqual([24, 25, 24]);
    expect([p.previous.from, p.previous.to]).toEqual(['2026-10-21', '2026-10-23']);
    expect(() => rangePeriod('2026-10-26', '2026-10-24', 'Asia/Jakarta')).toThrow(expect.objectContaining({ field: 'to' }));
    expect(() => rangePeriod('2026-02-30', '2026-03-02', 'Asia/Jakarta')).toThrow(expect.objectContaining({ field: 'from' }));
    expect(() => rangePeriod('2025-01-01', '2026-01-02', 'Asia/Jakarta')).toThrow(/at most 366 days/);
    expect(() => weekPeriod('2026-W47', 'Mars/Olympus')).toThrow(expect.objectContaining({ field: 'tz' }));
  });

  it('"last week" is decided in the team zone: Sunday 20:00 UTC is already Monday in Jakarta', () => {
    const sundayEveningUtc = new Date('2026-11-22T20:00:00Z');
    expect(previousIsoWeek(sundayEveningUtc, 'Asia/Jakarta')).toBe('2026-W47');
    expect(previousIsoWeek(sundayEveningUtc, 'UTC')).toBe('2026-W46');
    expect(previousIsoWeek(new Date('2027-01-04T01:00:00Z'), 'Asia/Jakarta')).toBe('2026-W53');
  });
});

describe('schedule', () => {
  it('next run is the next Monday 08:00 in the zone, strictly after now', () => {
    const next = (now: string, tz: string) => nextWeeklyRunAt(new Date(now), tz).toISOString();
    expect(next('2026-11-23T00:59:00Z', 'Asia/Jakarta')).toBe('2026-11-23T01:00:00.000Z');
    expect(next('2026-11-23T01:00:00Z', 'Asia/Jakarta')).toBe('2026-11-30T01:00:00.000Z');
    // Across both Amsterdam transitions: 08:00 CEST is 06:00Z, 08:00 CET is 07:00Z.
    expect(next('2026-03-29T12:00:00Z', 'Europe/Amsterdam')).toBe('2026-03-30T06:00:00.000Z');
    expect(next('2026-10-20T12:00:00Z', 'Europe/Amsterdam')).toBe('2026-10-26T07:00:00.000Z');
  });

  it('retention keeps every file of the newest N weeks and never touches other files', () => {
    const files = [
      'complaints-2026-W45.json',
      'complaints-2026-W46.json',
      'complaints-2026-W46.xlsx',
      'complaints-2026-W47.html',
      'complaints-2026-W47-summary.csv',
      'complaints-2026-W53.json',
      'complaints-2027-W01.json',
      'notes.txt',
      'complaints-2026-11-01_2026-11-07.json',
    ];
    expect(reportsToPrune(files, 3).sort()).toEqual(['complaints-2026-W45.json', 'complaints-2026-W46.json', 'complaints-2026-W46.xlsx']);
    expect(reportsToPrune(files, 10)).toEqual([]);
  });

  it('removes report files a stopped run left half-written, and no other .partial file', () => {
    const files = ['complaints-2026-W47.xlsx.partial', 'complaints-2026-W47.json', 'download.partial', 'complaints-2026-W47.xlsx'];
    expect(reportsToPrune(files, 10)).toEqual(['complaints-2026-W47.xlsx.partial']);
  });
});

describe('percentiles (linear interpolation, as Excel MEDIAN and PERCENTILE.INC)', () => {
  it('interpolates between closest ranks', () => {
    expect(percentile([4, 1, 3, 2], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 10);
    expect(percentile([10, 20, 30], 0.5)).toBe(20);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 110], 0.9)).toBe(10);
  });
});
