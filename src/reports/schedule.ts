/**
 * The weekly report on a schedule: last week's report every Monday 08:00 in the team's zone,
 * written into a folder that keeps the last N weeks. The scheduler (src/scheduler, node-cron)
 * owns the clock and calls `runWeeklyReportJob`; this module keeps no timer of its own.
 * `nextWeeklyRunAt` and `reportsToPrune` are pure.
 */
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Repository } from '../../db/repository.js';
import type { SlaTargets } from '../cases/sla.js';
import { DEFAULT_REPORT_SCHEDULE } from '../config/defaults.js';
import { addDays } from '../pipeline/facts/zone.js';
import { generateWeeklyReport, renderReport, reportBaseName, type ReportFormat } from './generate.js';
import { previousIsoWeek, weekPeriod } from './week.js';
import { localDateOf, zonedTimeToUtc } from './zoned-time.js';

export const WEEKLY_RUN = { isoWeekday: 1, minutes: 8 * 60 } as const;
/** node-cron's expression for the same moment (pass the team's zone as its `timezone`). */
export const WEEKLY_CRON = DEFAULT_REPORT_SCHEDULE.cron;
export const DEFAULT_KEEP_WEEKS = DEFAULT_REPORT_SCHEDULE.keep;

/** The first Monday 08:00 (local, in the zone) strictly after `now`. */
export function nextWeeklyRunAt(now: Date, timeZone: string): Date {
  const today = localDateOf(timeZone, now.getTime());
  const weekday = ((new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7) + 1;
  for (let ahead = (WEEKLY_RUN.isoWeekday - weekday + 7) % 7; ; ahead += 7) {
    const at = zonedTimeToUtc(timeZone, addDays(today, ahead), WEEKLY_RUN.minutes);
    if (at > now.getTime()) return new Date(at);
  }
}

const WEEKLY_FILE = /^complaints-(\d{4}-W\d{2})(?:-[a-z_]+)?\.(json|html|xlsx|csv)$/;

const PARTIAL = '.partial';

/**
 * Report files of weeks older than the newest `keep` weeks, and report files a stopped run left
 * half-written (`<name>.partial`); other files are never touched.
 */
export function reportsToPrune(fileNames: readonly string[], keep: number): string[] {
  const weeks = [...new Set(fileNames.flatMap((n) => WEEKLY_FILE.exec(n)?.[1] ?? []))].sort().reverse();
  const kept = new Set(weeks.slice(0, Math.max(0, keep)));
  return fileNames.filter((n) => {
    if (n.endsWith(PARTIAL)) return WEEKLY_FILE.test(n.slice(0, -PARTIAL.length));
    const week = WEEKLY_FILE.exec(n)?.[1];
    return week !== undefined && !kept.has(week);
  });
}

export interface WeeklyJobOptions {
  repo: Repository;
  timeZone: string;
  sla: SlaTargets;
  dir: string;
  formats: readonly ReportFormat[];
  keep: number;
  now: Date;
}

export interface WeeklyJobResult {
  /** `2026-W47`. */
  week: string;
  written: string[];
  removed: string[];
}

/** Writes last week's report in each format into `dir`, then removes weeks beyond `keep`. */
export async function runWeeklyReportJob(o: WeeklyJobOptions): Promise<WeeklyJobResult> {
  const period = weekPeriod(previousIsoWeek(o.now, o.timeZone), o.timeZone);
  const report = await generateWeeklyReport(o.repo, period, o.sla, o.now);
  mkdirSync(o.dir, { recursive: true });
  const written: string[] = [];
  for (const format of o.formats) {
    for (const file of await renderReport(report, format)) {
      const path = join(o.dir, file.name);
      // Written aside and renamed: a reader never sees half a report.
      writeFileSync(`${path}${PARTIAL}`, file.body);
      renameSync(`${path}${PARTIAL}`, path);
      written.push(path);
    }
  }
  const removed = reportsToPrune(readdirSync(o.dir), o.keep).map((n) => join(o.dir, n));
  for (const path of removed) rmSync(path, { force: true });
  return { week: reportBaseName(report).replace('complaints-', ''), written, removed };
}
