/**
 * Drives a connector's events through the pipeline into the store, in batches. Items, quarantine
 * entries and the cursor that covers them are stored in one transaction, so a crash at any point
 * loses nothing and duplicates nothing: on restart the source is re-read from the last stored
 * cursor and already-stored items are recognised by rule 1.
 */
import type { FailedItem, PullEvent, RawItem } from '../../connectors/types.js';
import type { CursorUpdate } from '../../connectors/types.js';
import type { ItemOutcome, JoinReason, Repository } from '../../db/repository.js';
import type { Pipeline } from './pipeline.js';
import type { PipelineItem } from './prepare.js';

export interface IngestSummary {
  read: number;
  stored: number;
  duplicates: number;
  quarantined: number;
  /** Stored messages that joined an existing case, by the rule that joined them. */
  threaded: Record<JoinReason, number>;
  cases_created: number;
  non_complaints: number;
  /** Urgency of the cases this run created. */
  new_case_urgency: Record<'critical' | 'high' | 'normal' | 'low', number>;
  /** Files the connector left alone (a README in an import folder); not counted in `read`. */
  skipped: number;
}

export function emptySummary(): IngestSummary {
  return {
    read: 0,
    stored: 0,
    duplicates: 0,
    quarantined: 0,
    threaded: { thread: 0, request_number: 0, conversation: 0, near_duplicate: 0 },
    cases_created: 0,
    non_complaints: 0,
    new_case_urgency: { critical: 0, high: 0, normal: 0, low: 0 },
    skipped: 0,
  };
}

export interface IngestOptions {
  batchSize: number;
  /** Counts are added to this summary as batches are stored (so a failed run still tells what it did). */
  summary?: IngestSummary;
  /** Called after every stored batch with the running totals. */
  onProgress?: (summary: Readonly<IngestSummary>) => void;
  /** Called for every quarantined item (for logs). */
  onQuarantine?: (failure: FailedItem) => void;
  onSkip?: (rawRef: string, reason: string) => void;
  /**
   * Stops the run early (a shutdown, a run timeout) without waiting for the source's current
   * request: what was read is stored, the cursor only as far as the source vouched for it, and
   * ingest throws IngestStopped.
   */
  signal?: AbortSignal;
}

/**
 * Thrown when `signal` stopped the run. Everything read before was stored; items read after the
 * last cursor are re-read by the next run and recognised (rule 1). `closed` settles when the source
 * has closed its connections (it may first finish a request that was in flight).
 */
export class IngestStopped extends Error {
  override name = 'IngestStopped';
  constructor(
    readonly reason: unknown,
    readonly closed: Promise<void>,
  ) {
    super(`ingest stopped: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

export async function ingest(
  events: AsyncIterable<PullEvent>,
  repo: Repository,
  pipeline: Pipeline,
  options: IngestOptions,
): Promise<IngestSummary> {
  const summary = options.summary ?? emptySummary();
  let items: PipelineItem[] = [];
  let failures: FailedItem[] = [];
  let cursors: CursorUpdate[] = [];

  const flush = async () => {
    if (items.length === 0 && failures.length === 0 && cursors.length === 0) return;
    const outcomes = await repo.ingestBatch({ items, failures, cursors }, pipeline);
    for (const f of failures) options.onQuarantine?.(f);
    summary.quarantined += failures.length;
    for (const outcome of outcomes) count(summary, outcome);
    items = [];
    failures = [];
    cursors = [];
    options.onProgress?.(summary);
  };

  const iterator = events[Symbol.asyncIterator]();
  const stopped = options.signal ? abortPromise(options.signal) : null;
  try {
    for (;;) {
      let next: IteratorResult<PullEvent> | typeof STOPPED;
      const pending = iterator.next();
      try {
        next = stopped ? await Promise.race([pending, stopped.promise]) : await pending;
      } catch (err) {
        // The source failed (a dropped connection, a server error). What it delivered so far is
        // stored, without a cursor, so the next run re-reads from the last stored cursor and
        // rule 1 recognises what is already here.
        await flush();
        throw new SourceFailed(err);
      }
      if (next === STOPPED) {
        await flush();
        // What the abandoned request delivers, an item or an error, belongs to the next run, which
        // reads again from the stored cursor; so its outcome is deliberately not looked at. return()
        // runs after it (the source's own finally closes its connections): the caller decides how
        // long to wait for that.
        const closed = pending.then(
          () => iterator.return?.(),
          () => iterator.return?.(),
        );
        throw new IngestStopped(options.signal!.reason, closed.then(() => undefined));
      }
      if (next.done) break;
      const event = next.value;
      if (event.kind === 'cursor') {
        cursors.push(event.cursor);
        await flush();
        continue;
      }
      if (event.kind === 'skipped') {
        summary.skipped++;
        options.onSkip?.(event.rawRef, event.reason);
        continue;
      }
      summary.read++;
      if (event.kind === 'failed') failures.push(event.failure);
      else {
        const prepared = prepareSafely(pipeline, event.item);
        if ('reason' in prepared) failures.push(prepared);
        else items.push(prepared);
      }
      if (items.length + failures.length >= options.batchSize) await flush();
    }
  } catch (err) {
    if (err instanceof SourceFailed) throw err.cause;
    if (err instanceof IngestStopped) throw err;
    // Our side failed (the database): let the source close its connections before reporting.
    try {
      await iterator.return?.();
    } catch (closeErr) {
      throw new AggregateError([err, closeErr], `${(err as Error).message} (and closing the source failed: ${(closeErr as Error).message})`, { cause: err });
    }
    throw err;
  } finally {
    stopped?.dispose();
  }
  await flush();
  return summary;
}

export type SingleIngestResult =
  | { kind: 'ingested'; item: PipelineItem; outcome: ItemOutcome }
  | { kind: 'quarantined'; failure: FailedItem };

/**
 * One item pushed to us (the ingest webhook), through the same steps as a connector's batches:
 * prepare, then the store's transaction. An item prepare cannot handle is quarantined, as in ingest.
 */
export async function ingestOne(raw: RawItem, repo: Repository, pipeline: Pipeline): Promise<SingleIngestResult> {
  const prepared = prepareSafely(pipeline, raw);
  if ('reason' in prepared) {
    await repo.ingestBatch({ items: [], failures: [prepared], cursors: [] }, pipeline);
    return { kind: 'quarantined', failure: prepared };
  }
  const [outcome] = await repo.ingestBatch({ items: [prepared], failures: [], cursors: [] }, pipeline);
  if (!outcome) throw new Error('the store returned no outcome for the item');
  return { kind: 'ingested', item: prepared, outcome };
}

const STOPPED = Symbol('stopped');

/** Resolves with STOPPED when the signal aborts; dispose() removes the listener. */
function abortPromise(signal: AbortSignal): { promise: Promise<typeof STOPPED>; dispose(): void } {
  let onAbort = () => {};
  const promise = new Promise<typeof STOPPED>((resolve) => {
    onAbort = () => resolve(STOPPED);
    if (signal.aborted) resolve(STOPPED);
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => signal.removeEventListener('abort', onAbort) };
}

/** Marks an error thrown by the source, as opposed to one of the store's. */
class SourceFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('source failed', { cause });
  }
}

/**
 * prepare is pure and should not throw; if a bug or an input nobody foresaw makes it throw, that
 * item is quarantined with the error (and the run goes on) rather than stopping the import.
 */
function prepareSafely(pipeline: Pipeline, raw: RawItem): PipelineItem | FailedItem {
  try {
    return pipeline.prepare(raw);
  } catch (err) {
    return {
      source: raw.source,
      rawRef: raw.rawRef,
      reason: 'pipeline_error',
      detail: `${(err as Error).name}: ${(err as Error).message}`,
    };
  }
}

function count(summary: IngestSummary, outcome: ItemOutcome): void {
  switch (outcome.status) {
    case 'duplicate':
      summary.duplicates++;
      return;
    case 'non_complaint':
      summary.stored++;
      summary.non_complaints++;
      return;
    case 'stored':
      summary.stored++;
      if (outcome.joined) summary.threaded[outcome.joined.reason]++;
      else {
        summary.cases_created++;
        summary.new_case_urgency[outcome.urgency.level]++;
      }
  }
}
