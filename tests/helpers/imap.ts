/** A Dovecot per test file, a fresh mailbox per test, and the connector wired to a real database. */
import type { ImapFlow } from 'imapflow';
import { afterAll, beforeAll } from 'vitest';
import { inThreadParser, type EmailParser } from '../../connectors/email/parse-pool.js';
import { imapAccountSchema, type ImapAccount } from '../../connectors/imap/imap.config.js';
import { ImapConnector } from '../../connectors/imap/imap.connector.js';
import { parseConfig } from '../../src/config/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { runSource, type RetryPolicy } from '../../src/scheduler/run-source.js';
import { tempDb } from './db.js';
import { startDovecot, type Dovecot } from './dovecot.js';

export interface Mailbox {
  user: string;
  password: string;
  account(over?: Partial<Record<keyof ImapAccount, unknown>>): ImapAccount;
  client(): Promise<ImapFlow>;
  append(folder: string, raw: string | Buffer, flags?: string[], date?: Date): Promise<void>;
}

export function useDovecot(): { server: () => Dovecot; mailbox: () => Mailbox } {
  let server: Dovecot | undefined;
  let n = 0;
  // Dovecot re-reads its passwd-file at most once a second, so a user added just before logging
  // in may not exist yet: every mailbox this file can use is created up front.
  const users = 64;
  beforeAll(async () => {
    server = await startDovecot();
    for (let i = 1; i <= users; i++) server.addUser(userName(i), `pw-${i}`);
  });
  afterAll(() => server?.destroy());
  const get = () => {
    if (!server) throw new Error('Dovecot not started yet (use inside a test)');
    return server;
  };
  return {
    server: get,
    mailbox() {
      if (n >= users) throw new Error(`useDovecot: more than ${users} mailboxes in one file; raise the limit`);
      const user = userName(++n);
      const password = `pw-${n}`;
      return {
        user,
        password,
        account: (over = {}) =>
          imapAccountSchema.parse({ type: 'imap', name: user, host: '127.0.0.1', port: get().port, secure: false, user, password, ...over }),
        client: () => get().client(user, password),
        async append(folder, raw, flags, date) {
          const c = await get().client(user, password);
          try {
            await c.append(folder, raw, flags, date);
          } finally {
            await c.logout();
          }
        },
      };
    },
  };
}

const userName = (i: number) => `care${i}-${process.pid}`;

/** A database, a pipeline and a way to run a connector over it, as `poll --once` does. */
export function imapStore(options: { parser?: EmailParser; maxMessageBytes?: number; retry?: RetryPolicy } = {}) {
  const db = tempDb();
  const config = parseConfig({});
  const pipeline = new Pipeline(config);
  const connector = (account: ImapAccount) =>
    new ImapConnector(account, {
      parser: options.parser ?? inThreadParser,
      maxMessageBytes: options.maxMessageBytes ?? config.ingest.maxMessageBytes,
      parseTimeoutMs: config.ingest.parseTimeoutMs,
    });
  const run = (c: ImapConnector) =>
    runSource(c, {
      repo: db.repository,
      pipeline,
      batchSize: 100,
      retry: options.retry ?? { attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    });
  const rows = <T>(sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).all(...params) as T[];
  return { ...db, pipeline, connector, run, rows };
}

export function mail(n: number | string, over: { subject?: string; body?: string; messageId?: string; from?: string; date?: Date } = {}): string {
  const date = (over.date ?? new Date()).toUTCString();
  return [
    `From: ${over.from ?? `customer${n}@example.com`}`,
    'To: care@sakupay.example',
    `Subject: ${over.subject ?? `Complaint ${n}`}`,
    `Date: ${date}`,
    `Message-ID: ${over.messageId ?? `<imap-test-${n}-${process.pid}@example.com>`}`,
    'Content-Type: text/plain; charset=UTF-8',
    '',
    over.body ?? `Top up ${n} gagal, saldo terpotong Rp ${n}00.000 tapi tidak masuk.`,
    '',
  ].join('\r\n');
}
