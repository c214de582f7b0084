/**
 * Tails case_events for one SSE client: the database is the source of truth, so a stream shows
 * what every process wrote (connectors in another process, other API instances) and a client
 * resuming with Last-Event-ID gets exactly what it missed. The loop reads a page, writes it (waiting
 * for the socket to drain when the client is slow), and sleeps only when it has caught up.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Repository } from '../../../db/repository.js';
import { formatSseComment, formatSseEvent } from './sse-format.js';

export interface EventStreamOptions {
  repo: Repository;
  res: ServerResponse;
  /** Case channels the client may see and asked for (undefined: all). */
  channels: readonly string[] | undefined;
  /** Send events with a larger id than this. */
  afterId: number;
  pollMs: number;
  heartbeatMs: number;
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
  /** Events read per query (also the most written before the loop looks at the signal again). */
  pageSize?: number;
  onError: (err: unknown) => void;
}

const DEFAULT_PAGE_SIZE = 200;

export async function runEventStream(opts: EventStreamOptions): Promise<void> {
  const { res, signal } = opts;
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  let afterId = opts.afterId;
  let lastWrite = Date.now();
  const write = async (chunk: string) => {
    lastWrite = Date.now();
    if (!res.write(chunk)) await once(res, 'drain', { signal });
  };
  try {
    while (!signal.aborted) {
      const page = await opts.repo.listEventsAfter(afterId, { channels: opts.channels, limit: pageSize });
      for (const event of page.events) await write(formatSseEvent(event));
      afterId = page.nextAfterId;
      if (page.events.length === pageSize) continue; // more to catch up on: no pause
      if (Date.now() - lastWrite >= opts.heartbeatMs) await write(formatSseComment('keep-alive'));
      await sleep(opts.pollMs, undefined, { signal });
    }
  } catch (err) {
    if (!signal.aborted) opts.onError(err);
  } finally {
    // The client reconnects with the last id it received: nothing is lost by ending here.
    if (!res.writableEnded && !res.destroyed) res.end();
  }
}
