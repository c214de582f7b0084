import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { FileConnector } from '../../../connectors/file/file.connector.js';
import { readMbox } from '../../../connectors/file/mbox.js';
import { parsePostLine } from '../../../connectors/file/posts-jsonl.js';
import type { PullEvent } from '../../../connectors/types.js';
import { tempDir } from '../../helpers/db.js';

const message = (n: number, body = `Saldo saya hilang, pesan ${n}.`) =>
  `From: user${n}@example.com\nSubject: complaint ${n}\nDate: Wed, 18 Nov 2026 09:15:02 +0700\nMessage-ID: <m${n}@example.com>\n\n${body}\n`;

async function collect(paths: string[]): Promise<PullEvent[]> {
  const events: PullEvent[] = [];
  const connector = new FileConnector({ paths, source: 'file', maxMessageBytes: 25 * 1024 * 1024, parseTimeoutMs: 10_000 });
  for await (const e of connector.pull()) events.push(e);
  return events;
}

const items = (events: PullEvent[]) => events.flatMap((e) => (e.kind === 'item' ? [e.item] : []));
const failures = (events: PullEvent[]) => events.flatMap((e) => (e.kind === 'failed' ? [e.failure] : []));

describe('mbox', () => {
  it('splits messages, unquotes >From (mboxrd), keeps offsets and envelope dates', async () => {
    const dir = tempDir();
    const path = join(dir, 'inbox.mbox');
    const body = 'I paid at 10:00.\n>From the app I got an error.\n>>From here on: nothing.';
    const text = `From user1@example.com Wed Nov 18 02:15:02 2026\n${message(1, body)}\nFrom user2@example.com Thu Nov 19 02:15:02 2026\n${message(2)}`;
    writeFileSync(path, text);
    const msgs = [];
    for await (const m of readMbox(path)) msgs.push(m);
    expect(msgs.map((m) => m.index)).toEqual([1, 2]);
    expect(msgs[0]!.offset).toBe(0);
    expect(msgs[1]!.offset).toBe(text.indexOf('From user2'));
    expect(msgs[0]!.envelopeDate?.toISOString()).toBe(new Date('Wed Nov 18 02:15:02 2026').toISOString());
    const first = msgs[0]!.raw.toString();
    expect(first).toContain('\nFrom the app I got an error.\n>From here on: nothing.\n');
    expect(first.endsWith('nothing.\n')).toBe(true);
  });

  it('handles CRLF line ends and a last message without a trailing newline', async () => {
    const dir = tempDir();
    const path = join(dir, 'crlf.mbox');
    writeFileSync(path, `From a Wed Nov 18 02:15:02 2026\r\n${message(1).replace(/\n/g, '\r\n')}\r\nFrom b Wed Nov 18 02:15:02 2026\r\n${message(2).trimEnd().replace(/\n/g, '\r\n')}`);
    const events = await collect([path]);
    expect(items(events).map((i) => i.subject)).toEqual(['complaint 1', 'complaint 2']);
    expect(items(events)[1]!.rawRef).toMatch(/crlf\.mbox#\d+$/);
  });

  it('streams: memory stays flat on a large file', async () => {
    const dir = tempDir();
    const path = join(dir, 'big.mbox');
    const out = createWriteStream(path);
    const filler = 'x'.repeat(2000);
    for (let i = 0; i < 40_000; i++) {
      if (!out.write(`From u${i}@example.com Wed Nov 18 02:15:02 2026\n${message(i, filler)}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish'); // ~85 MB
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let count = 0;
    let peak = 0;
    for await (const m of readMbox(path)) {
      count++;
      if (m.raw.length < 2000) throw new Error('message cut short');
      if (count % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    expect(count).toBe(40_000);
    expect(peak).toBeLessThan(48 * 1024 * 1024);
  });
});

describe('folders and Maildir', () => {
  it('walks folders in name order, reads Maildir new/ and cur/, skips non-mail files', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'exports/b'), { recursive: true });
    writeFileSync(join(dir, 'exports/b/2.eml'), message(2));
    writeFileSync(join(dir, 'exports/a.eml'), message(1));
    writeFileSync(join(dir, 'exports/README.md'), '# notes');
    writeFileSync(join(dir, 'exports/LICENSE'), 'MIT');
    writeFileSync(join(dir, 'exports/.DS_Store'), 'junk');
    for (const sub of ['cur', 'new', 'tmp']) mkdirSync(join(dir, 'Maildir', sub), { recursive: true });
    writeFileSync(join(dir, 'Maildir/new/1700000000.M1.host'), message(3));
    writeFileSync(join(dir, 'Maildir/cur/1600000000.M1.host:2,S'), message(4));
    writeFileSync(join(dir, 'Maildir/tmp/in-progress'), message(5));
    const events = await collect([join(dir, 'exports'), join(dir, 'Maildir')]);
    expect(items(events).map((i) => i.subject)).toEqual(['complaint 1', 'complaint 2', 'complaint 3', 'complaint 4']);
    expect(events.filter((e) => e.kind === 'skipped')).toHaveLength(3);
  });

  it('a missing path or a broken file is a failure with a reason, and the rest goes on', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'good.eml'), message(1));
    writeFileSync(join(dir, 'broken.eml'), 'just some words\nwithout any header\n');
    const events = await collect([join(dir, 'nope'), dir]);
    expect(failures(events).map((f) => f.reason)).toEqual(['unreadable', 'not_an_email']);
    expect(items(events)).toHaveLength(1);
  });
});

describe('JSON Lines posts', () => {
  it('maps the documented fields', async () => {
    const dir = tempDir();
    const path = join(dir, 'posts.jsonl');
    writeFileSync(
      path,
      [
        JSON.stringify({ id: '1859920011223344501', created_at: '2026-11-21T02:10:00Z', author: '@rina_w', text: '@SakuPay gagal login', author_name: 'Rina', followers: 120, conversation_id: '1859920011223344501', lang: 'in', url: 'https://x.com/rina_w/status/1859920011223344501' }),
        '',
        JSON.stringify({ id: 'app-1', created_at: '2026-11-21T09:10:00+07:00', author: 'u-88231', text: 'top up gagal', channel: 'app' }),
      ].join('\n'),
    );
    const [x, app] = items(await collect([path]));
    expect(x).toMatchObject({
      channel: 'x',
      externalId: '1859920011223344501',
      author: { handle: 'rina_w', name: 'Rina', followers: 120 },
      conversationId: '1859920011223344501',
      lang: 'in',
      rawRef: `${path}:1`,
    });
    expect(app).toMatchObject({ channel: 'app', externalId: 'app-1', rawRef: `${path}:3` });
    expect(app!.sentAt.toISOString()).toBe('2026-11-21T02:10:00.000Z');
  });

  it.each([
    ['not JSON', '{"id": ', 'invalid_json', /JSON/],
    ['missing text', '{"id":"1","created_at":"2026-11-21T02:10:00Z","author":"a"}', 'invalid_post', /text/],
    ['bad date', '{"id":"1","created_at":"yesterday","author":"a","text":"x"}', 'invalid_post', /created_at/],
    ['an id too large for a JSON number', '{"id":1859920011223344501,"created_at":"2026-11-21T02:10:00Z","author":"a","text":"x"}', 'invalid_post', /2\^53/],
  ])('%s is quarantined with the reason', (_label, line, reason, detail) => {
    const r = parsePostLine(line, 'file', 'posts.jsonl:1');
    expect(r).toMatchObject({ ok: false, reason });
    if (!r.ok) expect(r.detail).toMatch(detail);
  });
});
