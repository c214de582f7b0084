/**
 * npm run bench:ingest — ingest throughput, measured in one run:
 *
 *   1. bare mailparser.simpleParser (its defaults) over N generated messages held in memory;
 *   2. our email parser alone over the same messages;
 *   3. the full import pipeline from an mbox file of the same messages (file connector, parse,
 *      normalise, redact, classify, request numbers, urgency, dedupe, SQLite store) into an empty
 *      database;
 *   4. the same import into a database already holding 1,000,000 messages;
 *   5. (3) without complaint categories and case facts, to price them (goal: (3) >= 90% of (5)).
 *
 * Goals: (3) >= 80% of (1); (4) >= 80% of (3). Each round measures everything in turn; rates are
 * medians over rounds, ratios medians of the per-round ratios.
 * Options: BENCH_MESSAGES (default 20000), BENCH_PREFILL (default 1000000), BENCH_ROUNDS (3),
 * BENCH_PROFILE (realistic: messages as Gmail/Outlook/phones deliver them, with relay and DKIM
 * headers and HTML alternatives; small: bare minimal messages, the worst case for our overhead).
 * The prefilled database is cached in bench/.cache (about 3 GB) and reused while the schema stays.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { parseEmail } from '../connectors/email/parse-email.js';
import { createEmailParser, defaultWorkerCount } from '../connectors/email/parse-pool.js';
import { FileConnector } from '../connectors/file/file.connector.js';
import type { RawItem } from '../connectors/types.js';
import { openSqlite, SQLITE_MIGRATIONS } from '../db/sqlite/open-sqlite.js';
import { parseConfig, type Config } from '../src/config/config.js';
import { ingest } from '../src/pipeline/ingest.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { generateEmails, mulberry32, toMbox } from './generate-emails.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 20_000);
const PREFILL = Number(process.env.BENCH_PREFILL ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROFILE = process.env.BENCH_PROFILE === 'small' ? 'small' : 'realistic';
const AUTHORS = Math.max(1, Math.floor(MESSAGES / 4));
const CACHE = join(import.meta.dirname, '.cache');

const config = parseConfig({});
/** The same pipeline without complaint categories and case facts, to price them. */
const plainConfig = parseConfig({ categories: { enabled: false }, facts: { enabled: false } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const log = (s: string) => process.stderr.write(`${s}\n`);
const pct = (r: number) => `${Math.round(r * 100)}%`;
let peakRss = 0;

async function eachSerially<T>(xs: T[], fn: (x: T) => Promise<unknown>): Promise<void> {
  for (const x of xs) await fn(x);
}

async function importInto(dbPath: string, mbox: string, workers: number, cfg: Config = config): Promise<void> {
  const { repository } = openSqlite(dbPath);
  const pipeline = new Pipeline(cfg);
  const parser = createEmailParser(workers);
  const connector = new FileConnector({
    paths: [mbox],
    source: 'bench',
    maxMessageBytes: config.ingest.maxMessageBytes,
    parseTimeoutMs: config.ingest.parseTimeoutMs,
    parser,
  });
  const summary = await ingest(connector.pull(), repository, pipeline, {
    batchSize: config.ingest.batchSize,
    onProgress: () => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    },
  });
  await repository.close();
  await parser.close();
  if (summary.read !== MESSAGES || summary.quarantined !== 0) throw new Error(`unexpected import summary ${JSON.stringify(summary)}`);
}

/**
 * A database with `count` stored messages, filled through the real pipeline and store (with
 * synthetic, already-parsed items, which is faster than MIME parsing but writes the same rows,
 * cases, references and events). The benchmark's customers are among its authors.
 */
async function prefilled(count: number): Promise<string> {
  // The cache is only good for the schema it was built with.
  const schema = createHash('sha256').update(readFileSync(join(SQLITE_MIGRATIONS, 'meta/_journal.json'))).digest('hex').slice(0, 12);
  const path = join(CACHE, `prefilled-${count}-${schema}.db`);
  if (existsSync(path)) return path;
  log(`building ${path} (${fmt(count)} messages, once)...`);
  const tmp = `${path}.building`;
  rmSync(tmp, { force: true });
  const { repository, sqlite } = openSqlite(tmp);
  const pipeline = new Pipeline(config);
  const rnd = mulberry32(7);
  const start = Date.parse('2025-11-01T00:00:00Z');
  const span = Date.parse('2026-11-01T00:00:00Z') - start;
  const words = 'saldo hilang top up gagal refund belum masuk akun diblokir transfer pending aplikasi error balance missing payment failed 余额 不见 充值 失败 登录 不了'.split(' ');
  const t = performance.now();
  for (let done = 0; done < count; ) {
    const items = [];
    for (let i = 0; i < 5000 && done < count; i++, done++) {
      const author = Math.floor(rnd() * 300_000);
      const text = Array.from({ length: 40 + Math.floor(rnd() * 40) }, () => words[Math.floor(rnd() * words.length)]).join(' ');
      const raw: RawItem = {
        channel: 'email',
        source: 'history',
        externalId: `<hist.${done}@mail.example.com>#${done}`,
        messageId: `<hist.${done}@mail.example.com>`,
        sentAt: new Date(start + Math.floor(rnd() * span)),
        author: { email: `user${author}@example.com` },
        subject: `Complaint ${done}`,
        text: `${text} Rp ${Math.floor(rnd() * 900) + 100}.000`,
        attachments: [],
        rawRef: `history#${done}`,
      };
      items.push(pipeline.prepare(raw));
    }
    await repository.ingestBatch({ items, failures: [], cursors: [] }, pipeline);
    if (done % 100_000 === 0) log(`  ${fmt(done)} (${fmt(done / ((performance.now() - t) / 1000))}/s)`);
  }
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  await repository.close();
  renameSync(tmp, path);
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
  return path;
}

function removeDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

async function main() {
  mkdirSync(CACHE, { recursive: true });
  log(`generating ${fmt(MESSAGES)} messages from ${fmt(AUTHORS)} customers...`);
  const emails = generateEmails({ count: MESSAGES, authors: AUTHORS, profile: PROFILE });
  const raws = emails.map((e) => e.raw);
  const mbox = join(CACHE, `bench-${PROFILE}-${MESSAGES}.mbox`);
  writeFileSync(mbox, toMbox(emails));
  const avgBytes = raws.reduce((a, r) => a + r.length, 0) / raws.length;

  const workers = defaultWorkerCount();
  const emptyDb = join(CACHE, 'run-empty.db');
  const fullDb = join(CACHE, 'run-full.db');
  const source = await prefilled(PREFILL);
  const parseOptions = { source: 'bench', rawRef: 'mem', maxBytes: config.ingest.maxMessageBytes, timeoutMs: config.ingest.parseTimeoutMs, fallbackDate: new Date() };
  const measures: Record<string, { run: () => Promise<void>; setup?: () => void }> = {
    bare: { run: () => eachSerially(raws, (raw) => simpleParser(raw)) },
    ours: {
      run: () =>
        eachSerially(raws, async (raw) => {
          const r = await parseEmail(raw, parseOptions);
          if (!r.ok) throw new Error(r.failure.detail);
        }),
    },
    importSingle: { run: async () => void (await importInto(emptyDb, mbox, 0)), setup: () => removeDb(emptyDb) },
    importEmpty: { run: async () => void (await importInto(emptyDb, mbox, workers)), setup: () => removeDb(emptyDb) },
    importEmptyPlain: { run: async () => void (await importInto(emptyDb, mbox, workers, plainConfig)), setup: () => removeDb(emptyDb) },
    importPrefilled: {
      run: async () => void (await importInto(fullDb, mbox, workers)),
      setup: () => {
        removeDb(fullDb);
        copyFileSync(source, fullDb);
      },
    },
  };

  log('warming up the parsers...');
  await eachSerially(raws.slice(0, 2000), (raw) => simpleParser(raw));
  await eachSerially(raws.slice(0, 2000), (raw) => parseEmail(raw, parseOptions));

  // Every round measures everything, so that ratios compare runs made minutes apart, not an
  // hour apart (a shared machine's speed drifts more than the differences measured here).
  const rounds: Record<string, number>[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const rates: Record<string, number> = {};
    for (const [name, m] of Object.entries(measures)) {
      m.setup?.();
      const t = performance.now();
      await m.run();
      rates[name] = MESSAGES / ((performance.now() - t) / 1000);
      log(`  round ${round} ${name}: ${fmt(rates[name]!)} msg/s`);
    }
    rounds.push(rates);
  }
  removeDb(fullDb);
  removeDb(emptyDb);
  const rate = (name: string) => median(rounds.map((r) => r[name]!));
  const ratio = (a: string, b: string) => +median(rounds.map((r) => r[a]! / r[b]!)).toFixed(2);
  const [bare, ours, emptySingle, empty, full] = ['bare', 'ours', 'importSingle', 'importEmpty', 'importPrefilled'].map(rate) as [number, number, number, number, number];
  const result = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    messages: MESSAGES,
    profile: PROFILE,
    averageMessageBytes: Math.round(avgBytes),
    prefilledMessages: PREFILL,
    prefilledDbBytes: statSync(source).size,
    rounds: ROUNDS,
    parseWorkers: workers,
    rates: {
      bareSimpleParser: Math.round(bare),
      ourParser: Math.round(ours),
      importEmptyNoWorkers: Math.round(emptySingle),
      importEmpty: Math.round(empty),
      importEmptyWithoutCategories: Math.round(rate('importEmptyPlain')),
      importPrefilled: Math.round(full),
    },
    // Medians of the per-round ratios.
    ratios: {
      importVsBareParse: ratio('importEmpty', 'bare'),
      importNoWorkersVsBareParse: ratio('importSingle', 'bare'),
      prefilledVsEmpty: ratio('importPrefilled', 'importEmpty'),
      // Goal: >= 0.9 (complaint categories and facts cost at most 10% of the import rate).
      withVsWithoutCategories: ratio('importEmpty', 'importEmptyPlain'),
    },
    peakRssMiB: Math.round(peakRss / 1024 / 1024),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`
| measure (${fmt(MESSAGES)} ${PROFILE} messages, ${fmt(avgBytes)} B average) | messages/s |
|---|---:|
| bare \`mailparser.simpleParser\`, defaults, from memory | ${fmt(bare)} |
| our email parser alone, from memory | ${fmt(ours)} |
| full import from an mbox file into an empty database, parsing in the main thread | ${fmt(emptySingle)} (${pct(ratio('importSingle', 'bare'))} of bare parse) |
| full import from an mbox file into an empty database, ${workers} parse worker(s) (default) | ${fmt(empty)} (${pct(ratio('importEmpty', 'bare'))} of bare parse) |
| the same without complaint categories and case facts | ${fmt(rate('importEmptyPlain'))} (with them: ${pct(ratio('importEmpty', 'importEmptyPlain'))}) |
| full import into a database holding ${fmt(PREFILL)} messages, ${workers} parse worker(s) | ${fmt(full)} (${pct(ratio('importPrefilled', 'importEmpty'))} of empty) |
`);
}

await main();
