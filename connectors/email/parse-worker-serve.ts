/**
 * The worker side of the parse pool's protocol: announce readiness, then parse one message at a
 * time, in the order received, answering with the same job id.
 */
import type { MessagePort } from 'node:worker_threads';
import type { EmailParseOptions, EmailParseResult } from './parse-email.js';
import type { WorkerReply } from './parse-pool.js';

export interface ParseRequest {
  id: number;
  raw: Uint8Array;
  options: EmailParseOptions;
}

export type ParseFn = (raw: Buffer, options: EmailParseOptions) => Promise<EmailParseResult>;

export function serveParseRequests(port: MessagePort, parse: ParseFn): void {
  const queue: ParseRequest[] = [];
  let busy = false;

  const drain = async (): Promise<void> => {
    busy = true;
    for (let request = queue.shift(); request; request = queue.shift()) {
      let result: EmailParseResult;
      try {
        // Structured cloning delivers a Uint8Array; view the same bytes as a Buffer.
        result = await parse(Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength), request.options);
      } catch (err) {
        // parseEmail never throws: a throw is a bug, reported on this message instead of lost.
        const detail = `${(err as Error).name}: ${(err as Error).message}`;
        result = { ok: false, failure: { source: request.options.source, rawRef: request.options.rawRef, reason: 'parse_error', detail } };
      }
      const reply: WorkerReply = { type: 'result', id: request.id, result };
      port.postMessage(reply);
    }
    busy = false;
  };

  port.on('message', (request: ParseRequest) => {
    queue.push(request);
    if (!busy) void drain();
  });
  const ready: WorkerReply = { type: 'ready' };
  port.postMessage(ready);
}
