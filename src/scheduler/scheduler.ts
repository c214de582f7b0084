/**
 * Runs each configured source on its own cron schedule (node-cron 4), inside `serve`.
 *
 * - One node-cron task per source, with the source's cron expression and time zone, and
 *   noOverlap: a tick while the source's run is still going is skipped and counted. A run started
 *   by hand (POST /api/connectors/:name/run) counts as running too.
 * - A tick runs only when tick-policy says so: not during the backoff after consecutive failures,
 *   and never before the source's own retryNotBefore (a rate-limit reset), both read from the
 *   stored connector health, so a restart changes nothing.
 * - Each run is bounded by a timeout; a run that overstays it, or that is running at shutdown, is
 *   stopped between two transactions: what was read is stored and cursors cover only stored data.
 * - The weekly report, when `reports.schedule` is enabled, runs on its own task (report-schedule.ts),
 *   started and stopped with the sources.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { Connector } from '../../connectors/types.js';
import type { ConnectorHealth, Repository } from '../../db/repository.js';
import type { Config } from '../config/config.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { SourceConfig } from './create-connector.js';
import { cronLogger, type CronLog } from './cron-logger.js';
import { ReportSchedule, type ReportRunObserver } from './report-schedule.js';
import { runSource, type RetryPolicy, type SourceRunResult } from './run-source.js';
import { decideTick, heldUntil, nextRunAt, type BackoffPolicy, type SkipReason, type TickDecision } from './tick-policy.js';

/** Why a tick did not run: the policy's reasons, or node-cron saw the tick too late (a blocked event loop). */
export type TickSkip = SkipReason | 'missed';

export type RunTrigger = 'schedule' | 'manual';

export interface RunInfo {
  /** Counts runs of this process, from 1. */
  id: number;
  source: string;
  trigger: RunTrigger;
  startedAt: Date;
}

/** Told about every run and skipped tick (metrics). */
export interface RunObserver extends ReportRunObserver {
  /** `result` is null when the run failed on our side (the database, a bug), not the source's. */
  runFinished(run: RunInfo, result: SourceRunResult | null, durationMs: number): void;
  tickSkipped(source: string, reason: TickSkip): void;
}

/** The subset of pino the scheduler logs through (Fastify's logger in `serve`). */
export type SchedulerLog = CronLog;

export interface SourceSchedule {
  cron: string;
  timezone: string;
  timeoutSeconds: number;
}

export interface SourceState {
  name: string;
  type: SourceConfig['type'];
  channel: string;
  schedule: SourceSchedule;
  /** The run going on now, if any. */
  running: RunInfo | null;
  /** When the source runs next: its next cron tick, or the first one after a backoff or a rate-limit wait. Null when stopped. */
  nextRunAt: Date | null;
  /** Ticks skipped since start, by reason. */
  skipped: Record<TickSkip, number>;
}

export type RunNowOutcome =
  | { kind: 'started'; run: RunInfo }
  | { kind: 'running'; run: RunInfo }
  | { kind: 'unknown' }
  | { kind: 'waiting'; until: Date }
  | { kind: 'stopping' };

/** What the API needs from the scheduler (src/api/routes/connectors.ts). */
export interface ConnectorControl {
  states(): Promise<SourceState[]>;
  runNow(name: string): Promise<RunNowOutcome>;
}

export interface SchedulerDeps {
  repo: Repository;
  pipeline: Pipeline;
  config: Config;
  connectorFor: (source: SourceConfig) => Connector;
  observer?: RunObserver;
  /** Retries within one run (run-source's default otherwise). */
  retry?: RetryPolicy;
  clock?: () => Date;
}

/** How far ahead nextRunAt looks for the first tick after a hold (a day of minute ticks). */
const UPCOMING_TICKS = 1440;

interface Slot {
  source: SourceConfig;
  schedule: SourceSchedule;
  connector: Connector;
  task: ScheduledTask | null;
  running: { info: RunInfo; done: Promise<SourceRunResult | null> } | null;
  skipped: Record<TickSkip, number>;
}

export function channelOf(source: SourceConfig): string {
  return source.type === 'imap' ? 'email' : 'x';
}

export function scheduleOf(source: SourceConfig, config: Pick<Config, 'timezone' | 'scheduler'>): SourceSchedule {
  return {
    cron: source.schedule.cron,
    timezone: source.schedule.timezone ?? config.timezone,
    timeoutSeconds: source.schedule.timeoutSeconds ?? config.scheduler.runTimeoutSeconds,
  };
}

export class Scheduler implements ConnectorControl {
  private readonly slots = new Map<string, Slot>();
  private readonly policy: BackoffPolicy;
  private readonly shutdown = new AbortController();
  private readonly now: () => Date;
  private log: SchedulerLog | null = null;
  private runCount = 0;
  /** The weekly report's task, when reports.schedule is enabled. */
  readonly reports: ReportSchedule | null;

  constructor(private readonly deps: SchedulerDeps) {
    this.now = deps.clock ?? (() => new Date());
    const s = deps.config.scheduler;
    this.policy = { baseMs: s.backoffBaseSeconds * 1000, maxMs: s.backoffMaxSeconds * 1000, nonRetryableMs: s.nonRetryableRetrySeconds * 1000 };
    for (const source of deps.config.sources) {
      this.slots.set(source.name, {
        source,
        schedule: scheduleOf(source, deps.config),
        connector: deps.connectorFor(source),
        task: null,
        running: null,
        skipped: { running: 0, backoff: 0, retry_after: 0, stopping: 0, missed: 0 },
      });
    }
    this.reports = deps.config.reports.schedule.enabled
      ? new ReportSchedule({ repo: deps.repo, config: deps.config, ...(deps.observer ? { observer: deps.observer } : {}), ...(deps.clock ? { clock: deps.clock } : {}) })
      : null;
  }

  /** Starts every source's schedule. */
  start(log?: SchedulerLog): void {
    this.log = log ?? null;
    for (const slot of this.slots.values()) {
      const name = slot.source.name;
      const task = createTask(slot.schedule.cron, () => this.tick(slot), {
        name: `source:${name}`,
        timezone: slot.schedule.timezone,
        noOverlap: true,
        logger: cronLogger(() => this.log, { source: name }),
      });
      task.on('execution:overlap', () => this.skip(slot, 'running'));
      task.on('execution:missed', () => this.skip(slot, 'missed'));
      task.on('execution:failed', (ctx) => this.log?.error({ err: ctx.execution?.error, source: name }, 'scheduled run failed'));
      slot.task = task;
      void task.start();
      this.log?.info({ source: name, ...slot.schedule }, 'source scheduled');
    }
    this.reports?.start(this.log ?? undefined);
  }

  async states(): Promise<SourceState[]> {
    const health = new Map((await this.deps.repo.listConnectorHealth()).map((h) => [h.source, h]));
    return [...this.slots.values()].map((slot) => {
      const held = heldUntil(health.get(slot.source.name), this.policy);
      const upcoming = slot.task && !this.shutdown.signal.aborted ? slot.task.getNextRuns(held ? UPCOMING_TICKS : 1) : [];
      return {
        name: slot.source.name,
        type: slot.source.type,
        channel: channelOf(slot.source),
        schedule: slot.schedule,
        running: slot.running?.info ?? null,
        nextRunAt: nextRunAt(upcoming, held?.until ?? null),
        skipped: { ...slot.skipped },
      };
    });
  }

  /** Starts a run now, unless one is going or the source asked to wait; does not wait for it to end. */
  async runNow(name: string): Promise<RunNowOutcome> {
    const slot = this.slots.get(name);
    if (!slot) return { kind: 'unknown' };
    const decision = this.decide(slot, await this.healthOf(slot), true);
    if (!decision.run) {
      if (decision.reason === 'running' && slot.running) return { kind: 'running', run: slot.running.info };
      if (decision.reason === 'stopping') return { kind: 'stopping' };
      return { kind: 'waiting', until: decision.until! };
    }
    return { kind: 'started', run: this.begin(slot, 'manual').info };
  }

  /** The run of `name` going on now, to wait for (tests, shutdown). */
  current(name: string): Promise<SourceRunResult | null> | null {
    return this.slots.get(name)?.running?.done ?? null;
  }

  /**
   * Stops every schedule, stops running runs between two transactions, and waits for them; then
   * gives the sources until the deadline to close their connections.
   */
  async stop(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    for (const slot of this.slots.values()) await slot.task?.destroy();
    this.shutdown.abort(new Error('the scheduler is shutting down'));
    const reportStopped = this.reports?.stop(deadline);
    const results = await Promise.all([...this.slots.values()].map((s) => s.running?.done ?? null));
    await reportStopped;
    const closing = results.flatMap((r) => (r?.closing ? [r.closing] : []));
    if (closing.length === 0) return;
    const left = Math.max(0, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const closed = await Promise.race([
      Promise.allSettled(closing).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), left))),
    ]);
    clearTimeout(timer);
    if (!closed) this.log?.warn({ waitedMs: left }, 'a source was still finishing a request at shutdown; nothing it returns is lost (its cursor was not advanced)');
  }

  private async tick(slot: Slot): Promise<void> {
    const decision = this.decide(slot, await this.healthOf(slot), false);
    if (!decision.run) {
      this.skip(slot, decision.reason, decision.until);
      return;
    }
    await this.begin(slot, 'schedule').done;
  }

  private async healthOf(slot: Slot): Promise<ConnectorHealth | undefined> {
    return (await this.deps.repo.listConnectorHealth()).find((h) => h.source === slot.source.name);
  }

  /** Synchronous, so that the caller starts the run (or not) before any other tick can look. */
  private decide(slot: Slot, health: ConnectorHealth | undefined, manual: boolean): TickDecision {
    return decideTick({ now: this.now(), running: slot.running !== null, stopping: this.shutdown.signal.aborted, health, policy: this.policy, manual });
  }

  private skip(slot: Slot, reason: TickSkip, until?: Date): void {
    slot.skipped[reason]++;
    this.deps.observer?.tickSkipped(slot.source.name, reason);
    if (reason === 'running' || reason === 'missed') {
      this.log?.warn({ source: slot.source.name, reason }, reason === 'running' ? 'tick skipped: the previous run is still going' : 'tick missed: the process was busy');
    } else if (reason !== 'stopping') {
      this.log?.info({ source: slot.source.name, reason, until }, 'tick skipped: waiting');
    }
  }

  /** `done` never rejects: a failure on our side is logged, recorded in the health by run-source, and resolves to null. */
  private begin(slot: Slot, trigger: RunTrigger): { info: RunInfo; done: Promise<SourceRunResult | null> } {
    const info: RunInfo = { id: ++this.runCount, source: slot.source.name, trigger, startedAt: this.now() };
    const started = Date.now();
    const done = runSource(slot.connector, {
      repo: this.deps.repo,
      pipeline: this.deps.pipeline,
      batchSize: this.deps.config.ingest.batchSize,
      signal: this.shutdown.signal,
      timeoutMs: slot.schedule.timeoutSeconds * 1000,
      ...(this.deps.retry ? { retry: this.deps.retry } : {}),
      ...(this.deps.clock ? { clock: this.deps.clock } : {}),
      onAttemptFailed: (err, attempt, retryIn) =>
        this.log?.warn({ source: err.source, kind: err.kind, code: err.code, attempt, retryInMs: retryIn }, err.message),
    }).then(
      (result) => {
        this.finished(slot, info, result, Date.now() - started);
        return result;
      },
      (err: unknown) => {
        slot.running = null;
        this.deps.observer?.runFinished(info, null, Date.now() - started);
        this.log?.error({ err, source: info.source, run: info.id }, 'run failed on our side');
        return null;
      },
    );
    const running = { info, done };
    slot.running = running;
    return running;
  }

  private finished(slot: Slot, info: RunInfo, result: SourceRunResult, durationMs: number): void {
    slot.running = null;
    this.deps.observer?.runFinished(info, result, durationMs);
    const s = result.summary;
    const fields = { source: info.source, run: info.id, trigger: info.trigger, durationMs, read: s.read, stored: s.stored, duplicates: s.duplicates, quarantined: s.quarantined };
    if (result.stopped) this.log?.info(fields, 'run stopped by shutdown after its last transaction');
    else if (result.error) this.log?.warn({ ...fields, kind: result.error.kind, code: result.error.code }, `run failed: ${result.error.message}`);
    else this.log?.info(fields, 'run finished');
  }

}
