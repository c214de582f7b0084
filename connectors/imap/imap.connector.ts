/**
 * Reads complaint mail from an IMAP account, read-only by default (agents read the same mailbox).
 *
 * Cursor, per folder: "<UIDVALIDITY>:<highest UID handled>", stored by the pipeline in the same
 * transaction as the messages it covers. A first run (no cursor) reads the last `backfillDays`
 * by INTERNALDATE; later runs read only UIDs above the cursor. When UIDVALIDITY changes (the
 * folder was recreated or the server renumbered it), the folder is read again over the backfill
 * window: a message's id is its Message-ID plus a hash of its content, not its UID, so nothing is
 * stored twice. A message without Message-ID is identified by the content hash alone; the same
 * message in two monitored folders or accounts is stored once (dedupe rule 1).
 *
 * Messages are fetched in UID batches bounded by count and bytes; a message over the size limit
 * is fetched only up to the limit (its body is cut, with a note). A message that cannot be parsed
 * is quarantined with its UID and reason and the batch goes on. After each batch the connector
 * yields the cursor; when it resumes, the batch is stored, and only then are messages marked
 * \Seen or moved (when the account asks for it).
 */
import { ImapFlow, type FetchMessageObject, type ListResponse, type MessageStructureObject } from 'imapflow';
import type { EmailParseOptions, EmailParseResult } from '../email/parse-email.js';
import type { EmailParser } from '../email/parse-pool.js';
import { ConnectorError } from '../errors.js';
import type { Connector, CursorReader, PullEvent, RawAttachment } from '../types.js';
import { classifyImapError } from './imap-errors.js';
import { DEFAULT_IMAP, imapClientOptions, type ImapAccount } from './imap.config.js';

export interface ImapConnectorDeps {
  parser: EmailParser;
  maxMessageBytes: number;
  parseTimeoutMs: number;
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
  /** Told how many messages a folder has to read, before reading them (for progress). */
  onPlan?: (folder: string, messages: number) => void;
}

interface Folder {
  path: string;
  spam: boolean;
}

// Names a Junk folder goes by when the server does not flag it \Junk.
const SPAM_NAME = /(?:^|\/)(?:junk|spam|bulk)(?:[ -]?(?:e-?)?mail)?$/i;

export class ImapConnector implements Connector {
  readonly name: string;
  private stage = 'connecting';

  constructor(
    readonly account: ImapAccount,
    private readonly deps: ImapConnectorDeps,
  ) {
    this.name = account.name;
  }

  async *pull(cursors: CursorReader): AsyncGenerator<PullEvent> {
    let client: ImapFlow | undefined;
    // A dropped connection fails the next command with a bare "NoConnection"; the socket's own
    // error (ECONNRESET, a timeout) arrives as an event and says more.
    let connectionError: Error | undefined;
    this.stage = 'connecting';
    try {
      client = this.createClient();
      client.on('error', (err: Error) => {
        connectionError = err;
      });
      await client.connect();
      this.stage = 'listing folders';
      const folders = await this.resolveFolders(client);
      for (const folder of folders) {
        this.stage = `reading the cursor of ${folder.path}`;
        const cursor = await cursors.get(this.name, folder.path);
        yield* this.pullFolder(client, folder, cursor);
      }
    } catch (err) {
      const closed = ['NoConnection', 'EConnectionClosed'].includes((err as { code?: string }).code ?? '');
      throw classifyImapError(closed && connectionError ? connectionError : err, this.name, this.stage);
    } finally {
      if (client) await closeQuietly(client);
    }
  }

  /**
   * Watches INBOX with IDLE and calls `onNewMail` when messages arrive, until `signal` aborts.
   * Reconnects with backoff when the connection drops; reports each failure to `onError`.
   */
  async watch(signal: AbortSignal, onNewMail: () => void, onError: (err: ConnectorError) => void): Promise<void> {
    let backoffMs = 1_000;
    while (!signal.aborted) {
      const client = this.createClient();
      let connectionError: Error | undefined;
      client.on('error', (err: Error) => {
        connectionError = err; // reported below, when idle() returns or the next command fails
      });
      const stop = () => void closeQuietly(client);
      signal.addEventListener('abort', stop, { once: true });
      try {
        await client.connect();
        await client.mailboxOpen('INBOX', { readOnly: true });
        client.on('exists', (data: { count: number; prevCount: number }) => {
          if (data.count > data.prevCount) onNewMail();
        });
        backoffMs = 1_000;
        // idle() returns when IDLE ends: maxIdleTime re-issues it, a dropped connection ends it.
        while (!signal.aborted && client.usable) await client.idle();
        if (!signal.aborted) throw connectionError ?? new ConnectorError(this.name, 'network', 'imap_network', `${this.name}: the IDLE connection closed`, true);
      } catch (err) {
        if (signal.aborted) break;
        const error = classifyImapError(err, this.name, 'watching INBOX');
        onError(error);
        if (!error.retryable) return;
        await sleep(backoffMs, signal);
        backoffMs = Math.min(backoffMs * 2, 5 * 60_000);
      } finally {
        signal.removeEventListener('abort', stop);
        await closeQuietly(client);
      }
    }
  }

  private createClient(): ImapFlow {
    return new ImapFlow(imapClientOptions(this.account, this.deps.env ?? process.env));
  }

  private async resolveFolders(client: ImapFlow): Promise<Folder[]> {
    const list = await client.list();
    const isSpam = (box: ListResponse) => box.specialUse === '\\Junk' || SPAM_NAME.test(box.path);
    if (this.account.folders) {
      return this.account.folders.map((path) => {
        const box = list.find((b) => b.path === path);
        if (!box) {
          const known = list.map((b) => b.path).join(', ');
          throw new ConnectorError(this.name, 'config', 'imap_folder_missing', `${this.name}: folder "${path}" does not exist (the account has: ${known})`, false);
        }
        return { path, spam: isSpam(box) };
      });
    }
    const junk = list.find((b) => b.specialUse === '\\Junk') ?? list.find((b) => SPAM_NAME.test(b.path));
    return [{ path: 'INBOX', spam: false }, ...(junk ? [{ path: junk.path, spam: true }] : [])];
  }

  private async *pullFolder(client: ImapFlow, folder: Folder, cursorValue: string | null): AsyncGenerator<PullEvent> {
    const writable = this.account.markSeen || this.account.moveTo !== undefined;
    this.stage = `opening ${folder.path}`;
    const lock = await client.getMailboxLock(folder.path, { readOnly: !writable });
    try {
      const box = client.mailbox;
      if (!box) throw new Error(`no mailbox selected after opening ${folder.path}`);
      const validity = String(box.uidValidity);
      const cursor = parseCursor(cursorValue);
      const resume = cursor !== null && cursor.validity === validity;

      this.stage = `searching ${folder.path}`;
      let uids: number[];
      if (resume) {
        // "N:*" also matches the highest UID when N is above it: filter (see NOTES-stack).
        uids = box.uidNext > cursor.lastUid + 1 ? ((await client.search({ uid: `${cursor.lastUid + 1}:*` }, { uid: true })) || []).filter((u) => u > cursor.lastUid) : [];
      } else {
        const since = new Date(this.now().getTime() - this.account.backfillDays * 86_400_000);
        uids = (await client.search({ since }, { uid: true })) || [];
      }
      uids.sort((a, b) => a - b);
      this.deps.onPlan?.(folder.path, uids.length);

      if (uids.length > 0) {
        this.stage = `sizing ${uids.length} messages in ${folder.path}`;
        const sizes = new Map<number, number>();
        for (const m of await client.fetchAll(uids.join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
        const batches = [...this.batches(uids, sizes)];
        // Read-only, the next batch is fetched while this one is parsed and stored (the server
        // and the network work while we do). Marking or moving waits its turn instead: those
        // commands must not interleave with a FETCH.
        const prefetch = !writable;
        let next: Prefetched | null = fetchSettled(this.fetchBatch(client, folder, batches[0]!, sizes));
        for (let i = 0; i < batches.length; i++) {
          const batch = batches[i]!;
          const fetched = await unwrap(next!);
          next = prefetch && i + 1 < batches.length ? fetchSettled(this.fetchBatch(client, folder, batches[i + 1]!, sizes)) : null;
          yield* this.parseBatch(fetched, folder, validity, batch);
          yield { kind: 'cursor', cursor: { source: this.name, key: folder.path, value: `${validity}:${batch[batch.length - 1]}` } };
          // Resumed: the consumer has stored the batch.
          await this.afterStored(client, folder, batch);
          if (!prefetch && i + 1 < batches.length) next = fetchSettled(this.fetchBatch(client, folder, batches[i + 1]!, sizes));
        }
      }
      // Whatever the window skipped, the next run starts from what exists now.
      const highest = Math.max(box.uidNext - 1, uids[uids.length - 1] ?? 0, resume ? cursor.lastUid : 0);
      if (!resume || highest > cursor.lastUid) {
        yield { kind: 'cursor', cursor: { source: this.name, key: folder.path, value: `${validity}:${highest}` } };
      }
    } finally {
      lock.release();
    }
  }

  private *batches(uids: number[], sizes: Map<number, number>): Generator<number[]> {
    let batch: number[] = [];
    let bytes = 0;
    for (const uid of uids) {
      const size = Math.min(sizes.get(uid) ?? 0, this.deps.maxMessageBytes);
      if (batch.length > 0 && (batch.length >= this.account.batchSize || bytes + size > DEFAULT_IMAP.batchBytes)) {
        yield batch;
        batch = [];
        bytes = 0;
      }
      batch.push(uid);
      bytes += size;
    }
    if (batch.length > 0) yield batch;
  }

  private async fetchBatch(client: ImapFlow, folder: Folder, batch: number[], sizes: Map<number, number>): Promise<Map<number, FetchMessageObject>> {
    const limit = this.deps.maxMessageBytes;
    const normal = batch.filter((uid) => (sizes.get(uid) ?? 0) <= limit);
    const huge = batch.filter((uid) => (sizes.get(uid) ?? 0) > limit);
    this.stage = `fetching UIDs ${batch[0]}-${batch[batch.length - 1]} of ${folder.path}`;
    // fetchAll, not fetch: no other command may run on the connection inside a fetch loop.
    const fetched = new Map<number, FetchMessageObject>();
    if (normal.length > 0) {
      for (const m of await client.fetchAll(normal.join(','), { uid: true, source: true, internalDate: true }, { uid: true })) fetched.set(m.uid, m);
    }
    if (huge.length > 0) {
      const query = { uid: true, internalDate: true, size: true, bodyStructure: true, source: { start: 0, maxLength: limit } };
      for (const m of await client.fetchAll(huge.join(','), query, { uid: true })) fetched.set(m.uid, m);
    }
    return fetched;
  }

  private async *parseBatch(fetched: Map<number, FetchMessageObject>, folder: Folder, validity: string, batch: number[]): AsyncGenerator<PullEvent> {
    // Parse the whole batch at once (the pool works in parallel), hand results over in UID order.
    const parses: Promise<EmailParseResult | null>[] = batch.map((uid) => {
      const m = fetched.get(uid);
      if (!m) return Promise.resolve(null); // expunged between SEARCH and FETCH: nothing to read
      return this.parse(m, folder, validity);
    });
    for (const parse of parses) {
      const result = await parse;
      if (result === null) continue;
      yield result.ok ? { kind: 'item', item: result.item } : { kind: 'failed', failure: result.failure };
    }
  }

  private parse(m: FetchMessageObject, folder: Folder, validity: string): Promise<EmailParseResult> {
    const rawRef = `imap://${this.name}/${encodeURIComponent(folder.path)};UIDVALIDITY=${validity}/;UID=${m.uid}`;
    const internal = m.internalDate instanceof Date ? m.internalDate : m.internalDate ? new Date(m.internalDate) : this.now();
    const options: EmailParseOptions = {
      source: this.name,
      rawRef,
      maxBytes: this.deps.maxMessageBytes,
      timeoutMs: this.deps.parseTimeoutMs,
      fallbackDate: internal,
      foundInSpam: folder.spam,
    };
    if (m.size !== undefined && m.size > this.deps.maxMessageBytes) {
      options.declaredSize = m.size;
      if (m.bodyStructure) options.attachments = attachmentsOf(m.bodyStructure);
    }
    if (!m.source) {
      return Promise.resolve({ ok: false, failure: { source: this.name, rawRef, reason: 'fetch_empty', detail: 'the server returned no message source' } });
    }
    return this.deps.parser.parse(m.source, options);
  }

  private async afterStored(client: ImapFlow, folder: Folder, batch: number[]): Promise<void> {
    const range = batch.join(',');
    if (this.account.markSeen) {
      this.stage = `marking ${batch.length} messages \\Seen in ${folder.path}`;
      await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
    }
    if (this.account.moveTo !== undefined && this.account.moveTo !== folder.path) {
      this.stage = `moving ${batch.length} messages from ${folder.path} to ${this.account.moveTo}`;
      await client.messageMove(range, this.account.moveTo, { uid: true });
    }
  }

  private now(): Date {
    return this.deps.clock?.() ?? new Date();
  }
}

export function parseCursor(value: string | null): { validity: string; lastUid: number } | null {
  const m = value?.match(/^(\d+):(\d+)$/);
  return m ? { validity: m[1]!, lastUid: Number(m[2]) } : null;
}

/**
 * A fetch started ahead of its turn. Its outcome is kept, not thrown, until the loop takes it:
 * when the run stops before that (the store failed), that outcome is moot, and an unawaited
 * rejection would otherwise crash the process.
 */
type Prefetched = Promise<{ ok: true; value: Map<number, FetchMessageObject> } | { ok: false; error: unknown }>;

function fetchSettled(fetch: Promise<Map<number, FetchMessageObject>>): Prefetched {
  return fetch.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function unwrap(prefetched: Prefetched): Promise<Map<number, FetchMessageObject>> {
  const outcome = await prefetched;
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** Attachment metadata from BODYSTRUCTURE, for messages too big to download whole. */
function attachmentsOf(node: MessageStructureObject): RawAttachment[] {
  const out: RawAttachment[] = [];
  const visit = (n: MessageStructureObject) => {
    if (n.childNodes?.length) {
      n.childNodes.forEach(visit);
      return;
    }
    const name = n.dispositionParameters?.filename ?? n.parameters?.name ?? null;
    if (n.disposition === 'attachment' || name !== null) {
      out.push({ name, contentType: (n.type ?? 'application/octet-stream').toLowerCase(), size: n.size ?? 0, sha256: null });
    }
  };
  visit(node);
  return out;
}

/**
 * Logout politely; a connection that is already broken cannot log out, and closing it is all
 * that is left to do, so that failure is expected and not reported.
 */
async function closeQuietly(client: ImapFlow): Promise<void> {
  if (!client.usable) {
    client.close();
    return;
  }
  try {
    await client.logout();
  } catch {
    client.close();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
