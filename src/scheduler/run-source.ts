/**
 * One run of one source: pull through the pipeline into the store, retrying what the source says
 * may succeed later (network, server, rate limit) with backoff, never what cannot (a wrong
 * password, a missing folder), and recording every run's outcome as the source's health.
 *
 * When the source asked us to come back later (a rate-limit reset, a usage cap), that time is
 * stored as the source's retryNotBefore, and no run calls the source before it, even in another
 * process after a restart. A wait longer than the retry policy's maxDelayMs ends the run instead
 * of sleeping through it; the next run after that time carries on from the stored cursors.
 */
import { ConnectorError, type ConnectorErrorKind } from '../../connectors/errors.js';
import type { Connector, FailedItem } from '../../connectors/types.js';
import type { Repository } from '../../db/repository.js';
import { emptySummary, ingest, IngestStopped, type IngestSummary } from '../pipeline/ingest.js';
import type { Pipeline } from '../pipeline/pipeline.js';

export interface RetryPolicy {
  /** Attempts in one run, the first included. */
  attempts: number;
  /** Wait before the second attempt; doubles each time, capped by maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 };

export interface RunSourceDeps {
  repo: Repository;
  pipeline: Pipeline;
  batchSize: number;
  retry?: RetryPolicy;
  clock?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (summary: Readonly<IngestSummary>) => void;
  onQuarantine?: (failure: FailedItem) => void;
  /** Told about each failed attempt (for logs), before any retry. */
  onAttemptFailed?: (error: ConnectorError, attempt: number, willRetryInMs: number | null) => void;
  /**
   * Stops the run between two transactions (a shutdown). A stopped run is not a failure of the
   * source: nothing is recorded in its health, and the next run carries on from the stored cursors.
   */
  signal?: AbortSignal;
  /** A run still going after this long is stopped the same way, and recorded as a `timeout` failure. */
  timeoutMs?: number;
}

export interface SourceRunResult {
  source: string;
  summary: IngestSummary;
  /** The last attempt's error; null when the run succeeded or was stopped. */
  error: ConnectorError | null;
  attempts: number;
  /** The signal stopped the run (a shutdown). */
  stopped: boolean;
  /**
   * After a stop or a timeout: settles when the source has closed its connections (it may first
   * finish a request that was in flight). Null otherwise.
   */
  closing: Promise<void> | null;
}

/** The abort reason of a run that took longer than its timeout. */
class RunTimedOut extends Error {
  override name = 'RunTimedOut';
}

export async function runSource(connector: Connector, deps: RunSourceDeps): Promise<SourceRunResult> {
  const now = deps.clock ?? (() => new Date());
  const summary = emptySummary();

  const waiting = await notBeforeOf(deps.repo, connector.name, now());
  if (waiting) {
    const error = new ConnectorError(
      connector.name,
      waiting.kind,
      'waiting',
      `${connector.name}: not called before ${waiting.until.toISOString()} (${waiting.why})`,
      true,
      { retryAfterMs: waiting.until.getTime() - now().getTime() },
    );
    return { source: connector.name, summary, error, attempts: 0, stopped: false, closing: null };
  }

  const stop = new AbortController();
  const timer = deps.timeoutMs === undefined ? null : setTimeout(() => stop.abort(new RunTimedOut(`the run took longer than ${deps.timeoutMs! / 1000} s`)), deps.timeoutMs);
  const onShutdown = () => stop.abort(deps.signal!.reason);
  if (deps.signal?.aborted) onShutdown();
  else deps.signal?.addEventListener('abort', onShutdown, { once: true });
  try {
    return await attempts(connector, deps, summary, stop.signal);
  } finally {
    if (timer) clearTimeout(timer);
    deps.signal?.removeEventListener('abort', onShutdown);
  }
}

async function attempts(connector: Connector, deps: RunSourceDeps, summary: IngestSummary, signal: AbortSignal): Promise<SourceRunResult> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const now = deps.clock ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => abortableSleep(ms, signal));
  const cursors = { get: (source: string, key: string) => deps.repo.getCursor(source, key) };
  const result = (error: ConnectorError | null, attempt: number, closing: Promise<void> | null = null): SourceRunResult => ({
    source: connector.name,
    summary,
    error,
    attempts: attempt,
    stopped: error === null && closing !== null,
    closing,
  });

  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) {
      // Stopped while waiting to retry: a shutdown is a stop; a timeout leaves the last attempt's failure recorded.
      if (!(signal.reason instanceof RunTimedOut)) return result(null, attempt - 1, Promise.resolve());
      return result(new ConnectorError(connector.name, 'timeout', 'run_timeout', `${connector.name}: ${(signal.reason as Error).message}`, true), attempt - 1);
    }
    const startedAt = now();
    const readBefore = summary.read;
    const record = (error: { kind: string; code: string; message: string } | null, retryNotBefore?: Date | null) =>
      deps.repo.recordConnectorRun({
        source: connector.name,
        startedAt,
        finishedAt: now(),
        items: summary.read - readBefore,
        error: error && { kind: error.kind, code: error.code, message: error.message },
        ...(retryNotBefore !== undefined ? { retryNotBefore } : {}),
      });
    try {
      await ingest(connector.pull(cursors), deps.repo, deps.pipeline, {
        batchSize: deps.batchSize,
        summary,
        signal,
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        ...(deps.onQuarantine ? { onQuarantine: deps.onQuarantine } : {}),
      });
      await record(null, connector.notBefore?.() ?? null);
      return result(null, attempt);
    } catch (err) {
      if (err instanceof IngestStopped) {
        if (!(err.reason instanceof RunTimedOut)) return result(null, attempt, err.closed);
        const timedOut = new ConnectorError(connector.name, 'timeout', 'run_timeout', `${connector.name}: ${err.reason.message}; stopped after storing what it had read`, true);
        await record(timedOut);
        deps.onAttemptFailed?.(timedOut, attempt, null);
        return result(timedOut, attempt, err.closed);
      }
      if (!(err instanceof ConnectorError)) {
        // Not the source's failure (the database, a bug): record it, then let it stop the run.
        await record({ kind: 'internal', code: 'internal_error', message: err instanceof Error ? err.message : String(err) });
        throw err;
      }
      const wanted = err.retryAfterMs ?? Math.min(retry.baseDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
      const delay = err.retryable && attempt < retry.attempts && wanted <= retry.maxDelayMs ? wanted : null;
      await record(err, err.retryAfterMs !== undefined ? new Date(now().getTime() + err.retryAfterMs) : null);
      deps.onAttemptFailed?.(err, attempt, delay);
      if (delay === null) return result(err, attempt);
      await sleep(delay);
    }
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The source's stored "not before" time, when it is still ahead. */
async function notBeforeOf(repo: Repository, source: string, at: Date): Promise<{ until: Date; kind: ConnectorErrorKind; why: string } | null> {
  const health = (await repo.listConnectorHealth()).find((h) => h.source === source);
  if (!health?.retryNotBefore || health.retryNotBefore.getTime() <= at.getTime()) return null;
  const kind = (health.lastError?.kind ?? 'rate_limit') as ConnectorErrorKind;
  const why = health.state === 'failing' && health.lastError ? health.lastError.message : 'its rate-limit window was used up';
  return { until: health.retryNotBefore, kind, why };
}
