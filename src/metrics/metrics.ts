/**
 * complaint-monitor's metrics (GET /metrics). Counters and histograms count what this process did
 * since it started (Prometheus handles restarts: use rate() / increase()); gauges are read from the
 * database when scraped, so they are right whichever process did the work.
 */
import type { Repository } from '../../db/repository.js';
import type { RunInfo, RunObserver, TickSkip } from '../scheduler/scheduler.js';
import type { SourceRunResult } from '../scheduler/run-source.js';
import { Registry, type Sample } from './prometheus.js';

const P = 'complaint_monitor';
const RUN_SECONDS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600];
const HTTP_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics implements RunObserver {
  readonly registry = new Registry();
  private readonly ingested = this.registry.counter(`${P}_ingested_items_total`, 'Items read by scheduled and manual runs, by source and outcome (stored, duplicate, quarantined).');
  private readonly runs = this.registry.counter(`${P}_connector_runs_total`, 'Connector runs, by source and outcome (ok, failed, stopped by shutdown, internal error).');
  private readonly errors = this.registry.counter(`${P}_connector_errors_total`, 'Failed connector runs, by source and error kind (auth, network, server, config, rate_limit, timeout, internal).');
  private readonly runSeconds = this.registry.histogram(`${P}_connector_run_duration_seconds`, 'How long connector runs took, by source.', RUN_SECONDS);
  private readonly skipped = this.registry.counter(
    `${P}_scheduler_skipped_ticks_total`,
    'Scheduled ticks that did not run, by source and reason (running: the previous run was still going; backoff; retry_after: the source asked to wait; missed; stopping).',
  );
  private readonly reportRuns = this.registry.counter(`${P}_report_runs_total`, 'Scheduled weekly report runs (reports.schedule), by outcome (ok, failed).');
  private readonly reportSeconds = this.registry.histogram(`${P}_report_run_duration_seconds`, 'How long scheduled weekly report runs took.', RUN_SECONDS);
  private lastReportSuccess: number | null = null;
  private readonly httpRequests = this.registry.counter(`${P}_http_requests_total`, 'HTTP requests, by method, route template and status code.');
  private readonly httpSeconds = this.registry.histogram(`${P}_http_request_duration_seconds`, 'HTTP request duration, by method and route template.', HTTP_SECONDS);

  constructor(repo: Repository, now: () => Date = () => new Date()) {
    const seconds = (d: Date) => d.getTime() / 1000;
    this.registry.gauge(`${P}_report_last_success_timestamp_seconds`, 'When this process last wrote the scheduled weekly report (Unix time).', () =>
      this.lastReportSuccess === null ? [] : [{ labels: {}, value: this.lastReportSuccess }],
    );
    this.registry.gauge(`${P}_connector_last_success_timestamp_seconds`, 'When each source last ran without error (Unix time).', async () =>
      (await repo.listConnectorHealth()).flatMap((h): Sample[] => (h.lastSuccessAt ? [{ labels: { source: h.source }, value: seconds(h.lastSuccessAt) }] : [])),
    );
    this.registry.gauge(`${P}_connector_last_success_age_seconds`, 'Seconds since each source last ran without error: how stale its data may be.', async () =>
      (await repo.listConnectorHealth()).flatMap((h): Sample[] =>
        h.lastSuccessAt ? [{ labels: { source: h.source }, value: (now().getTime() - h.lastSuccessAt.getTime()) / 1000 }] : [],
      ),
    );
    this.registry.gauge(`${P}_connector_consecutive_failures`, 'Failed runs of each source since its last success.', async () =>
      (await repo.listConnectorHealth()).map((h) => ({ labels: { source: h.source }, value: h.consecutiveFailures })),
    );
    this.registry.gauge(
      `${P}_oldest_unanswered_case_age_seconds`,
      'Per channel, age of the first contact of the oldest case still waiting for a first answer (not resolved or closed): the queue lag.',
      async () => (await repo.oldestUnansweredByChannel()).map((r) => ({ labels: { channel: r.channel }, value: (now().getTime() - r.firstContactAt.getTime()) / 1000 })),
    );
  }

  runFinished(run: RunInfo, result: SourceRunResult | null, durationMs: number): void {
    const source = run.source;
    this.runSeconds.observe({ source }, durationMs / 1000);
    if (result === null) {
      this.runs.inc({ source, outcome: 'internal_error' });
      this.errors.inc({ source, kind: 'internal' });
      return;
    }
    const s = result.summary;
    this.ingested.inc({ source, status: 'stored' }, s.stored);
    this.ingested.inc({ source, status: 'duplicate' }, s.duplicates);
    this.ingested.inc({ source, status: 'quarantined' }, s.quarantined);
    const outcome = result.stopped ? 'stopped' : result.error ? 'failed' : 'ok';
    this.runs.inc({ source, outcome });
    if (result.error) this.errors.inc({ source, kind: result.error.kind });
  }

  reportRunFinished(outcome: 'ok' | 'failed', durationMs: number): void {
    this.reportRuns.inc({ outcome });
    this.reportSeconds.observe({}, durationMs / 1000);
    if (outcome === 'ok') this.lastReportSuccess = Date.now() / 1000;
  }

  tickSkipped(source: string, reason: TickSkip): void {
    this.skipped.inc({ source, reason });
  }

  /** `route` is the route's template (`/api/cases/:requestNumber`), never the raw URL: bounded label values. */
  httpRequest(method: string, route: string, status: number, seconds: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
    this.httpSeconds.observe({ method, route }, seconds);
  }

  expose(): Promise<string> {
    return this.registry.expose();
  }
}
