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
import { emptySummary, ingest, type IngestSummary } from '../pipeline/ingest.js';
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
}

export interface SourceRunResult {
  source: string;
  summary: IngestSummary;
  /** The last attempt's error; null when the run succeeded. */
  error: ConnectorError | null;
  attempts: number;
}

export async function runSource(connector: Connector, deps: RunSourceDeps): Promise<SourceRunResult> {
  const retry = deps.retry ?? DEFAULT_RETRY;
  const now = deps.clock ?? (() => new Date());
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const summary = emptySummary();
  const cursors = { get: (source: string, key: string) => deps.repo.getCursor(source, key) };

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
    return { source: connector.name, summary, error, attempts: 0 };
  }

  for (let attempt = 1; ; attempt++) {
    const startedAt = now();
    const readBefore = summary.read;
    try {
      await ingest(connector.pull(cursors), deps.repo, deps.pipeline, {
        batchSize: deps.batchSize,
        summary,
        ...(deps.onProgress ? { onProgress: deps.onProgress } : {}),
        ...(deps.onQuarantine ? { onQuarantine: deps.onQuarantine } : {}),
      });
      await deps.repo.recordConnectorRun({
        source: connector.name,
        startedAt,
        finishedAt: now(),
        items: summary.read - readBefore,
        error: null,
        retryNotBefore: connector.notBefore?.() ?? null,
      });
      return { source: connector.name, summary, error: null, attempts: attempt };
    } catch (err) {
      if (!(err instanceof ConnectorError)) {
        // Not the source's failure (the database, a bug): record it, then let it stop the run.
        const message = err instanceof Error ? err.message : String(err);
        await deps.repo.recordConnectorRun({
          source: connector.name,
          startedAt,
          finishedAt: now(),
          items: summary.read - readBefore,
          error: { kind: 'internal', code: 'internal_error', message },
        });
        throw err;
      }
      const wanted = err.retryAfterMs ?? Math.min(retry.baseDelayMs * 2 ** (attempt - 1), retry.maxDelayMs);
      const delay = err.retryable && attempt < retry.attempts && wanted <= retry.maxDelayMs ? wanted : null;
      await deps.repo.recordConnectorRun({
        source: connector.name,
        startedAt,
        finishedAt: now(),
        items: summary.read - readBefore,
        error: { kind: err.kind, code: err.code, message: err.message },
        retryNotBefore: err.retryAfterMs !== undefined ? new Date(now().getTime() + err.retryAfterMs) : null,
      });
      deps.onAttemptFailed?.(err, attempt, delay);
      if (delay === null) return { source: connector.name, summary, error: err, attempts: attempt };
      await sleep(delay);
    }
  }
}

/** The source's stored "not before" time, when it is still ahead. */
async function notBeforeOf(repo: Repository, source: string, at: Date): Promise<{ until: Date; kind: ConnectorErrorKind; why: string } | null> {
  const health = (await repo.listConnectorHealth()).find((h) => h.source === source);
  if (!health?.retryNotBefore || health.retryNotBefore.getTime() <= at.getTime()) return null;
  const kind = (health.lastError?.kind ?? 'rate_limit') as ConnectorErrorKind;
  const why = health.state === 'failing' && health.lastError ? health.lastError.message : 'its rate-limit window was used up';
  return { until: health.retryNotBefore, kind, why };
}
