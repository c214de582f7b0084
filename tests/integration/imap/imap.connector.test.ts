/**
 * The IMAP connector against a real Dovecot, storing into a real SQLite file.
 */
import { createServer, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { inThreadParser } from '../../../connectors/email/parse-pool.js';
import { imapMessageCount, uidValidityOf } from '../../helpers/imap-inspect.js';
import { imapStore, mail, useDovecot } from '../../helpers/imap.js';

const { server, mailbox } = useDovecot();

describe('IMAP connector', () => {
  it('ingests new mail in INBOX and Junk once; re-polling stores nothing new', async () => {
    const box = mailbox();
    const store = imapStore();
    for (const n of [1, 2, 3]) await box.append('INBOX', mail(`${box.user}-i${n}`));
    for (const n of [1, 2]) await box.append('Junk', mail(`${box.user}-j${n}`));

    const first = await store.run(store.connector(box.account()));
    expect(first.error).toBeNull();
    expect(first.summary).toMatchObject({ read: 5, stored: 5, duplicates: 0, quarantined: 0 });
    expect(store.rows('select found_in_spam as spam, count(*) as n from messages group by 1 order by 1')).toEqual([
      { spam: 0, n: 3 },
      { spam: 1, n: 2 },
    ]);
    const cursors = store.rows<{ key: string; value: string }>('select key, value from connector_cursors order by key');
    expect(cursors.map((c) => c.key)).toEqual(['INBOX', 'Junk']);
    expect(cursors[0]!.value).toMatch(/^\d+:3$/);

    const again = await store.run(store.connector(box.account()));
    expect(again.summary).toMatchObject({ read: 0, stored: 0 });

    await box.append('INBOX', mail(`${box.user}-i4`));
    const third = await store.run(store.connector(box.account()));
    expect(third.summary).toMatchObject({ read: 1, stored: 1, duplicates: 0 });
    expect(store.rows('select id from messages')).toHaveLength(6);
    expect(store.rows<{ raw_ref: string }>('select raw_ref from messages order by id')[5]!.raw_ref).toMatch(
      new RegExp(`^imap://${box.user}/INBOX;UIDVALIDITY=\\d+/;UID=4$`),
    );
  });

  it('the same message in INBOX and Junk, or in two accounts, is stored once; one without Message-ID too', async () => {
    const a = mailbox();
    const b = mailbox();
    const store = imapStore();
    const shared = mail(`${a.user}-shared`, { date: new Date(Date.now() - 60_000) });
    const noId = mail(`${a.user}-noid`, { date: new Date(Date.now() - 60_000) }).replace(/^Message-ID: .*\r\n/m, '');
    for (const folder of ['INBOX', 'Junk']) await a.append(folder, shared);
    await b.append('INBOX', shared);
    await a.append('INBOX', noId);
    await b.append('INBOX', noId);

    const first = await store.run(store.connector(a.account()));
    expect(first.summary).toMatchObject({ read: 3, stored: 2, duplicates: 1 });
    const second = await store.run(store.connector(b.account()));
    expect(second.summary).toMatchObject({ read: 2, stored: 0, duplicates: 2 });
    expect(store.rows('select source, external_id like ? as hashed from messages order by id', 'sha256:%')).toEqual([
      { source: a.user, hashed: 0 },
      { source: a.user, hashed: 1 },
    ]);
  });

  it('is read-only by default: no \\Seen flag, nothing moved', async () => {
    const box = mailbox();
    const store = imapStore();
    await box.append('INBOX', mail(`${box.user}-1`));
    await store.run(store.connector(box.account()));
    const client = await box.client();
    try {
      const lock = await client.getMailboxLock('INBOX');
      const [m] = await client.fetchAll('1:*', { flags: true });
      lock.release();
      expect([...(m!.flags ?? [])]).not.toContain('\\Seen');
    } finally {
      await client.logout();
    }
  });

  it('marks messages \\Seen or moves them, when asked, after they are stored', async () => {
    const box = mailbox();
    const store = imapStore();
    const client = await box.client();
    await client.mailboxCreate('Processed');
    await client.logout();
    for (const n of [1, 2]) await box.append('INBOX', mail(`${box.user}-${n}`));
    await store.run(store.connector(box.account({ markSeen: true, moveTo: 'Processed', folders: ['INBOX'] })));
    expect(store.rows('select id from messages')).toHaveLength(2);
    expect(await imapMessageCount(box, 'INBOX')).toBe(0);
    expect(await imapMessageCount(box, 'Processed', '\\Seen')).toBe(2);
  });

  it('the first run reads the backfill window only, later runs what arrived since', async () => {
    const box = mailbox();
    const store = imapStore();
    const sixtyDaysAgo = new Date(Date.now() - 60 * 86_400_000);
    await box.append('INBOX', mail(`${box.user}-old`, { date: sixtyDaysAgo }), [], sixtyDaysAgo);
    await box.append('INBOX', mail(`${box.user}-recent`));
    const first = await store.run(store.connector(box.account({ backfillDays: 30 })));
    expect(first.summary.read).toBe(1);
    const second = await store.run(store.connector(box.account({ backfillDays: 30 })));
    expect(second.summary.read).toBe(0);
  });

  it('a UIDVALIDITY change (folder recreated) resyncs without storing anything twice', async () => {
    const box = mailbox();
    const store = imapStore();
    const account = box.account({ folders: ['Complaints'] });
    let client = await box.client();
    await client.mailboxCreate('Complaints');
    await client.logout();
    // The same messages are appended again after the folder is recreated, byte for byte.
    const sent = new Date(Date.now() - 3_600_000);
    const messages = [1, 2, 3, 4].map((n) => mail(`${box.user}-${n}`, { date: sent }));
    for (const raw of messages.slice(0, 3)) await box.append('Complaints', raw);
    expect((await store.run(store.connector(account))).summary).toMatchObject({ read: 3, stored: 3 });
    const before = await uidValidityOf(box, 'Complaints');

    client = await box.client();
    await client.mailboxDelete('Complaints');
    await new Promise((r) => setTimeout(r, 1100)); // Dovecot's UIDVALIDITY is a timestamp in seconds
    await client.mailboxCreate('Complaints');
    await client.logout();
    for (const raw of messages) await box.append('Complaints', raw);
    expect(await uidValidityOf(box, 'Complaints')).not.toBe(before);

    const resync = await store.run(store.connector(account));
    expect(resync.error).toBeNull();
    expect(resync.summary).toMatchObject({ read: 4, stored: 1, duplicates: 3 });
    expect(store.rows('select id from messages')).toHaveLength(4);
    const [cursor] = store.rows<{ value: string }>("select value from connector_cursors where key = 'Complaints'");
    expect(cursor!.value.startsWith(`${await uidValidityOf(box, 'Complaints')}:`)).toBe(true);
  });

  it('a malformed and a huge message in a batch: one quarantined with its UID, one cut, the rest stored', async () => {
    const box = mailbox();
    const store = imapStore({ maxMessageBytes: 200_000 });
    const bigAttachment = Buffer.alloc(600_000, 7).toString('base64').replace(/.{76}/g, '$&\r\n');
    const huge = [
      `From: big@example.com`,
      'Subject: screenshots of the failed payments',
      `Message-ID: <huge-${box.user}@example.com>`,
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain',
      '',
      'Saldo saya hilang Rp 2.000.000, bukti terlampir.',
      '--b',
      'Content-Type: image/png; name="bukti.png"',
      'Content-Disposition: attachment; filename="bukti.png"',
      'Content-Transfer-Encoding: base64',
      '',
      bigAttachment,
      '--b--',
      '',
    ].join('\r\n');
    await box.append('INBOX', mail(`${box.user}-1`));
    await box.append('INBOX', 'this is not an email at all\r\njust a line of text\r\n');
    await box.append('INBOX', huge);
    await box.append('INBOX', mail(`${box.user}-4`));

    const result = await store.run(store.connector(box.account({ folders: ['INBOX'] })));
    expect(result.error).toBeNull();
    expect(result.summary).toMatchObject({ read: 4, stored: 3, quarantined: 1 });
    const [q] = store.rows<{ reason: string; raw_ref: string }>('select reason, raw_ref from quarantine');
    expect(q).toEqual({ reason: 'not_an_email', raw_ref: expect.stringMatching(/;UID=2$/) });
    const [big] = store.rows<{ notes: string; id: number }>("select id, notes from messages where author_key = 'email:big@example.com'");
    expect(JSON.parse(big!.notes)).toEqual([expect.stringMatching(/^message is 803 KB, over the 196 KB limit: body truncated$/)]);
    expect(store.rows('select name, content_type, sha256 from attachments where message_row_id = ?', big!.id)).toEqual([
      { name: 'bukti.png', content_type: 'image/png', sha256: null },
    ]);
    const [cursor] = store.rows<{ value: string }>("select value from connector_cursors where key = 'INBOX'");
    expect(cursor!.value).toMatch(/:4$/);
  });

  it('a wrong password is a clear auth error, tried once', async () => {
    const box = mailbox();
    const store = imapStore();
    const result = await store.run(store.connector(box.account({ password: 'wrong' })));
    expect(result.error).toMatchObject({ kind: 'auth', code: 'imap_auth_failed', retryable: false });
    expect(result.attempts).toBe(1);
    // Dovecot logs a login's end when the connection closes, which may be a moment after our
    // run returns: wait for the line, then check there is one login with one attempt.
    const failedLogins = () =>
      server()
        .log()
        .split('\n')
        .filter((l) => l.includes(`user=<${box.user}>`) && /auth failed|Authentication failed|Aborted login/i.test(l));
    await vi.waitFor(() => expect(failedLogins().length).toBeGreaterThan(0), { timeout: 5_000, interval: 50 });
    const failures = failedLogins();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/\b1 attempts?\b/);
    const [health] = await store.repository.listConnectorHealth();
    expect(health).toMatchObject({ source: box.user, state: 'failing', consecutiveFailures: 1, lastError: { kind: 'auth', code: 'imap_auth_failed' } });
  });

  it('a folder that does not exist is a configuration error', async () => {
    const box = mailbox();
    const store = imapStore();
    const result = await store.run(store.connector(box.account({ folders: ['Komplain'] })));
    expect(result.error).toMatchObject({ kind: 'config', code: 'imap_folder_missing', retryable: false });
    expect(result.error?.message).toContain('folder "Komplain" does not exist');
  });

  it('a server that accepts but never answers is a network error, retried, within the timeouts', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket)); // never sends a greeting
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const box = mailbox();
      const store = imapStore({ retry: { attempts: 2, baseDelayMs: 50, maxDelayMs: 50 } });
      const started = Date.now();
      const result = await store.run(store.connector(box.account({ port, connectTimeoutMs: 300 })));
      expect(result.error).toMatchObject({ kind: 'network', code: 'imap_network', retryable: true });
      expect(result.error?.message).toMatch(/connection problem while connecting: \w*TIMEOUT/);
      expect(result.attempts).toBe(2);
      expect(sockets).toHaveLength(2);
      expect(Date.now() - started).toBeLessThan(5_000);
      const [health] = await store.repository.listConnectorHealth();
      expect(health).toMatchObject({ state: 'failing', consecutiveFailures: 2, lastError: { kind: 'network' } });
    } finally {
      sockets.forEach((s) => s.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('Dovecot restarted mid-fetch: the run retries and the database ends exact', async () => {
    const box = mailbox();
    // The restart happens while the connector works through the third batch of 50: the parser
    // is the real one, told to restart the server when it reaches the 120th message.
    let parsed = 0;
    const store = imapStore({
      parser: {
        ...inThreadParser,
        parse(raw, options) {
          if (++parsed === 120) server().restart();
          return inThreadParser.parse(raw, options);
        },
      },
    });
    const client = await box.client();
    for (let n = 1; n <= 400; n++) await client.append('INBOX', mail(`${box.user}-${n}`));
    await client.logout();
    const result = await store.run(store.connector(box.account({ folders: ['INBOX'], batchSize: 50 })));
    expect(result.error).toBeNull();
    expect(result.attempts).toBe(2);
    expect(result.summary).toMatchObject({ stored: 400, quarantined: 0 });
    expect(store.rows('select count(*) n, count(distinct external_id) d from messages')).toEqual([{ n: 400, d: 400 }]);
  });

  it('IDLE notices a new message within 2 s', async () => {
    const box = mailbox();
    const store = imapStore();
    const connector = store.connector(box.account());
    const controller = new AbortController();
    const errors: string[] = [];
    let noticed = 0;
    const watching = connector.watch(controller.signal, () => (noticed = Date.now()), (err) => errors.push(err.message));
    await new Promise((r) => setTimeout(r, 500)); // connected and idling
    const appendedAt = Date.now();
    await box.append('INBOX', mail(`${box.user}-idle`));
    for (let i = 0; i < 40 && noticed === 0; i++) await new Promise((r) => setTimeout(r, 50));
    controller.abort();
    await watching;
    expect(errors).toEqual([]);
    expect(noticed).toBeGreaterThan(0);
    expect(noticed - appendedAt).toBeLessThan(2_000);
  });
});
