/**
 * `poll --once` killed with SIGKILL at random points of a 2,000-message backfill, ten times, then
 * run to the end: the database must hold exactly the mailbox's messages, none lost, none twice.
 * The CLI is the real bin against a real Dovecot and a real SQLite file.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/db.js';
import { storedMessageCount } from '../../helpers/imap-inspect.js';
import { mail, useDovecot } from '../../helpers/imap.js';
import { killAtRandomPoints, runToEnd } from '../../helpers/kill-at-random.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/complaint-monitor.js');
const MESSAGES = 2_000;
const KILLS = 10;

const { mailbox } = useDovecot();

// Reproducible randomness: the seed is printed, and CM_TEST_SEED replays a failing run.
const { seed, random } = seededRandom();

describe('IMAP backfill under SIGKILL', () => {
  it(`killed ${KILLS} times at random points, restarted: exactly the mailbox's messages (seed ${seed})`, async () => {
    const box = mailbox();
    const client = await box.client();
    const bodies = [
      'Top up gagal, saldo terpotong tapi tidak masuk.',
      'My transfer failed but the money left my account.',
      '转账失败，钱已经扣了但是对方没有收到。',
      'Akun saya diblokir tanpa alasan, tolong dibuka.',
    ];
    const sent = new Date(Date.now() - 86_400_000);
    try {
      for (let n = 1; n <= MESSAGES; n++) {
        await client.append('INBOX', mail(`crash-${n}`, { body: `${bodies[n % bodies.length]} Order ${n}, Rp ${n * 1000}.`, date: sent }));
      }
    } finally {
      await client.logout();
    }

    const dir = tempDir();
    const db = join(dir, 'complaints.db');
    const config = join(dir, 'complaint-monitor.json');
    // Batches of 100 (a transaction each): twenty commits for the ten kills to land between.
    writeFileSync(
      config,
      JSON.stringify({
        sources: [{ type: 'imap', name: 'care', host: '127.0.0.1', port: box.account().port, secure: false, user: box.user, passwordEnv: 'CRASH_TEST_IMAP_PASSWORD', folders: ['INBOX'], batchSize: 100 }],
      }),
    );
    const poll = () =>
      spawn(process.execPath, [BIN, 'poll', '--once', '--config', config, '--db', db, '--json'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: '', CM_CONFIG: '', CRASH_TEST_IMAP_PASSWORD: box.password },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    const storedCount = () => storedMessageCount(db);

    // Kill somewhere in each stretch of the run, after a random number of stored items.
    const killedAt = await killAtRandomPoints({ kills: KILLS, total: MESSAGES, start: poll, stored: storedCount, random, pollMs: 10, jitterMs: 40 });
    // Each run went further: the kills landed all over the backfill.
    expect(killedAt.at(-1), `stored when killed: ${killedAt.join(", ")}`).toBeLessThan(MESSAGES);
    expect(new Set(killedAt).size, `stored when killed: ${killedAt.join(", ")}`).toBeGreaterThan(KILLS / 2);

    const { code, stdout: out } = await runToEnd(poll());
    expect(code, out).toBe(0);
    const [source] = JSON.parse(out.trim().split('\n').at(-1)!).sources as { ok: boolean; quarantined: number }[];
    expect(source).toMatchObject({ ok: true, quarantined: 0 });

    const reader = new Database(db, { readonly: true });
    try {
      const rows = reader.prepare('select message_id as id from messages').all() as { id: string }[];
      const expected = Array.from({ length: MESSAGES }, (_, i) => `imap-test-crash-${i + 1}-${process.pid}@example.com`);
      expect(rows).toHaveLength(MESSAGES);
      expect(new Set(rows.map((r) => r.id.replace(/^<|>$/g, '')))).toEqual(new Set(expected));
      expect(reader.prepare('select count(*) as n from quarantine').get()).toEqual({ n: 0 });
      const [cursor] = reader.prepare("select value from connector_cursors where key = 'INBOX'").all() as { value: string }[];
      expect(cursor!.value).toMatch(new RegExp(`:${MESSAGES}$`));
    } finally {
      reader.close();
    }
  }, 240_000);
});
