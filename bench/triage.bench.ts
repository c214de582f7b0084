/**
 * npm run bench:triage — urgency scoring throughput, measured in one run:
 *
 *   1. the scoring alone, in process: prepare (normalise, redact, request numbers, urgency
 *      signals) and assess, over the labelled set's real texts (en, id, zh) repeated;
 *   2. `complaint-monitor triage` end to end (the built CLI): JSON Lines in, JSON Lines out;
 *   3. `rescore` of a database of stored posts after a rule change (every case changes), and
 *      again with nothing left to change.
 *
 * Goal: (2) >= 10,000 lines/s, so re-scoring a whole database after a rule change is cheap.
 * Options: BENCH_LINES (default 200000), BENCH_RESCORE_MESSAGES (default 200000), BENCH_ROUNDS (3).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawItem } from '../connectors/types.js';
import { openSqlite } from '../db/sqlite/open-sqlite.js';
import { parseConfig } from '../src/config/config.js';
import { ingest } from '../src/pipeline/ingest.js';
import { Pipeline } from '../src/pipeline/pipeline.js';
import { labelledItemSchema } from '../src/pipeline/urgency/evaluate.js';
import { loadRules } from '../src/pipeline/urgency/rules.js';
import { mulberry32 } from './generate-emails.js';

const LINES = Number(process.env.BENCH_LINES ?? 200_000);
const RESCORE = Number(process.env.BENCH_RESCORE_MESSAGES ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ROOT = join(import.meta.dirname, '..');
const CACHE = join(import.meta.dirname, '.cache');
const FIXTURES = join(ROOT, 'tests/fixtures/triage');

// As `complaint-monitor triage` runs it: urgency only (no categories, no facts).
const config = parseConfig({ categories: { enabled: false }, facts: { enabled: false } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const log = (s: string) => process.stderr.write(`${s}\n`);

function realTexts(): string[] {
  const texts: string[] = [];
  for (const file of readdirSync(FIXTURES).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(FIXTURES, file), 'utf8').split('\n')) {
      if (line.trim()) texts.push(labelledItemSchema.parse(JSON.parse(line)).text);
    }
  }
  if (texts.length === 0) throw new Error(`no labelled texts in ${FIXTURES}`);
  return texts;
}

function post(i: number, text: string, rand: () => number): RawItem {
  return {
    channel: 'x',
    source: 'bench',
    externalId: String(1_860_000_000_000_000_000n + BigInt(i)),
    conversationId: String(1_860_000_000_000_000_000n + BigInt(i)),
    sentAt: new Date(Date.UTC(2026, 10, 1) + i * 13_000),
    author: { handle: `user${Math.floor(rand() * (RESCORE / 3))}`, followers: Math.floor(rand() ** 4 * 500_000) },
    text,
    attachments: [],
    rawRef: `bench:${i}`,
  };
}

async function main() {
  mkdirSync(CACHE, { recursive: true });
  const texts = realTexts();
  const rand = mulberry32(7);
  log(`${fmt(texts.length)} real texts, ${fmt(LINES)} lines per triage run`);
  const lines = Array.from({ length: LINES }, (_, i) => ({ id: i, text: texts[i % texts.length]!, followers: Math.floor(rand() ** 4 * 500_000) }));
  const input = join(CACHE, `triage-${LINES}.jsonl`);
  writeFileSync(input, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const avgChars = lines.reduce((a, l) => a + l.text.length, 0) / lines.length;

  const pipeline = new Pipeline(config);
  const inProcess = () => {
    const at = new Date();
    for (const l of lines) {
      const item = pipeline.prepare({ channel: 'x', source: 'b', externalId: String(l.id), sentAt: at, author: { followers: l.followers }, text: l.text, attachments: [], rawRef: 'b' });
      pipeline.urgency(item, null);
    }
  };
  const cli = () => {
    const stdin = openSync(input, 'r');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/complaint-monitor.js'), 'triage'], { stdio: [stdin, 'ignore', 'pipe'], encoding: 'utf8' });
    closeSync(stdin);
    if (r.status !== 0) throw new Error(`triage exited ${r.status}: ${r.stderr}`);
  };

  // A database of stored posts, rescored with harsher rules (every case changes) and back.
  const dbPath = join(CACHE, 'rescore.db');
  for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
  log(`storing ${fmt(RESCORE)} posts for the rescore runs...`);
  const { repository, sqlite } = openSqlite(dbPath);
  const items = Array.from({ length: RESCORE }, (_, i) => post(i, texts[(i * 7919) % texts.length]!, rand));
  async function* events() {
    for (const item of items) yield { kind: 'item' as const, item };
  }
  await ingest(events(), repository, pipeline, { batchSize: 1000 });
  const defaults = loadRules();
  const harsher = { ...defaults, levels: { ...defaults.levels, critical: defaults.levels.critical - 2, high: defaults.levels.high - 2, normal: defaults.levels.normal - 2 } };
  const rescorers = [new Pipeline(config, harsher).rescorer, new Pipeline(config, defaults).rescorer];

  log('warming up...');
  inProcess();
  const rounds: Record<string, number>[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const rates: Record<string, number> = {};
    let t = performance.now();
    inProcess();
    rates.inProcess = LINES / ((performance.now() - t) / 1000);
    t = performance.now();
    cli();
    rates.cli = LINES / ((performance.now() - t) / 1000);
    for (const [name, rescorer] of [['rescoreChanged', rescorers[(round + 1) % 2]!], ['rescoreUnchanged', rescorers[(round + 1) % 2]!]] as const) {
      t = performance.now();
      const r = await repository.rescore(rescorer);
      rates[name] = r.messages / ((performance.now() - t) / 1000);
      if (name === 'rescoreUnchanged' && r.messagesChanged !== 0) throw new Error('a second rescore with the same rules changed messages');
    }
    log(`  round ${round}: in process ${fmt(rates.inProcess!)} lines/s, CLI ${fmt(rates.cli!)} lines/s, rescore ${fmt(rates.rescoreChanged!)} msg/s (changes), ${fmt(rates.rescoreUnchanged!)} msg/s (none)`);
    rounds.push(rates);
  }
  const stored = (sqlite.prepare('select count(*) as n from messages where case_id is not null').get() as { n: number }).n;
  await repository.close();
  for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
  const rate = (name: string) => Math.round(median(rounds.map((r) => r[name]!)));
  const result = {
    date: new Date().toISOString().slice(0, 10),
    node: process.version,
    lines: LINES,
    distinctTexts: texts.length,
    averageChars: Math.round(avgChars),
    rescoreMessages: stored,
    rounds: ROUNDS,
    rates: { inProcessLinesPerSec: rate('inProcess'), cliLinesPerSec: rate('cli'), rescoreChangedMsgPerSec: rate('rescoreChanged'), rescoreUnchangedMsgPerSec: rate('rescoreUnchanged') },
    goal: { cliLinesPerSec: 10_000, met: rate('cli') >= 10_000 },
  };
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results/triage.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
}

await main();
