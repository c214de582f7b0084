/**
 * GET /api/connectors, POST /api/connectors/:name/run and GET /metrics through inject, on a real
 * SQLite file, with the scheduler running the real X connector against the fake X server.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiRole } from '../../db/repository.js';
import { buildApp } from '../../src/api/app.js';
import { createApiToken } from '../../src/api/tokens.js';
import { parseConfig } from '../../src/config/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { syntheticPosts } from '../fake-x/synthetic-posts.js';
import { bearer } from '../helpers/api.js';
import { tempDb } from '../helpers/db.js';
import { NEVER, scheduledX, SOURCE } from '../helpers/scheduled-x.js';
import { BRAND_ID, fakeXPerTest } from '../helpers/x.js';

const fakeX = fakeXPerTest();

async function tokensFor(repo: Parameters<typeof createApiToken>[0]): Promise<Record<ApiRole, string>> {
  const tokens = {} as Record<ApiRole, string>;
  for (const role of ['social', 'desk', 'manager', 'admin'] as const) tokens[role] = (await createApiToken(repo, `${role}-t`, role)).token;
  return tokens;
}

async function setup(posts = 25) {
  const server = await fakeX();
  const burst = syntheticPosts(posts);
  server.addUsers(burst.users);
  server.addPosts(burst.tweets, { mentionsOf: BRAND_ID });
  const s = scheduledX(server, { cron: NEVER });
  s.scheduler.start();
  const tokens = await tokensFor(s.db.repository);
  const app = await buildApp({ repo: s.db.repository, pipeline: s.pipeline, config: s.config, scheduler: s.scheduler, metrics: s.metrics });
  afterAll(() => app.close());
  const get = (url: string, token?: string) => app.inject({ url, headers: token ? bearer(token) : {} });
  const run = (name: string, token?: string) => app.inject({ method: 'POST', url: `/api/connectors/${name}/run`, headers: token ? bearer(token) : {} });
  return { server, burst, s, app, tokens, get, run };
}

describe('connectors routes', () => {
  it('a run started by hand shows in the health: items, success, cursors, schedule, next run', async () => {
    const { s, tokens, get, run, burst } = await setup(25);
    const before = (await get('/api/connectors', tokens.manager)).json();
    expect(before).toMatchObject({ scheduler: 'running', connectors: [{ name: SOURCE, state: 'never_run', lastRun: null, cursors: [], running: null }] });

    const started = await run(SOURCE, tokens.admin);
    expect(started.statusCode).toBe(202);
    expect(started.json()).toEqual({ run: { id: expect.any(Number), source: SOURCE, trigger: 'manual', startedAt: expect.any(String) } });
    await s.scheduler.current(SOURCE);

    const body = (await get('/api/connectors', tokens.admin)).json();
    const [c] = body.connectors;
    expect(c).toEqual({
      name: SOURCE,
      type: 'x',
      channel: 'x',
      schedule: { cron: NEVER, timezone: 'Asia/Jakarta', timeoutSeconds: 600 },
      scheduled: true,
      state: 'ok',
      running: null,
      lastRun: { startedAt: expect.any(String), finishedAt: expect.any(String), items: 25 },
      lastSuccessAt: c.lastRun.finishedAt,
      consecutiveFailures: 0,
      lastError: null,
      cursors: [{ key: `mentions:${BRAND_ID}`, value: JSON.stringify({ since: burst.tweets.at(-1)!.id }), updatedAt: expect.any(String) }],
      retryNotBefore: null,
      // Midnight of 1 January in Jakarta (the default zone) is 17:00 UTC on 31 December.
      nextRunAt: expect.stringMatching(/-12-31T17:00:00\.000Z$/),
      skippedTicks: { running: 0, backoff: 0, retry_after: 0, stopping: 0, missed: 0 },
    });
  });

  it('a failed run shows its error kind, code and message; desk sees no X source, social does', async () => {
    const { server, s, tokens, get, run } = await setup(5);
    server.inject({ kind: 'unauthorized' });
    expect((await run(SOURCE, tokens.admin)).statusCode).toBe(202);
    await s.scheduler.current(SOURCE);
    const [c] = (await get('/api/connectors', tokens.social)).json().connectors;
    expect(c).toMatchObject({ state: 'failing', consecutiveFailures: 1, lastError: { kind: 'auth', code: expect.any(String), message: expect.stringContaining('bearer token'), at: expect.any(String) } });
    expect(JSON.stringify(c)).not.toContain(server.bearerToken);
    expect((await get('/api/connectors', tokens.desk)).json().connectors).toEqual([]);
  });

  it('401 without a token, 403 for a non-admin run, 404 for an unknown source, 409 while a run is going', async () => {
    const { server, s, tokens, get, run } = await setup(10);
    expect((await get('/api/connectors')).statusCode).toBe(401);
    expect((await run(SOURCE)).statusCode).toBe(401);
    for (const role of ['social', 'desk', 'manager'] as const) {
      const r = await run(SOURCE, tokens[role]);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('forbidden');
    }
    const unknown = await run('nope', tokens.admin);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ error: { code: 'not_found', message: 'no source named "nope"' } });
    expect((await get('/api/connectors?verbose=1', tokens.admin)).statusCode).toBe(400);

    server.inject({ kind: 'slow', ms: 1_500 });
    expect((await run(SOURCE, tokens.admin)).statusCode).toBe(202);
    const again = await run(SOURCE, tokens.admin);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('run_in_progress');
    const during = (await get('/api/connectors', tokens.admin)).json().connectors[0];
    expect(during.running).toMatchObject({ trigger: 'manual' });
    await s.scheduler.current(SOURCE);
    expect((await get('/api/connectors', tokens.admin)).json().connectors[0].running).toBeNull();
  });

  it('409 while the source asked to wait (a rate-limit reset), with the time', async () => {
    const { server, s, tokens, run } = await setup(5);
    server.inject({ kind: 'rate-limit', resetInMs: 300_000 });
    expect((await run(SOURCE, tokens.admin)).statusCode).toBe(202);
    await s.scheduler.current(SOURCE);
    const r = await run(SOURCE, tokens.admin);
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toEqual({ code: 'source_waiting', message: expect.stringMatching(/not to be called before \d{4}-/) });
  });

  it('without a scheduler: the stored health is listed, a run is a 409 scheduler_off', async () => {
    const db = tempDb();
    const config = parseConfig({ sources: [{ type: 'imap', name: 'care-inbox', host: 'imap.example.com', user: 'care', passwordEnv: 'PW' }] });
    const app = await buildApp({ repo: db.repository, pipeline: new Pipeline(config), config });
    afterAll(() => app.close());
    const tokens = await tokensFor(db.repository);
    const listed = (await app.inject({ url: '/api/connectors', headers: bearer(tokens.desk) })).json();
    expect(listed).toMatchObject({ scheduler: 'off', connectors: [{ name: 'care-inbox', type: 'imap', channel: 'email', scheduled: false, nextRunAt: null, skippedTicks: null, schedule: { cron: '* * * * *' } }] });
    const r = await app.inject({ method: 'POST', url: '/api/connectors/care-inbox/run', headers: bearer(tokens.admin) });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('scheduler_off');
  });
});

describe('GET /metrics', () => {
  it('after a run: items by status, runs, durations, last success, queue lag, HTTP requests; needs a manager or admin token', async () => {
    const f = await setup(25);
    f.server.inject({ kind: 'server-error' }, { after: 2 });
    await f.run(SOURCE, f.tokens.admin);
    await f.s.scheduler.current(SOURCE);
    await f.run(SOURCE, f.tokens.admin);
    await f.s.scheduler.current(SOURCE);
    await f.get('/api/cases?limit=1', f.tokens.manager);

    expect((await f.get('/metrics')).statusCode).toBe(401);
    expect((await f.get('/metrics', f.tokens.social)).statusCode).toBe(403);
    const r = await f.get('/metrics', f.tokens.manager);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = r.body;
    const value = (series: string) => {
      const line = text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const src = `source="${SOURCE}"`;
    // The first run stored two pages and failed on the third; the second stored the rest.
    expect(value(`complaint_monitor_ingested_items_total{${src},status="stored"}`)).toBe(25);
    expect(value(`complaint_monitor_ingested_items_total{${src},status="duplicate"}`)).toBe(0);
    expect(value(`complaint_monitor_connector_runs_total{${src},outcome="failed"}`)).toBe(1);
    expect(value(`complaint_monitor_connector_runs_total{${src},outcome="ok"}`)).toBe(1);
    expect(value(`complaint_monitor_connector_errors_total{${src},kind="server"}`)).toBe(1);
    expect(value(`complaint_monitor_connector_run_duration_seconds_count{${src}}`)).toBe(2);
    expect(value(`complaint_monitor_connector_run_duration_seconds_bucket{${src},le="+Inf"}`)).toBe(2);
    const lastSuccess = value(`complaint_monitor_connector_last_success_timestamp_seconds{${src}}`)!;
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(60);
    expect(value(`complaint_monitor_connector_consecutive_failures{${src}}`)).toBe(0);
    expect(value('complaint_monitor_oldest_unanswered_case_age_seconds{channel="x"}')).toBeGreaterThan(0);
    expect(value('complaint_monitor_http_requests_total{method="GET",route="/api/cases",status="200"}')).toBe(1);
    expect(value('complaint_monitor_http_requests_total{method="GET",route="/metrics",status="403"}')).toBe(1);
    expect(text).toContain('# TYPE complaint_monitor_connector_run_duration_seconds histogram');
    // Every line is a comment or `name{labels} number`.
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+(\{[^}]*\})? -?[\d.e+-]+|\w+(\{[^}]*\})? [+-]Inf|NaN)$/);
  });

  it('is open when the config says metrics.requireToken: false', async () => {
    const db = tempDb();
    const config = parseConfig({ metrics: { requireToken: false } });
    const open = await buildApp({ repo: db.repository, pipeline: new Pipeline(config), config });
    afterAll(() => open.close());
    const r = await open.inject({ url: '/metrics' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('# TYPE complaint_monitor_http_requests_total counter');
  });
});
