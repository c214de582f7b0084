/**
 * npm run bench:api — the dashboard API under load, on a database of BENCH_API_MESSAGES messages
 * (default 1,000,000) in BENCH_API_CASES cases (default 400,000), built by bench/lib/synthetic-db.ts
 * and cached in bench/.cache.
 *
 *   1. In process, before any load: each scenario's request through Fastify's inject, with every
 *      SQL statement it runs timed and its EXPLAIN QUERY PLAN, and the response's zod encoding and
 *      JSON.stringify timed on their own: where a request's time goes.
 *   2. The built server (`complaint-monitor serve`, compiled JavaScript from dist/) in a child
 *      process, so the load generator does not share its event loop; autocannon on loopback, a
 *      manager token, per scenario a warm-up then BENCH_API_DURATION seconds (default 10) with
 *      BENCH_API_CONNECTIONS connections (default 10), pipelining 1:
 *        list           GET /api/cases?limit=50                   (the default queue)
 *        list-filtered  GET /api/cases?urgency=high&channel=x&limit=50
 *        list-q-id      GET /api/cases?q=penipuan&limit=50        (Indonesian: "fraud")
 *        list-q-en      GET /api/cases?q=crash&limit=50
 *        detail         GET /api/cases/:requestNumber             (random existing numbers)
 *      A scenario the server refuses with 400 (`q` before full-text search lands) is reported as
 *      "not available (400)", not run.
 *   3. With BENCH_API_CPU_PROF=1: the server again under --cpu-prof for the list and the detail,
 *      summarised by area (package, our folders, native code, GC) and function.
 *
 * BENCH_API_DB=path runs against an existing database file instead (a copy with an index to try,
 * a production snapshot); the bench adds one API token to it. BENCH_API_OUT names the results file
 * (default bench/results/api.json).
 *
 * Goal (issue 6): p99 under 25 ms and at least 2,000 req/s for the list on the 2-core machine.
 * Results: bench/results/api.json, and a table on stdout. The server's request log goes to
 * bench/.cache/api-server.log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon, { type Result } from 'autocannon';
import { z } from 'zod';
import { openSqlite } from '../db/sqlite/open-sqlite.js';
import { buildApp } from '../src/api/app.js';
import { caseDetailSchema, caseSummarySchema } from '../src/api/schemas.js';
import { createApiToken } from '../src/api/tokens.js';
import { parseConfig } from '../src/config/config.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { mulberry32 } from './generate-emails.js';
import { summariseCpuProfile, type CpuSummary } from './lib/cpu-profile.js';
import { traceSql, type StatementRun } from './lib/sql-trace.js';
import { syntheticDb } from './lib/synthetic-db.js';

const env = process.env;
const MESSAGES = Number(env.BENCH_API_MESSAGES ?? 1_000_000);
const CASES = Number(env.BENCH_API_CASES ?? 400_000);
const DURATION = Number(env.BENCH_API_DURATION ?? 10);
const WARMUP = Number(env.BENCH_API_WARMUP ?? 3);
const CONNECTIONS = Number(env.BENCH_API_CONNECTIONS ?? 10);
const CPU_PROF = env.BENCH_API_CPU_PROF === '1';
/** Terms in about 0.3% (Indonesian) and 0.7% (English) of the messages. */
const Q_TERMS = { id: env.BENCH_API_Q_ID ?? 'penipuan', en: env.BENCH_API_Q_EN ?? 'crash' };
const GOAL = { p99Ms: 25, listReqPerSec: 2000 };
/** In-process profile: requests per scenario (after 5 unmeasured ones). */
const PROFILE_REQUESTS = 20;

const ROOT = join(import.meta.dirname, '..');
const CACHE = join(import.meta.dirname, '.cache');
const BIN = join(ROOT, 'bin/complaint-monitor.js');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const ms = (n: number) => Math.round(n * 100) / 100;
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Scenario {
  name: string;
  label: string;
  /** The request path; the detail's changes per request. */
  path: () => string;
}

interface Measured {
  reqPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  requests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  serverPeakRssMiB: number;
  responseBytes: number;
}

type Outcome = { scenario: string; label: string; path: string } & ({ available: true; measured: Measured } | { available: false; status: number; error: string });

function scenarios(numbers: string[]): Scenario[] {
  let next = 0;
  const q = (term: string) => () => `/api/cases?q=${encodeURIComponent(term)}&limit=50`;
  return [
    { name: 'list', label: 'default list (limit 50)', path: () => '/api/cases?limit=50' },
    { name: 'list-filtered', label: 'list, urgency=high & channel=x', path: () => '/api/cases?urgency=high&channel=x&limit=50' },
    { name: 'list-q-id', label: `list, q=${Q_TERMS.id}`, path: q(Q_TERMS.id) },
    { name: 'list-q-en', label: `list, q=${Q_TERMS.en}`, path: q(Q_TERMS.en) },
    { name: 'detail', label: 'case detail, random numbers', path: () => `/api/cases/${numbers[next++ % numbers.length]}` },
  ];
}

/** Where one request's time goes, in this process: SQL statements, zod encoding, JSON. */
async function profileInProcess(dbPath: string, token: string, list: Scenario[]) {
  const { sqlite, repository } = openSqlite(dbPath);
  const trace = traceSql(sqlite);
  // The list cache off: this part shows what computing an answer costs.
  const config = parseConfig({ api: { listCacheMs: 0 } });
  const app = await buildApp({ repo: repository, pipeline: new Pipeline(config), config, logger: false });
  const headers = { authorization: `Bearer ${token}` };
  const listSchema = z.object({ cases: z.array(caseSummarySchema) });
  const out: Record<string, unknown> = {};
  for (const s of list) {
    const inject = () => app.inject({ method: 'GET', url: s.path(), headers });
    for (let i = 0; i < 5; i++) await inject();
    trace.take();
    const totals: number[] = [];
    const runs: StatementRun[] = [];
    let last = await inject();
    trace.take();
    for (let i = 0; i < PROFILE_REQUESTS; i++) {
      const t = performance.now();
      last = await inject();
      totals.push(performance.now() - t);
      runs.push(...trace.take());
    }
    if (last.statusCode !== 200) {
      out[s.name] = { status: last.statusCode, body: last.json() as unknown };
      continue;
    }
    const bySql = new Map<string, { runs: number[]; params: unknown[] }>();
    for (const r of runs) {
      const e = bySql.get(r.sql) ?? { runs: [], params: r.params };
      e.runs.push(r.ms);
      bySql.set(r.sql, e);
    }
    const payload = last.json() as unknown;
    const schema = s.name === 'detail' ? caseDetailSchema : listSchema;
    const timed = (fn: () => unknown) => {
      const xs: number[] = [];
      for (let i = 0; i < PROFILE_REQUESTS; i++) {
        const t = performance.now();
        fn();
        xs.push(performance.now() - t);
      }
      return ms(median(xs));
    };
    const statements = [...bySql].map(([sql, e]) => ({
      sql,
      perRequest: e.runs.length / PROFILE_REQUESTS,
      medianMs: ms(median(e.runs)),
      totalMsPerRequest: ms(e.runs.reduce((a, b) => a + b, 0) / PROFILE_REQUESTS),
      plan: trace.plan(sql, e.params),
    }));
    const sqlMs = statements.reduce((a, x) => a + x.totalMsPerRequest, 0);
    out[s.name] = {
      status: 200,
      responseBytes: last.rawPayload.length,
      injectMedianMs: ms(median(totals)),
      sqlMsPerRequest: ms(sqlMs),
      zodEncodeMs: timed(() => z.safeEncode(schema, payload as z.output<typeof schema>)),
      jsonStringifyMs: timed(() => JSON.stringify(payload)),
      statements,
    };
    log(`  ${s.name}: ${ms(median(totals))} ms per request in process, of which SQL ${ms(sqlMs)} ms`);
  }
  await app.close();
  await repository.close();
  return out;
}

/** A database file given with BENCH_API_DB: what it holds, counted. */
function existingDb(path: string) {
  if (!existsSync(path)) throw new Error(`BENCH_API_DB: no file ${path}`);
  const { sqlite } = openSqlite(path);
  const count = (table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const stats = { messages: count('messages'), cases: count('cases'), fileBytes: statSync(path).size };
  const indexes = sqlite.prepare("select name from sqlite_master where type = 'index' and sql is not null order by name").pluck().all() as string[];
  sqlite.close();
  return { path, reused: true, options: { given: path, indexes }, stats };
}

interface Server {
  child: ChildProcess;
  url: string;
  stop(): Promise<void>;
}

async function startServer(dbPath: string, nodeArgs: string[] = [], api: Record<string, unknown> = {}): Promise<Server> {
  const logFd = openSync(join(CACHE, 'api-server.log'), 'a');
  // The per-token rate limit (600 a minute by default) stays on, raised out of the load's way: the
  // bench measures serving, and a 429 answered in microseconds would only inflate req/s.
  const configPath = join(CACHE, 'api-bench.config.json');
  writeFileSync(configPath, JSON.stringify({ api: { rateLimit: { max: 1_000_000_000 }, ...api } }));
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', '--no-scheduler', '--no-samples', '--config', configPath, '--db', dbPath], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', logFd],
  });
  closeSync(logFd);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start within 120 s (see bench/.cache/api-server.log)')), 120_000);
    const rl = createInterface({ input: child.stdout! });
    rl.on('line', (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening (see bench/.cache/api-server.log)`));
    });
  });
  return {
    child,
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }),
  };
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

async function load(server: Server, token: string, s: Scenario, seconds: number): Promise<Result> {
  return autocannon({
    url: server.url,
    connections: CONNECTIONS,
    duration: seconds,
    pipelining: 1,
    timeout: 10,
    headers: { authorization: `Bearer ${token}` },
    requests: [{ method: 'GET', setupRequest: (request) => ({ ...request, path: s.path() }) }],
  });
}

async function measure(server: Server, token: string, s: Scenario): Promise<Outcome> {
  const probePath = s.path();
  const probe = await fetch(server.url + probePath, { headers: { authorization: `Bearer ${token}` } });
  const body = await probe.text();
  if (probe.status !== 200) {
    const message = (() => {
      try {
        return (JSON.parse(body) as { error?: { message?: string } }).error?.message ?? body;
      } catch {
        return body.slice(0, 200);
      }
    })();
    log(`  ${s.name}: not available (${probe.status}): ${message}`);
    return { scenario: s.name, label: s.label, path: probePath, available: false, status: probe.status, error: message };
  }
  await load(server, token, s, WARMUP);
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, rssMiB(server.child.pid!))), 250);
  const r = await load(server, token, s, DURATION);
  clearInterval(sampler);
  peak = Math.max(peak, rssMiB(server.child.pid!));
  const measured: Measured = {
    reqPerSec: Math.round(r.requests.total / r.duration),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    requests: r.requests.total,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, v]) => [code, v.count])),
    serverPeakRssMiB: Math.round(peak),
    responseBytes: Buffer.byteLength(body),
  };
  log(`  ${s.name}: ${fmt(measured.reqPerSec)} req/s, p50 ${measured.latencyMs.p50} ms, p99 ${measured.latencyMs.p99} ms, ${measured.non2xx} non-2xx, ${measured.errors} errors`);
  return { scenario: s.name, label: s.label, path: probePath, available: true, measured };
}

/** The server under --cpu-prof for one scenario's load: where its CPU goes. */
async function cpuProfile(dbPath: string, token: string, s: Scenario): Promise<CpuSummary> {
  const dir = join(CACHE, 'cpuprof');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const server = await startServer(dbPath, ['--cpu-prof', '--cpu-prof-dir', dir]);
  await load(server, token, s, WARMUP + DURATION);
  await server.stop();
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${dir}`);
  return summariseCpuProfile(join(dir, file));
}

function table(outcomes: Outcome[]): string {
  const rows = [['scenario', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'errors', 'non-2xx', 'p99 < 25 ms']];
  for (const o of outcomes) {
    if (!o.available) {
      rows.push([o.label, `not available (${o.status})`, '', '', '', '', '', '']);
      continue;
    }
    const m = o.measured;
    rows.push([o.label, fmt(m.reqPerSec), String(m.latencyMs.p50), String(m.latencyMs.p90), String(m.latencyMs.p99), String(m.errors), String(m.non2xx), m.latencyMs.p99 < GOAL.p99Ms && m.non2xx === 0 && m.errors === 0 ? 'yes' : 'NO']);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

async function main() {
  mkdirSync(CACHE, { recursive: true });
  if (!existsSync(join(ROOT, 'dist/.built'))) throw new Error('no build in dist/: run `npm run bench:api` (it builds first) or `npm run build`');
  const load0 = loadavg();
  // The servers of this run append to a fresh log (it also tells which build they ran).
  writeFileSync(join(CACHE, 'api-server.log'), '');
  const db = env.BENCH_API_DB ? existingDb(env.BENCH_API_DB) : await syntheticDb({ messages: MESSAGES, cases: CASES });
  log(`${db.reused ? 'reusing' : 'built'} ${db.path} (${fmt(db.stats.messages)} messages, ${fmt(db.stats.cases)} cases, ${(db.stats.fileBytes / 2 ** 30).toFixed(2)} GiB)`);

  // A manager token (every channel), request numbers to ask for, and how common the q terms are.
  const { sqlite, repository } = openSqlite(db.path);
  const { token } = await createApiToken(repository, `bench-api-${Date.now()}`, 'manager');
  const rand = mulberry32(11);
  const caseCount = (sqlite.prepare('select max(id) as n from cases').get() as { n: number }).n;
  const byId = sqlite.prepare('select request_number as n from cases where id = ?').pluck();
  const numbers = Array.from({ length: 2000 }, () => byId.get(1 + Math.floor(rand() * caseCount)) as string);
  const share = (term: string) => {
    const n = (sqlite.prepare('select count(*) as n from messages_fts where messages_fts match ?').get(`"${term}"`) as { n: number }).n;
    return { term, messages: n, share: Math.round((n / db.stats.messages) * 10_000) / 10_000 };
  };
  const qTerms = { id: share(Q_TERMS.id), en: share(Q_TERMS.en) };
  await repository.close();
  log(`q terms: "${qTerms.id.term}" in ${(qTerms.id.share * 100).toFixed(2)}% of messages, "${qTerms.en.term}" in ${(qTerms.en.share * 100).toFixed(2)}%`);

  const list = scenarios(numbers);
  log('in-process profile (inject, traced SQL)...');
  const profile = await profileInProcess(db.path, token, list);

  log(`load: ${CONNECTIONS} connections, ${WARMUP} s warm-up + ${DURATION} s per scenario`);
  const server = await startServer(db.path);
  const outcomes: Outcome[] = [];
  try {
    for (const s of list) outcomes.push(await measure(server, token, s));
  } finally {
    await server.stop();
  }
  // The same default list with the list cache off: every request computed (a queue that changes
  // between every two requests would be served like this).
  const uncached = await startServer(db.path, [], { listCacheMs: 0 });
  try {
    const s = list.find((x) => x.name === 'list')!;
    outcomes.push(await measure(uncached, token, { ...s, name: 'list-uncached', label: 'default list, cache off' }));
  } finally {
    await uncached.stop();
  }
  const serverLog = readFileSync(join(CACHE, 'api-server.log'), 'utf8');
  const runtime = serverLog.includes('running them through tsx') ? 'tsx (sources newer than dist/: numbers are pessimistic)' : 'dist (compiled)';

  let cpu: Record<string, CpuSummary> | undefined;
  if (CPU_PROF) {
    cpu = {};
    for (const s of list.filter((x) => x.name === 'list' || x.name === 'detail')) {
      log(`cpu profile: ${s.name}...`);
      cpu[s.name] = await cpuProfile(db.path, token, s);
    }
  }

  const listOutcome = outcomes.find((o) => o.scenario === 'list');
  // Only answered requests count: any error or non-2xx answer fails the goal whatever the rate.
  const listMet =
    listOutcome?.available === true &&
    listOutcome.measured.errors === 0 &&
    listOutcome.measured.non2xx === 0 &&
    listOutcome.measured.reqPerSec >= GOAL.listReqPerSec &&
    listOutcome.measured.latencyMs.p99 < GOAL.p99Ms;
  const result = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', loadAverageBefore: load0.map((x) => Math.round(x * 100) / 100) },
    server: runtime,
    database: { path: db.path.replace(ROOT + '/', ''), reused: db.reused, options: db.options, stats: db.stats },
    load: { tool: 'autocannon 8 (programmatic), loopback', connections: CONNECTIONS, pipelining: 1, warmupSeconds: WARMUP, seconds: DURATION },
    qTerms,
    scenarios: outcomes,
    goal: { ...GOAL, list: listMet ? 'MET' : 'NOT MET' },
    profile,
    ...(cpu ? { cpuProfile: cpu } : {}),
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  const out = env.BENCH_API_OUT ?? join(import.meta.dirname, 'results/api.json');
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  console.log(`\n${table(outcomes)}\n`);
  console.log(`server: ${runtime}; ${CONNECTIONS} connections; database ${fmt(db.stats.messages)} messages, ${fmt(db.stats.cases)} cases`);
  if (listOutcome?.available) {
    const m = listOutcome.measured;
    console.log(
      `goal for the list (p99 < ${GOAL.p99Ms} ms and >= ${fmt(GOAL.listReqPerSec)} req/s): ${listMet ? 'MET' : 'NOT MET'} ` +
        `(${fmt(m.reqPerSec)} req/s, p99 ${m.latencyMs.p99} ms; server peak RSS ${m.serverPeakRssMiB} MiB)`,
    );
  }
  console.log(`details: ${out.replace(ROOT + '/', '')}`);
}

await main();
