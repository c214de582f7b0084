/**
 * The scheduler with real node-cron tasks on second-resolution schedules, driving the real X
 * connector against the fake X server into a real SQLite file.
 */
import { describe, expect, it } from 'vitest';
import { syntheticPosts } from '../fake-x/synthetic-posts.js';
import { scheduledX, sleep, SOURCE, until } from '../helpers/scheduled-x.js';
import { BRAND_ID, fakeXPerTest } from '../helpers/x.js';

const EVERY_SECOND = '*/1 * * * * *';
const fakeX = fakeXPerTest();

async function serverWith(posts: number) {
  const server = await fakeX();
  const burst = syntheticPosts(posts);
  server.addUsers(burst.users);
  server.addPosts(burst.tweets, { mentionsOf: BRAND_ID });
  return { server, burst };
}

describe('scheduler', () => {
  it('skips and counts the ticks that come while a run is still going (noOverlap), and a run asked for then', async () => {
    const { server } = await serverWith(30);
    server.inject({ kind: 'slow', ms: 2_500 });
    const s = scheduledX(server, { cron: EVERY_SECOND });
    s.scheduler.start();

    await until(() => server.requests.length > 0, 5_000, 'the first request');
    await until(async () => (await s.state()).running !== null, 2_000, 'the run to show as running');
    const manual = await s.scheduler.runNow(SOURCE);
    expect(manual).toMatchObject({ kind: 'running', run: { source: SOURCE, trigger: 'schedule' } });
    await until(async () => (await s.health()) !== undefined, 10_000, 'the first run to end');

    const first = server.requests[0]!;
    // While the slow first page was awaited, no second run asked anything.
    expect(server.requests.filter((r) => r.at > first.at && r.at < first.at + 2_400)).toEqual([]);
    const skipped = (await s.state()).skipped.running;
    expect(skipped).toBeGreaterThanOrEqual(1);
    expect(await s.metrics.expose()).toContain(`complaint_monitor_scheduler_skipped_ticks_total{source="${SOURCE}",reason="running"} ${skipped}`);
    expect(s.stored()).toBe(30);
  });

  it('after a failure, backs off: ticks are skipped until the backoff is over; a run by hand waives it', async () => {
    const { server } = await serverWith(10);
    server.inject({ kind: 'server-error', status: 503 }, { times: 1_000 });
    const s = scheduledX(server, { cron: EVERY_SECOND, scheduler: { backoffBaseSeconds: 60 } });
    s.scheduler.start();

    await until(async () => (await s.health())?.consecutiveFailures === 1, 5_000, 'the first failure');
    await sleep(2_500);
    expect(server.requests).toHaveLength(1);
    const state = await s.state();
    expect(state.skipped.backoff).toBeGreaterThanOrEqual(2);
    const failedAt = (await s.health())!.lastRunFinishedAt.getTime();
    expect(state.nextRunAt!.getTime()).toBeGreaterThanOrEqual(failedAt + 60_000);
    expect(state.nextRunAt!.getTime()).toBeLessThan(failedAt + 62_000);

    const manual = await s.scheduler.runNow(SOURCE);
    expect(manual.kind).toBe('started');
    await s.scheduler.current(SOURCE);
    expect((await s.health())!.consecutiveFailures).toBe(2);
    // The second failure doubles the wait.
    expect((await s.state()).nextRunAt!.getTime()).toBeGreaterThanOrEqual((await s.health())!.lastRunFinishedAt.getTime() + 120_000);
  });

  it("honours the source's retryNotBefore (a 429's reset), in this process and in a restarted one", async () => {
    const { server } = await serverWith(10);
    server.inject({ kind: 'rate-limit', resetInMs: 120_000 });
    const s = scheduledX(server, { cron: EVERY_SECOND });
    s.scheduler.start();

    await until(async () => (await s.health())?.retryNotBefore != null, 5_000, 'the rate limit to be recorded');
    const notBefore = (await s.health())!.retryNotBefore!;
    expect(notBefore.getTime()).toBeGreaterThan(Date.now() + 100_000);
    await sleep(2_000);
    expect(server.requests).toHaveLength(1);
    expect((await s.state()).skipped.retry_after).toBeGreaterThanOrEqual(1);
    expect(await s.scheduler.runNow(SOURCE)).toEqual({ kind: 'waiting', until: notBefore });
    await s.scheduler.stop(1_000);

    const restarted = scheduledX(server, { cron: EVERY_SECOND, db: s.db });
    restarted.scheduler.start();
    await sleep(2_000);
    expect(server.requests).toHaveLength(1);
    expect((await restarted.state()).skipped.retry_after).toBeGreaterThanOrEqual(1);
    expect((await restarted.state()).nextRunAt!.getTime()).toBeGreaterThanOrEqual(notBefore.getTime());
  });

  it('stops a run that overstays its timeout, records a timeout failure, and the next run stores everything once', async () => {
    const { server, burst } = await serverWith(30);
    server.inject({ kind: 'slow', ms: 3_000 }, { after: 1 });
    const s = scheduledX(server, { timeoutSeconds: 1 });

    const started = await s.scheduler.runNow(SOURCE);
    expect(started.kind).toBe('started');
    const result = (await s.scheduler.current(SOURCE))!;
    expect(result.error).toMatchObject({ kind: 'timeout', code: 'run_timeout' });
    expect((await s.health())!.lastError).toMatchObject({ kind: 'timeout', code: 'run_timeout' });
    // The first page was stored with its cursor before the second page's request hung.
    expect(s.stored()).toBe(10);
    await result.closing;

    expect((await s.scheduler.runNow(SOURCE)).kind).toBe('started');
    const second = (await s.scheduler.current(SOURCE))!;
    expect(second.error).toBeNull();
    const ids = (s.db.sqlite.prepare('select external_id as id from messages').all() as { id: string }[]).map((r) => r.id);
    expect(ids.sort()).toEqual(burst.tweets.map((t) => t.id).sort());
    expect(await s.metrics.expose()).toMatch(new RegExp(`complaint_monitor_connector_errors_total\\{source="${SOURCE}",kind="timeout"\\} 1`));
  });
});
