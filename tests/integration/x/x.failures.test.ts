/**
 * The X connector when X says no: 429 (window and monthly cap), 401, 403, 5xx, malformed JSON,
 * timeouts. Each ends in a clear error in connector health, no retry storm, and a cursor that
 * neither skips nor repeats posts. Resets are set a second or two ahead so the tests stay fast.
 */
import { describe, expect, it } from 'vitest';
import type { FakeX } from '../../fake-x/fake-x-server.js';
import { syntheticPosts } from '../../fake-x/synthetic-posts.js';
import { BRAND_ID, fakeXPerTest, TOKEN_ENV, waitUntil, xStore } from '../../helpers/x.js';

const fakeX = fakeXPerTest();
const PAGED = { pageSize: 10, maxPagesPerRun: 10 };

function seed(server: FakeX, n: number) {
  const posts = syntheticPosts(n);
  server.addUsers(posts.users);
  server.addPosts(posts.tweets, { mentionsOf: BRAND_ID });
  return posts.tweets;
}

function storedIds(store: ReturnType<typeof xStore>): string[] {
  return store.rows<{ external_id: string }>('select external_id from messages order by external_id').map((r) => r.external_id);
}

const sortedIds = (tweets: { id: string }[]) => tweets.map((t) => t.id).sort();

describe('X connector failures', () => {
  it('429 mid-pagination: stops, persists the reset, a restarted poller does not call before it, then resumes with nothing lost or doubled', async () => {
    const server = await fakeX();
    const tweets = seed(server, 45);
    server.inject({ kind: 'rate-limit', resetInMs: 1_500 }, { after: 2 });
    const store = xStore();

    const first = await store.run(store.connector(server, PAGED));
    expect(first.error).toMatchObject({ kind: 'rate_limit', code: 'x_rate_limited', retryable: true });
    expect(first.error!.message).toMatch(/rate limited \(429\) until \d{4}-\d\d-\d\dT/);
    expect(first.summary.stored).toBe(20);
    const health = await store.health();
    expect(health).toMatchObject({ state: 'failing', lastError: { kind: 'rate_limit', code: 'x_rate_limited' } });
    expect(server.requests.map((r) => r.status)).toEqual([200, 200, 429]);
    const notBefore = health!.retryNotBefore!;
    expect(notBefore.getTime()).toBeGreaterThan(Date.now());

    // A new connector, as after a restart: the stored reset keeps it from calling X.
    const early = await store.run(store.connector(server, PAGED));
    expect(early.error).toMatchObject({ kind: 'rate_limit', code: 'waiting' });
    expect(early.error!.message).toContain(`not called before ${notBefore.toISOString()}`);
    expect(early.attempts).toBe(0);
    expect(server.requests).toHaveLength(3);

    await waitUntil(notBefore);
    const resumed = await store.run(store.connector(server, PAGED));
    expect(resumed.error).toBeNull();
    expect(resumed.summary).toMatchObject({ read: 25, stored: 25, duplicates: 0 });
    expect(storedIds(store)).toEqual(sortedIds(tweets));
    expect(server.requests.slice(3).every((r) => r.at >= notBefore.getTime() && r.status === 200)).toBe(true);
    expect((await store.health())!.state).toBe('ok');
  });

  it('429 with a reset a moment away (the older errors[code 88] body): the run waits for it, asks again after, and finishes', async () => {
    const server = await fakeX();
    const tweets = seed(server, 30);
    server.inject({ kind: 'rate-limit', resetInMs: 1_200, body: 'v1' }, { after: 1 });
    const store = xStore();

    const result = await store.run(store.connector(server, PAGED), { attempts: 3, baseDelayMs: 50, maxDelayMs: 10_000 });
    expect(result.error).toBeNull();
    expect(result.attempts).toBe(2);
    expect(result.summary).toMatchObject({ read: 30, stored: 30, duplicates: 0 });
    expect(storedIds(store)).toEqual(sortedIds(tweets));
    const limited = server.requests.findIndex((r) => r.status === 429);
    expect(limited).toBe(1);
    const resetMs = Math.ceil((server.requests[limited]!.at + 1_200) / 1000) * 1000;
    expect(server.requests.slice(limited + 1).every((r) => r.at >= resetMs)).toBe(true);
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('a used-up window (remaining 0) ends the run well and holds the next one until the reset', async () => {
    const server = await fakeX({ rateLimit: 3, windowMs: 1_500 });
    const tweets = seed(server, 55);
    const store = xStore();

    const first = await store.run(store.connector(server, PAGED));
    expect(first.error).toBeNull();
    expect(first.summary.stored).toBe(30);
    expect(server.requests).toHaveLength(3);
    const health = await store.health();
    expect(health).toMatchObject({ state: 'ok' });
    expect(health!.retryNotBefore!.getTime()).toBeGreaterThan(Date.now());

    const early = await store.run(store.connector(server, PAGED));
    expect(early.error).toMatchObject({ code: 'waiting' });
    expect(server.requests).toHaveLength(3);

    await waitUntil(health!.retryNotBefore!);
    const second = await store.run(store.connector(server, PAGED));
    expect(second.error).toBeNull();
    expect(second.summary).toMatchObject({ stored: 25, duplicates: 0 });
    expect(storedIds(store)).toEqual(sortedIds(tweets));
    expect(server.requests.filter((r) => r.status === 429)).toHaveLength(0);
  });

  it('the monthly usage cap is a clear error, asked once, and not asked again for hours', async () => {
    const server = await fakeX();
    seed(server, 5);
    server.inject({ kind: 'usage-cap' });
    const store = xStore({ retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });

    const result = await store.run(store.connector(server));
    expect(result.error).toMatchObject({ kind: 'rate_limit', code: 'x_usage_cap', retryable: false });
    expect(result.error!.message).toMatch(/monthly usage cap is reached \(UsageCapExceeded: Usage cap exceeded: Monthly product cap\)/);
    expect(result.attempts).toBe(1);
    expect(server.requests).toHaveLength(1);
    const health = await store.health();
    expect(health).toMatchObject({ state: 'failing', lastError: { kind: 'rate_limit', code: 'x_usage_cap' } });
    expect(health!.retryNotBefore!.getTime()).toBeGreaterThan(Date.now() + 5 * 3_600_000);

    const next = await store.run(store.connector(server));
    expect(next.error).toMatchObject({ code: 'waiting' });
    expect(server.requests).toHaveLength(1);
  });

  it('401: a wrong bearer token is an auth error naming the variable, tried once', async () => {
    const server = await fakeX();
    seed(server, 5);
    const store = xStore({ retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });

    const result = await store.run(store.connector(server, {}, { [TOKEN_ENV]: 'not-the-token' }));
    expect(result.error).toMatchObject({ kind: 'auth', code: 'x_unauthorized', retryable: false });
    expect(result.error!.message).toContain(`check ${TOKEN_ENV}`);
    expect(result.error!.message).not.toContain('not-the-token');
    expect(server.requests).toHaveLength(1);
    expect(await store.health()).toMatchObject({ state: 'failing', consecutiveFailures: 1, lastError: { kind: 'auth', code: 'x_unauthorized' } });
  });

  it('a missing bearer token variable is a configuration error before any request', async () => {
    const server = await fakeX();
    const store = xStore();
    const result = await store.run(store.connector(server, {}, {}));
    expect(result.error).toMatchObject({ kind: 'config', code: 'x_config', retryable: false });
    expect(result.error!.message).toContain(`environment variable ${TOKEN_ENV} is not set`);
    expect(server.requests).toHaveLength(0);
  });

  it('403 client-not-enrolled: a configuration error that says what to fix, tried once', async () => {
    const server = await fakeX();
    seed(server, 5);
    server.inject({ kind: 'not-enrolled' }, { times: 5 });
    const store = xStore({ retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });

    const result = await store.run(store.connector(server));
    expect(result.error).toMatchObject({ kind: 'config', code: 'x_client_not_enrolled', retryable: false });
    expect(result.error!.message).toContain('attach it to a Project');
    expect(server.requests).toHaveLength(1);
    expect(await store.health()).toMatchObject({ lastError: { code: 'x_client_not_enrolled' } });
  });

  it('malformed JSON mid-pagination: the run stops cleanly; the next run carries on below the last stored post', async () => {
    const server = await fakeX();
    const tweets = seed(server, 45);
    server.inject({ kind: 'malformed' }, { after: 2 });
    const store = xStore();

    const first = await store.run(store.connector(server, PAGED));
    expect(first.error).toMatchObject({ kind: 'server', code: 'x_invalid_response', retryable: true });
    expect(first.error!.message).toContain('not valid JSON');
    expect(first.summary.stored).toBe(20);
    const cursor = JSON.parse(store.cursor(`mentions:${BRAND_ID}`)!) as { until: string };
    const stored = storedIds(store);
    expect(cursor.until).toBe(stored[0]);

    const second = await store.run(store.connector(server, PAGED));
    expect(second.error).toBeNull();
    expect(second.summary).toMatchObject({ read: 25, stored: 25, duplicates: 0 });
    expect(storedIds(store)).toEqual(sortedIds(tweets));
  });

  it('5xx mid-pagination is retried with backoff within the run; nothing lost or doubled', async () => {
    const server = await fakeX();
    const tweets = seed(server, 45);
    server.inject({ kind: 'server-error', status: 503 }, { after: 1 });
    const store = xStore();

    const result = await store.run(store.connector(server, PAGED), { attempts: 3, baseDelayMs: 20, maxDelayMs: 1_000 });
    expect(result.error).toBeNull();
    expect(result.attempts).toBe(2);
    expect(result.summary).toMatchObject({ stored: 45, duplicates: 0 });
    expect(storedIds(store)).toEqual(sortedIds(tweets));
    expect(server.requests.map((r) => r.status)).toEqual([200, 503, 200, 200, 200, 200]);
  });

  it('a server that answers too slowly is a network timeout, and what came before stays stored', async () => {
    const server = await fakeX();
    seed(server, 25);
    server.inject({ kind: 'slow', ms: 1_500 }, { after: 1 });
    const store = xStore();

    const result = await store.run(store.connector(server, { ...PAGED, timeoutMs: 200 }));
    expect(result.error).toMatchObject({ kind: 'network', code: 'x_timeout', retryable: true });
    expect(result.error!.message).toContain('no answer in time: Request timeout.');
    expect(result.summary.stored).toBe(10);
    expect(JSON.parse(store.cursor(`mentions:${BRAND_ID}`)!)).toHaveProperty('until');
  });

  it('a page that is JSON but not the documented shape is a clear error naming the field; nothing of it is stored', async () => {
    const server = await fakeX();
    const tweets = seed(server, 25);
    server.inject({ kind: 'bad-shape' }, { after: 1 });
    const store = xStore();

    const first = await store.run(store.connector(server, PAGED));
    expect(first.error).toMatchObject({ kind: 'server', code: 'x_invalid_response' });
    expect(first.error!.message).toMatch(/unexpected response shape: data\.0\.id: /);
    expect(first.summary.stored).toBe(10);
    const second = await store.run(store.connector(server, PAGED));
    expect(second.summary).toMatchObject({ stored: 15, duplicates: 0 });
    expect(storedIds(store)).toEqual(sortedIds(tweets));
  });
});
