/**
 * npm run bench:x — the X connector against the fake X server, measured in one run over the same
 * pages (BENCH_POSTS generated mentions, default 100,000, served in pages of 100):
 *
 *   (a) the bare twitter-api-v2 client: GET /2/users/:id/mentions page after page with the same
 *       fields and expansions, nothing done with the posts;
 *   (b) the connector's pull alone: (a) plus schema check, mapping to RawItems and cursors, the
 *       events drained without storing (what the connector itself costs);
 *   (c) the connector's full ingest (`poll --once` without the CLI): (b) plus the pipeline and the
 *       SQLite store with cursors, into an empty database.
 *
 * Goal: (c) within 1.5x of (a). The fake server runs in its own process (it has the same cost in
 * every measure); the measures run in this one, through tsx. Rates are medians over BENCH_ROUNDS
 * (default 3); each round runs every measure in turn. Results: bench/results/x-mentions.json.
 *
 * A loopback server answers a page in 1 to 3 ms, which no deployment sees. So (a) and (c) are
 * measured once more against a second fake server that waits BENCH_LATENCY_MS (default 100) before
 * every answer, as one across the internet does, over BENCH_LATENCY_POSTS (default 20,000) posts:
 * the connector fetches the next page while the pipeline stores the current one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { xSourceSchema } from '../connectors/x/x.config.js';
import { createXClient } from '../connectors/x/x.config.js';
import { X_FIELDS, XConnector } from '../connectors/x/x.connector.js';
import { openSqlite } from '../db/sqlite/open-sqlite.js';
import { parseConfig } from '../src/config/config.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { runSource } from '../src/scheduler/run-source.js';
import { startFakeX } from '../tests/fake-x/fake-x-server.js';
import { syntheticPosts } from '../tests/fake-x/synthetic-posts.js';

const POSTS = Number(process.env.BENCH_POSTS ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PAGE = 100;
const BRAND = '1188870323419996160';
const TOKEN_ENV = 'BENCH_X_BEARER';
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const LATENCY_POSTS = Number(process.env.BENCH_LATENCY_POSTS ?? 20_000);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Child role: a fake X server holding `count` mentions, no rate limit in the way; prints its URL. */
async function serve(count: number, latencyMs: number): Promise<void> {
  const server = await startFakeX({ rateLimit: 1_000_000_000 });
  if (latencyMs > 0) server.inject({ kind: 'slow', ms: latencyMs }, { times: Number.MAX_SAFE_INTEGER });
  // 5% retweets, 10% replies: the mix a burst of mentions has.
  const posts = syntheticPosts(count, { authors: Math.ceil(count / 4), retweetShare: 0.05, replyShare: 0.1 });
  server.addUsers(posts.users);
  server.addPosts(posts.tweets, { mentionsOf: BRAND });
  const bytes = posts.tweets.reduce((a, t) => a + t.text.length, 0);
  console.log(JSON.stringify({ url: server.url, token: server.bearerToken, averageTextChars: Math.round(bytes / posts.tweets.length) }));
  process.stdin.resume();
  process.stdin.once('end', () => void server.close().then(() => process.exit(0)));
}

async function startServerProcess(count: number, latencyMs = 0): Promise<{ child: ChildProcess; url: string; token: string; averageTextChars: number }> {
  const child = spawn(process.execPath, [...process.execArgv, import.meta.filename, 'serve', String(count), String(latencyMs)], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env } });
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake X server exited (${code})`)));
  });
  return { child, ...(JSON.parse(line) as { url: string; token: string; averageTextChars: number }) };
}

function source(url: string, over: Record<string, unknown> = {}) {
  return xSourceSchema.parse({ type: 'x', name: 'bench-x', baseUrl: url, bearerTokenEnv: TOKEN_ENV, brandUserIds: [BRAND], pageSize: PAGE, maxPagesPerRun: Math.ceil(Math.max(POSTS, LATENCY_POSTS) / PAGE) + 1, ...over });
}

/** (a) The bare client: every page, nothing done with it. */
async function bare(url: string, env: NodeJS.ProcessEnv): Promise<{ seconds: number; posts: number; pages: number }> {
  const client = createXClient(source(url), env);
  const started = performance.now();
  let posts = 0;
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await client.v2.get<{ data?: unknown[]; meta: { next_token?: string } }>(`users/${BRAND}/mentions`, {
      ...X_FIELDS,
      max_results: PAGE,
      ...(token ? { pagination_token: token } : {}),
    });
    posts += page.data?.length ?? 0;
    pages++;
    token = page.meta.next_token;
  } while (token);
  return { seconds: (performance.now() - started) / 1000, posts, pages };
}

/** (b) The connector's pull, events drained. */
async function pullOnly(url: string, env: NodeJS.ProcessEnv): Promise<{ seconds: number; items: number }> {
  const connector = new XConnector(source(url), { env });
  const started = performance.now();
  let items = 0;
  for await (const e of connector.pull({ get: async () => null })) if (e.kind === 'item') items++;
  return { seconds: (performance.now() - started) / 1000, items };
}

/** (c) The full ingest into an empty database. */
async function ingest(url: string, env: NodeJS.ProcessEnv, dbPath: string): Promise<{ seconds: number; stored: number }> {
  const opened = openSqlite(dbPath);
  try {
    const pipeline = new Pipeline(parseConfig({}));
    const started = performance.now();
    const result = await runSource(new XConnector(source(url), { env }), { repo: opened.repository, pipeline, batchSize: parseConfig({}).ingest.batchSize });
    const seconds = (performance.now() - started) / 1000;
    if (result.error) throw result.error;
    return { seconds, stored: result.summary.stored };
  } finally {
    await opened.repository.close();
  }
}

async function main(): Promise<void> {
  log(`starting the fake X server with ${fmt(POSTS)} generated mentions...`);
  const server = await startServerProcess(POSTS);
  const env = { [TOKEN_ENV]: server.token };
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-x-'));
  try {
    log('warming up (one bare read)...');
    await bare(server.url, env);
    const rounds: { bare: number; pull: number; ingest: number }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const a = await bare(server.url, env);
      const b = await pullOnly(server.url, env);
      const dbPath = join(dir, `round-${round}.db`);
      const c = await ingest(server.url, env, dbPath);
      for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
      if (a.posts !== POSTS || b.items !== POSTS || c.stored !== POSTS) throw new Error(`expected ${POSTS} posts everywhere, got bare ${a.posts}, pull ${b.items}, stored ${c.stored}`);
      rounds.push({ bare: a.seconds, pull: b.seconds, ingest: c.seconds });
      log(
        `  round ${round}: bare ${a.seconds.toFixed(2)} s (${a.pages} pages), pull ${b.seconds.toFixed(2)} s (${(b.seconds / a.seconds).toFixed(2)}x), ` +
          `ingest ${c.seconds.toFixed(2)} s (${(c.seconds / a.seconds).toFixed(2)}x)`,
      );
    }
    const med = (f: (r: (typeof rounds)[number]) => number) => median(rounds.map(f));
    const latency = LATENCY_POSTS > 0 ? await overLatency(dir) : null;
    const result = {
      date: new Date().toISOString().slice(0, 10),
      node: process.version,
      posts: POSTS,
      pageSize: PAGE,
      averageTextChars: server.averageTextChars,
      rounds: ROUNDS,
      seconds: { bareClient: +med((r) => r.bare).toFixed(2), connectorPull: +med((r) => r.pull).toFixed(2), connectorIngest: +med((r) => r.ingest).toFixed(2) },
      postsPerSecond: { bareClient: Math.round(POSTS / med((r) => r.bare)), connectorPull: Math.round(POSTS / med((r) => r.pull)), connectorIngest: Math.round(POSTS / med((r) => r.ingest)) },
      pullVsBare: +med((r) => r.pull / r.bare).toFixed(2),
      ingestVsBare: +med((r) => r.ingest / r.bare).toFixed(2),
      withLatency: latency,
    };
    writeFileSync(join(import.meta.dirname, 'results', 'x-mentions.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    console.log(`
| measure (${fmt(POSTS)} mentions, pages of ${PAGE}, fake X server on 127.0.0.1) | seconds | posts/s | vs (a) |
|---|---:|---:|---:|
| (a) bare twitter-api-v2 client, every page | ${result.seconds.bareClient} | ${fmt(result.postsPerSecond.bareClient)} | 1x |
| (b) connector pull (schema check, mapping, cursors), nothing stored | ${result.seconds.connectorPull} | ${fmt(result.postsPerSecond.connectorPull)} | ${result.pullVsBare}x |
| (c) connector ingest: pipeline + SQLite with cursors, empty database | ${result.seconds.connectorIngest} | ${fmt(result.postsPerSecond.connectorIngest)} | ${result.ingestVsBare}x |
`);
    if (latency) {
      console.log(`| measure (${fmt(latency.posts)} mentions, pages of ${PAGE}, every answer after ${latency.latencyMs} ms) | seconds | posts/s | vs (a) |
|---|---:|---:|---:|
| (a) bare twitter-api-v2 client, every page | ${latency.seconds.bareClient} | ${fmt(latency.postsPerSecond.bareClient)} | 1x |
| (c) connector ingest: pipeline + SQLite with cursors, empty database | ${latency.seconds.connectorIngest} | ${fmt(latency.postsPerSecond.connectorIngest)} | ${latency.ingestVsBare}x |
`);
    }
  } finally {
    server.child.stdin?.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** (a) and (c) once each against a server that answers every request after LATENCY_MS. */
async function overLatency(dir: string) {
  log(`starting a fake X server with ${fmt(LATENCY_POSTS)} mentions, answering after ${LATENCY_MS} ms...`);
  const server = await startServerProcess(LATENCY_POSTS, LATENCY_MS);
  const env = { [TOKEN_ENV]: server.token };
  try {
    const a = await bare(server.url, env);
    const dbPath = join(dir, 'latency.db');
    const c = await ingest(server.url, env, dbPath);
    if (a.posts !== LATENCY_POSTS || c.stored !== LATENCY_POSTS) throw new Error(`expected ${LATENCY_POSTS} posts, got bare ${a.posts}, stored ${c.stored}`);
    log(`  ${LATENCY_MS} ms per answer: bare ${a.seconds.toFixed(2)} s (${a.pages} pages), ingest ${c.seconds.toFixed(2)} s (${(c.seconds / a.seconds).toFixed(2)}x)`);
    return {
      posts: LATENCY_POSTS,
      latencyMs: LATENCY_MS,
      seconds: { bareClient: +a.seconds.toFixed(2), connectorIngest: +c.seconds.toFixed(2) },
      postsPerSecond: { bareClient: Math.round(LATENCY_POSTS / a.seconds), connectorIngest: Math.round(LATENCY_POSTS / c.seconds) },
      ingestVsBare: +(c.seconds / a.seconds).toFixed(2),
    };
  } finally {
    server.child.stdin?.end();
  }
}

if (process.argv[2] === 'serve') await serve(Number(process.argv[3]), Number(process.argv[4]));
else await main();
