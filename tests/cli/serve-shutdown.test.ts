/**
 * `serve` with a scheduled X source, as a user runs it (the real bin, a real SQLite file, the fake
 * X server answering slowly), stopped with SIGTERM in the middle of a burst: it exits within 10 s,
 * the stored posts are exactly what the stored cursor says, and the next start stores the rest once.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { syntheticPosts } from '../fake-x/synthetic-posts.js';
import { tempDir } from '../helpers/db.js';
import { storedMessageCount } from '../helpers/imap-inspect.js';
import { until } from '../helpers/scheduled-x.js';
import { BRAND_ID, fakeXPerTest } from '../helpers/x.js';

const BIN = join(import.meta.dirname, '../../bin/complaint-monitor.js');
const POSTS = 300;
const fakeX = fakeXPerTest();

function serve(config: string, db: string, bearer: string) {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config', config, '--db', db], {
    env: { ...process.env, DATABASE_URL: '', CM_CONFIG: '', SHUTDOWN_TEST_X_BEARER: bearer },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

function stored(db: string) {
  const reader = new Database(db, { readonly: true });
  try {
    const ids = (reader.prepare('select external_id as id from messages').all() as { id: string }[]).map((r) => r.id);
    const cursor = (reader.prepare('select value from connector_cursors where key = ?').get(`mentions:${BRAND_ID}`) as { value: string } | undefined)?.value;
    const failing = reader.prepare("select count(*) as n from connector_health where state = 'failing'").get() as { n: number };
    return { ids, cursor: cursor === undefined ? null : (JSON.parse(cursor) as { since?: string; until?: string; newest?: string }), failing: failing.n };
  } finally {
    reader.close();
  }
}

describe('serve stopped with SIGTERM during a scheduled run', () => {
  it('exits within 10 s, loses nothing, and the next start stores the rest exactly once', async () => {
    const server = await fakeX();
    const burst = syntheticPosts(POSTS);
    server.addUsers(burst.users);
    server.addPosts(burst.tweets, { mentionsOf: BRAND_ID });
    // Every page a little slow: the run takes several seconds, and the signal lands mid-burst.
    server.inject({ kind: 'slow', ms: 250 }, { times: 1_000_000 });

    const dir = tempDir();
    const db = join(dir, 'complaints.db');
    const config = join(dir, 'complaint-monitor.json');
    writeFileSync(
      config,
      JSON.stringify({
        sources: [
          { type: 'x', name: 'x-sakupay', baseUrl: server.url, bearerTokenEnv: 'SHUTDOWN_TEST_X_BEARER', brandUserIds: [BRAND_ID], pageSize: 20, maxPagesPerRun: 100, schedule: { cron: '*/1 * * * * *' } },
        ],
      }),
    );

    const first = serve(config, db, server.bearerToken);
    await until(() => storedMessageCount(db) >= 60, 30_000, 'part of the burst to be stored');
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    const code = await first.exited;
    const tookMs = Date.now() - signalledAt;
    expect(code, first.output()).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    expect(first.output()).toContain('run stopped by shutdown');

    const partial = stored(db);
    expect(partial.ids.length).toBeGreaterThan(0);
    expect(partial.ids.length).toBeLessThan(POSTS);
    // X answers newest first: what is stored is exactly the newest posts down to the cursor's `until`.
    const until_ = BigInt(partial.cursor!.until!);
    const covered = burst.tweets.filter((t) => BigInt(t.id) >= until_).map((t) => t.id);
    expect(new Set(partial.ids)).toEqual(new Set(covered));
    expect(partial.cursor!.newest).toBe(burst.tweets.at(-1)!.id);
    // A stop is not a failure of the source: no backoff after the restart.
    expect(partial.failing).toBe(0);

    const second = serve(config, db, server.bearerToken);
    await until(() => stored(db).cursor?.since !== undefined, 30_000, 'the rest of the burst to be stored');
    second.child.kill('SIGTERM');
    expect(await second.exited, second.output()).toBe(0);

    const all = stored(db);
    expect(all.ids).toHaveLength(POSTS);
    expect(new Set(all.ids)).toEqual(new Set(burst.tweets.map((t) => t.id)));
    expect(all.cursor).toEqual({ since: burst.tweets.at(-1)!.id });
  }, 90_000);
});
