/**
 * `poll --once` on an X source killed with SIGKILL at random points of a burst, several times,
 * then run to the end: the database holds exactly the burst's posts, none lost, none twice, and
 * the cursor ends at the newest. The CLI is the real bin against the fake X server.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { syntheticPosts } from '../../fake-x/synthetic-posts.js';
import { tempDir } from '../../helpers/db.js';
import { storedMessageCount } from '../../helpers/imap-inspect.js';
import { BRAND_ID, fakeXPerTest } from '../../helpers/x.js';
import { killAtRandomPoints, runToEnd } from '../../helpers/kill-at-random.js';
import { seededRandom } from '../../helpers/seeded-random.js';

const BIN = join(import.meta.dirname, '../../../bin/complaint-monitor.js');
const POSTS = 600;
const KILLS = 4;
const fakeX = fakeXPerTest();

// Reproducible randomness: the seed is printed, and CM_TEST_SEED replays a failing run.
const { seed, random } = seededRandom();

describe('X burst under SIGKILL', () => {
  it(`killed ${KILLS} times at random points, restarted: exactly the burst's posts (seed ${seed})`, async () => {
    const server = await fakeX();
    const burst = syntheticPosts(POSTS, { retweetShare: 0.05, replyShare: 0.1 });
    server.addUsers(burst.users);
    server.addPosts(burst.tweets, { mentionsOf: BRAND_ID });
    // Every answer a little slow, so kills land between pages, inside fetches and inside commits.
    server.inject({ kind: 'slow', ms: 15 }, { times: 1_000_000 });

    const dir = tempDir();
    const db = join(dir, 'complaints.db');
    const config = join(dir, 'complaint-monitor.json');
    writeFileSync(
      config,
      JSON.stringify({ sources: [{ type: 'x', name: 'x-sakupay', baseUrl: server.url, bearerTokenEnv: 'CRASH_TEST_X_BEARER', brandUserIds: [BRAND_ID], pageSize: 20, maxPagesPerRun: 100 }] }),
    );
    const poll = () =>
      spawn(process.execPath, [BIN, 'poll', '--once', '--config', config, '--db', db, '--json'], {
        env: { ...process.env, DATABASE_URL: '', CM_CONFIG: '', CRASH_TEST_X_BEARER: server.bearerToken },
        stdio: ['ignore', 'pipe', 'pipe'],
      });

    // Kill somewhere in each stretch of the run, after a random number of stored items.
    const killedAt = await killAtRandomPoints({ kills: KILLS, total: POSTS, start: poll, stored: () => storedMessageCount(db), random, pollMs: 5, jitterMs: 30 });
    expect(killedAt.at(-1), `stored when killed: ${killedAt.join(', ')}`).toBeLessThan(POSTS);

    const { code, stdout: out } = await runToEnd(poll());
    expect(code, out).toBe(0);

    const reader = new Database(db, { readonly: true });
    try {
      const ids = (reader.prepare('select external_id as id from messages').all() as { id: string }[]).map((r) => r.id);
      expect(ids).toHaveLength(POSTS);
      expect(new Set(ids)).toEqual(new Set(burst.tweets.map((t) => t.id)));
      const [cursor] = reader.prepare("select value from connector_cursors where key = ?").all(`mentions:${BRAND_ID}`) as { value: string }[];
      expect(JSON.parse(cursor!.value)).toEqual({ since: burst.tweets.at(-1)!.id });
      // Every retweet counted once on its original's case, however the kills fell.
      const isRetweet = (id: string | undefined) => burst.tweets.find((t) => t.id === id)?.referenced_tweets?.[0]?.type === 'retweeted';
      // (A retweet of a retweet has no case to count on.)
      const reposts = burst.tweets.filter((t) => isRetweet(t.id) && !isRetweet(t.referenced_tweets![0]!.id)).length;
      expect(reposts).toBeGreaterThan(10);
      expect(reader.prepare("select count(*) as n from case_events where type = 'amplified'").get()).toEqual({ n: reposts });
    } finally {
      reader.close();
    }
  }, 120_000);
});
