/**
 * The weekly report on its cron schedule (config `reports.schedule`), owned by the Scheduler so
 * that `serve` starts and stops it with the sources: one node-cron task with noOverlap (a tick
 * while a report is still being written is skipped and logged), each run logged, a failed run
 * logged with its error and counted, and the next run named in the log.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { Repository } from '../../db/repository.js';
import type { Config } from '../config/config.js';
import { runWeeklyReportJob, type WeeklyJobResult } from '../reports/schedule.js';
import { cronLogger, type CronLog } from './cron-logger.js';

/** Told about every scheduled report run (metrics). */
export interface ReportRunObserver {
  reportRunFinished(outcome: 'ok' | 'failed', durationMs: number): void;
}


export interface ReportScheduleDeps {
  repo: Repository;
  config: Config;
  observer?: ReportRunObserver;
  /** The report's clock ("last week" is decided by it). */
  clock?: () => Date;
}

export class ReportSchedule {
  private task: ScheduledTask | null = null;
  private running: Promise<WeeklyJobResult | null> | null = null;
  private log: CronLog | null = null;
  private readonly now: () => Date;
  readonly cron: string;
  readonly timezone: string;

  constructor(private readonly deps: ReportScheduleDeps) {
    const s = deps.config.reports.schedule;
    if (s.dir === undefined) throw new Error('reports.schedule.dir is required (the config schema checks this)');
    this.now = deps.clock ?? (() => new Date());
    this.cron = s.cron;
    this.timezone = s.timezone ?? deps.config.timezone;
  }

  start(log?: CronLog): void {
    this.log = log ?? null;
    const task = createTask(this.cron, () => this.runNow(), {
      name: 'weekly-report',
      timezone: this.timezone,
      noOverlap: true,
      logger: cronLogger(() => this.log, { job: 'weekly-report' }),
    });
    task.on('execution:overlap', () => this.log?.warn({ job: 'weekly-report' }, 'report tick skipped: the previous report is still being written'));
    this.task = task;
    void task.start();
    const { dir, keep, formats } = this.deps.config.reports.schedule;
    this.log?.info({ job: 'weekly-report', cron: this.cron, timezone: this.timezone, dir, keep, formats, nextRunAt: this.nextRunAt() }, 'weekly report scheduled');
  }

  nextRunAt(): Date | null {
    return this.task?.getNextRun() ?? null;
  }

  /** Writes last week's report now; never rejects (a failure is logged and counted, and resolves to null). */
  runNow(): Promise<WeeklyJobResult | null> {
    if (this.running) return this.running;
    const { dir, keep, formats } = this.deps.config.reports.schedule;
    const started = Date.now();
    const run = runWeeklyReportJob({ repo: this.deps.repo, timeZone: this.timezone, sla: this.deps.config.sla, dir: dir!, keep, formats, now: this.now() }).then(
      (result) => {
        const durationMs = Date.now() - started;
        this.deps.observer?.reportRunFinished('ok', durationMs);
        this.log?.info({ job: 'weekly-report', week: result.week, written: result.written, removed: result.removed, durationMs, nextRunAt: this.nextRunAt() }, 'weekly report written');
        return result;
      },
      (err: unknown) => {
        const durationMs = Date.now() - started;
        this.deps.observer?.reportRunFinished('failed', durationMs);
        this.log?.error({ job: 'weekly-report', err, dir, durationMs, nextRunAt: this.nextRunAt() }, 'weekly report failed');
        return null;
      },
    );
    this.running = run.finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Stops the schedule; a report being written gets until the deadline to finish (its files appear whole or not at all). */
  async stop(deadline: number): Promise<void> {
    await this.task?.destroy();
    this.task = null;
    const running = this.running;
    if (!running) return;
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      running.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - Date.now())))),
    ]);
    clearTimeout(timer);
    if (!finished) this.log?.warn({ job: 'weekly-report' }, 'the weekly report was still being written at shutdown; its files were not finished (none is left half-written)');
  }
}
