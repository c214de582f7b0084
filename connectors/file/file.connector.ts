/**
 * Imports files: single .eml messages, folders of them (recursively), mbox files, Maildir folders
 * and JSON Lines of social posts. Streams: memory holds only the messages being parsed (the
 * parser's read-ahead, at most 64 MB), whatever the size of the input. A message that cannot be
 * read or parsed becomes a `failed` event (quarantined by the pipeline) and the import goes on.
 * File imports need no cursor: re-importing is idempotent through dedupe rule 1.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { EmailParseResult } from '../email/parse-email.js';
import { inThreadParser, type EmailParser } from '../email/parse-pool.js';
import type { Connector, PullEvent } from '../types.js';
import { looksLikeMbox, readMbox } from './mbox.js';
import { parsePostLine } from './posts-jsonl.js';

export interface FileConnectorOptions {
  paths: string[];
  source: string;
  maxMessageBytes: number;
  parseTimeoutMs: number;
  /** Where messages are parsed (default: this thread). The caller closes it. */
  parser?: EmailParser;
}

// Read-ahead (how many messages, EmailParser.readAhead) lets parser workers keep working while the
// pipeline stores a batch; this bounds the bytes held whatever the message sizes.
const READ_AHEAD_BYTES = 64 * 1024 * 1024;

interface Ahead {
  event: Promise<PullEvent>;
  bytes: number;
}

type FileKind = 'email' | 'mbox' | 'posts';

// Files that travel with mail exports but are not mail: counted as skipped, never parsed.
// (A database file in the folder being imported is most likely our own.)
const NOT_MAIL =
  /(?:^|[-_.])(?:readme|license|licence|copying|notice|changelog)(?:[-_.]\w+)?$|\.(?:md|markdown|pdf|png|jpe?g|gif|zip|gz|db|db-wal|db-shm|db-journal|sqlite3?)$/i;
// Format sniffing reads only the start of a file.
const SNIFF_BYTES = 512;

export class FileConnector implements Connector {
  readonly name: string;

  constructor(private readonly options: FileConnectorOptions) {
    this.name = options.source;
  }

  /** Events in file order, whatever order the parses finish in. */
  async *pull(): AsyncGenerator<PullEvent> {
    const ahead: Ahead[] = [];
    let bytes = 0;
    const next = async () => {
      const head = ahead.shift()!;
      bytes -= head.bytes;
      return head.event;
    };
    for (const path of this.options.paths) {
      for await (const entry of this.walk(resolve(path), true)) {
        const item = 'event' in entry ? entry : { event: Promise.resolve(entry), bytes: 0 };
        ahead.push(item);
        bytes += item.bytes;
        while (ahead.length >= this.parser.readAhead || bytes >= READ_AHEAD_BYTES) yield await next();
      }
    }
    while (ahead.length > 0) yield await next();
  }

  private get parser(): EmailParser {
    return this.options.parser ?? inThreadParser;
  }

  private async *walk(path: string, explicit: boolean): AsyncGenerator<PullEvent | Ahead> {
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      yield this.failed(path, 'unreadable', (err as Error).message);
      return;
    }
    if (info.isDirectory()) {
      yield* this.walkDirectory(path);
      return;
    }
    if (!info.isFile()) {
      yield { kind: 'skipped', rawRef: path, reason: 'not a regular file' };
      return;
    }
    if (!explicit && (basename(path).startsWith('.') || NOT_MAIL.test(basename(path)))) {
      yield { kind: 'skipped', rawRef: path, reason: 'not a mail file' };
      return;
    }
    const kind = await this.detect(path);
    if (kind === 'mbox') yield* this.readMbox(path, info.mtime);
    else if (kind === 'posts') yield* this.readPosts(path);
    else yield* this.readEmail(path, info.mtime);
  }

  private async *walkDirectory(dir: string): AsyncGenerator<PullEvent | Ahead> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      yield this.failed(dir, 'unreadable', (err as Error).message);
      return;
    }
    const names = new Set(entries.map((e) => e.name));
    // Maildir: messages live in new/ and cur/; tmp/ holds deliveries in progress.
    if (names.has('cur') && names.has('new')) {
      for (const sub of ['new', 'cur']) yield* this.walkDirectory(join(dir, sub));
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) yield* this.walk(join(dir, entry.name), false);
  }

  private async detect(path: string): Promise<FileKind> {
    const ext = extname(path).toLowerCase();
    if (ext === '.jsonl' || ext === '.ndjson') return 'posts';
    if (ext === '.mbox' || ext === '.mbx') return 'mbox';
    if (ext === '.eml') return 'email';
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(head, 0, SNIFF_BYTES, 0);
      const start = head.subarray(0, bytesRead);
      if (looksLikeMbox(start)) return 'mbox';
      if (start.toString('utf8').trimStart().startsWith('{')) return 'posts';
      return 'email';
    } finally {
      await handle.close();
    }
  }

  private async *readEmail(path: string, mtime: Date): AsyncGenerator<PullEvent | Ahead> {
    let raw: Buffer;
    try {
      raw = await readFile(path);
    } catch (err) {
      yield this.failed(path, 'unreadable', (err as Error).message);
      return;
    }
    yield { event: this.parser.parse(raw, this.emailOptions(path, mtime)).then(toEvent), bytes: raw.length };
  }

  private async *readMbox(path: string, mtime: Date): AsyncGenerator<PullEvent | Ahead> {
    try {
      for await (const msg of readMbox(path)) {
        const rawRef = `${path}#${msg.offset}`;
        yield { event: this.parser.parse(msg.raw, this.emailOptions(rawRef, msg.envelopeDate ?? mtime)).then(toEvent), bytes: msg.raw.length };
      }
    } catch (err) {
      yield this.failed(path, 'unreadable', `mbox read stopped: ${(err as Error).message}`);
    }
  }

  private async *readPosts(path: string): AsyncGenerator<PullEvent> {
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    let lineNo = 0;
    try {
      for await (const line of lines) {
        lineNo++;
        if (line.trim() === '') continue;
        const rawRef = `${path}:${lineNo}`;
        const parsed = parsePostLine(line, this.options.source, rawRef);
        yield parsed.ok ? { kind: 'item', item: parsed.item } : this.failed(rawRef, parsed.reason, parsed.detail);
      }
    } catch (err) {
      yield this.failed(`${path}:${lineNo + 1}`, 'unreadable', (err as Error).message);
    }
  }

  private emailOptions(rawRef: string, fallbackDate: Date) {
    return {
      source: this.options.source,
      rawRef,
      maxBytes: this.options.maxMessageBytes,
      timeoutMs: this.options.parseTimeoutMs,
      fallbackDate,
    };
  }

  private failed(rawRef: string, reason: string, detail: string): PullEvent {
    return { kind: 'failed', failure: { source: this.options.source, rawRef, reason, detail } };
  }
}

function toEvent(result: EmailParseResult): PullEvent {
  return result.ok ? { kind: 'item', item: result.item } : { kind: 'failed', failure: result.failure };
}
