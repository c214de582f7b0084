/**
 * A real HTTP client for Server-Sent Events (node:http, no library): reads the stream as it
 * arrives and parses it as the SSE spec says (fields, comments, blank-line dispatch).
 */
import { request, type IncomingMessage } from 'node:http';

export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: IncomingMessage['headers'] = {};
  /** Resolves when the server ends the stream (or the connection drops). */
  readonly ended: Promise<void>;
  private buffer = '';
  private listeners: (() => void)[] = [];
  private closeRequest: () => void = () => {};

  private constructor(url: string, headers: Record<string, string>, ready: (c: SseClient) => void, fail: (err: Error) => void) {
    let markEnded: () => void = () => {};
    this.ended = new Promise((resolve) => (markEnded = resolve));
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      this.status = res.statusCode ?? 0;
      this.headers = res.headers;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => this.feed(chunk));
      res.on('end', markEnded);
      res.on('close', markEnded);
      ready(this);
    });
    req.on('error', (err) => {
      markEnded();
      fail(err);
    });
    req.end();
    this.closeRequest = () => req.destroy();
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => new SseClient(url, headers, resolve, reject));
  }

  /** Waits until `predicate` holds over what has arrived (checked on every chunk). */
  waitFor(predicate: (c: SseClient) => boolean, timeoutMs = 10_000): Promise<void> {
    if (predicate(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners = this.listeners.filter((l) => l !== check);
        reject(new Error(`condition not met within ${timeoutMs} ms; events so far: ${JSON.stringify(this.events.map((e) => [e.id, e.event]))}`));
      }, timeoutMs);
      const check = () => {
        if (!predicate(this)) return;
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
        resolve();
      };
      this.listeners.push(check);
    });
  }

  close(): void {
    this.closeRequest();
  }

  private feed(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      let id: string | undefined;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length > 0) this.events.push({ id, event, data: data.join('\n') });
    }
    for (const l of [...this.listeners]) l();
  }
}
