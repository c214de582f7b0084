/**
 * Finished response bodies of read routes that many agents poll with the same question (the
 * default queue), kept while nothing was committed to the database and for at most `maxAgeMs`
 * (answers carry clock-dependent fields such as SLA breach flags). Freshness comes from the
 * repository's change stamp, which moves with every commit of any connection, so a cached answer
 * is never older than the data it shows; the age bound only limits how late a deadline turns into
 * a breach flag.
 */
import type { FastifyReply } from 'fastify';

/** Sends a finished JSON body as it is (a Buffer with a JSON content type skips serialisation). */
export function sendJsonBody(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body);
}

export interface ResponseCacheOptions {
  /** Answers kept at most (least recently stored dropped first). */
  maxEntries: number;
  maxAgeMs: number;
  now: () => number;
}

interface Entry {
  stamp: string;
  storedAt: number;
  body: Buffer;
}

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly options: ResponseCacheOptions) {}

  /** The body stored under `key` for this change stamp, unless it has aged out. */
  get(key: string, stamp: string): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.stamp !== stamp || this.options.now() - entry.storedAt > this.options.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.body;
  }

  set(key: string, stamp: string, body: Buffer): void {
    this.entries.delete(key);
    this.entries.set(key, { stamp, storedAt: this.options.now(), body });
    // Map iteration is insertion order: the first key is the one stored longest ago.
    while (this.entries.size > this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
