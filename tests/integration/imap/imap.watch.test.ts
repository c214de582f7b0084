/**
 * Continuous mode: `poll` without --once (the real bin) stores new mail on IDLE's word, long before
 * its interval, and stops cleanly on SIGINT; the IDLE watcher reconnects after a server restart.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectorError } from '../../../connectors/errors.js';
import { tempDir } from '../../helpers/db.js';
import { storedMessageCount } from '../../helpers/imap-inspect.js';
import { imapStore, mail, useDovecot } from '../../helpers/imap.js';

const ROOT = join(import.meta.dirname, '../../..');
const BIN = join(ROOT, 'bin/complaint-monitor.js');

const { server, mailbox } = useDovecot();

const until = async (what: string, ms: number, check: () => boolean): Promise<number> => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
};

describe('IMAP continuous mode', () => {
  it('poll stores new mail within seconds through IDLE, not at the next interval, and stops on SIGINT', async () => {
    const box = mailbox();
    await box.append('INBOX', mail(`${box.user}-before`));
    const dir = tempDir();
    const db = join(dir, 'complaints.db');
    const config = join(dir, 'complaint-monitor.json');
    writeFileSync(
      config,
      JSON.stringify({ sources: [{ type: 'imap', name: 'care', host: '127.0.0.1', port: box.account().port, secure: false, user: box.user, passwordEnv: 'WATCH_TEST_PW' }] }),
    );
    const child = spawn(process.execPath, [BIN, 'poll', '--interval', '3600', '--config', config, '--db', db], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: '', CM_CONFIG: '', WATCH_TEST_PW: box.password },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const count = () => storedMessageCount(db);
    try {
      await until('the first poll', 15_000, () => count() === 1);
      await new Promise((r) => setTimeout(r, 1_000)); // the IDLE connection is up
      await box.append('INBOX', mail(`${box.user}-after`));
      const waited = await until('the new message', 5_000, () => count() === 2);
      expect(waited).toBeLessThan(3_000); // the interval is an hour: only IDLE explains this
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited, err).toBe(0);
    expect(err).toContain('polling care every 3600 s');
    expect(out).toMatch(/care: read 1, stored 1/);
  });

  it('the IDLE watcher reports a dropped connection and reconnects after a server restart', async () => {
    const box = mailbox();
    const store = imapStore();
    const connector = store.connector(box.account());
    const controller = new AbortController();
    const errors: ConnectorError[] = [];
    let noticed = 0;
    const watching = connector.watch(
      controller.signal,
      () => noticed++,
      (e) => errors.push(e),
    );
    try {
      await new Promise((r) => setTimeout(r, 500));
      server().restart();
      await until('the dropped connection to be reported', 10_000, () => errors.length > 0);
      expect(errors[0]).toMatchObject({ kind: 'network', retryable: true });
      await new Promise((r) => setTimeout(r, 2_500)); // the first backoff is 1 s
      await box.append('INBOX', mail(`${box.user}-after-restart`));
      await until('IDLE on the new connection to notice the message', 5_000, () => noticed > 0);
    } finally {
      controller.abort();
      await watching;
    }
    expect(errors).toHaveLength(1);
  });
});
