/**
 * npm run bench:imap — the IMAP connector against a local Dovecot, measured in one run:
 *
 *   (a) bare imapflow: one FETCH of every message's source, each parsed by mailparser's
 *       simpleParser (its defaults), nothing stored;
 *   (b) the connector's full ingest (`poll --once` without the CLI): search, size, batched fetch,
 *       parse, pipeline, SQLite store with cursors, into an empty database.
 *
 * Goal: (b) takes at most 1.3x the time of (a); peak RSS under 300 MB.
 * Options: BENCH_MESSAGES (default 10000), BENCH_ROUNDS (default 3), BENCH_PROFILE (realistic |
 * small, see generate-emails.ts). Needs Dovecot (installed like the tests do, when missing).
 *
 * Each measure runs in its own process (bench/imap-roles.mjs, plain JavaScript on the built dist/,
 * as the CLI runs), so its peak RSS is its own, not the generator's or the other measure's. (b) runs twice: with the default parse
 * workers, and with parsing in the main thread. Rates are medians over rounds; each round runs
 * every measure in turn; ratios are medians of the per-round ratios.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { defaultWorkerCount } from '../connectors/email/parse-pool.js';
import { startDovecot } from '../tests/helpers/dovecot.js';
import installDovecot from '../tests/setup/install-dovecot.js';
import { generateEmails } from './generate-emails.js';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PROFILE = process.env.BENCH_PROFILE === 'small' ? 'small' : 'realistic';
// Dovecot allows 10 connections per user and address.
const APPENDERS = 8;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Target {
  host: string;
  port: number;
  user: string;
  pass: string;
}

async function connect(t: Target): Promise<ImapFlow> {
  const client = new ImapFlow({ host: t.host, port: t.port, secure: false, auth: { user: t.user, pass: t.pass }, logger: false });
  await client.connect();
  return client;
}

/** Child role: generate the messages and append them; prints their average size. */
async function append(t: Target): Promise<{ averageBytes: number }> {
  const emails = generateEmails({ count: MESSAGES, authors: Math.max(1, Math.floor(MESSAGES / 4)), profile: PROFILE });
  await Promise.all(
    Array.from({ length: APPENDERS }, async (_, k) => {
      const client = await connect(t);
      try {
        for (let i = k; i < emails.length; i += APPENDERS) await client.append('INBOX', emails[i]!.raw);
      } finally {
        await client.logout();
      }
    }),
  );
  return { averageBytes: emails.reduce((a, e) => a + e.raw.length, 0) / emails.length };
}

/**
 * Runs a role in a child process: its time (measured inside) and its peak RSS. The append role
 * runs this file (it needs the generator); the measured ones run imap-roles.mjs on dist/.
 */
function child(role: string, t: Target, extra: string[] = []): { seconds: number; peakRssMiB: number; averageBytes?: number } {
  const args = role === 'append' ? [...process.execArgv, import.meta.filename] : [join(import.meta.dirname, 'imap-roles.mjs')];
  const r = spawnSync(process.execPath, [...args, role, JSON.stringify({ ...t, messages: MESSAGES }), ...extra], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${role} failed (exit ${r.status})`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

async function appendRole(target: Target): Promise<void> {
  const t = performance.now();
  const out = await append(target);
  console.log(JSON.stringify({ ...out, seconds: (performance.now() - t) / 1000, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

async function main() {
  installDovecot();
  const server = await startDovecot();
  const dir = mkdtempSync(join(tmpdir(), 'cm-bench-imap-'));
  try {
    server.addUser('bench', 'bench');
    // Dovecot re-reads its passwd-file at most once a second.
    await new Promise((r) => setTimeout(r, 1_100));
    const target: Target = { host: server.host, port: server.port, user: 'bench', pass: 'bench' };

    log(`generating and appending ${fmt(MESSAGES)} ${PROFILE} messages...`);
    const appended = child('append', target);
    log(`  appended in ${appended.seconds.toFixed(1)} s`);
    log('warming up (one bare fetch)...');
    child('bare', target);

    const workers = defaultWorkerCount();
    const dbPath = join(dir, 'complaints.db');
    const fresh = () => {
      for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
    };
    const rounds: { bare: number; connector: number; inThread: number; rss: { bare: number; connector: number; inThread: number } }[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const a = child('bare', target);
      fresh();
      const b = child('connector', target, [String(workers), dbPath]);
      fresh();
      const b0 = child('connector', target, ['0', dbPath]);
      rounds.push({ bare: a.seconds, connector: b.seconds, inThread: b0.seconds, rss: { bare: a.peakRssMiB, connector: b.peakRssMiB, inThread: b0.peakRssMiB } });
      log(
        `  round ${round}: bare ${a.seconds.toFixed(2)} s (${a.peakRssMiB} MiB), connector ${b.seconds.toFixed(2)} s (${b.peakRssMiB} MiB, ${(b.seconds / a.seconds).toFixed(2)}x), ` +
          `connector --workers 0 ${b0.seconds.toFixed(2)} s (${b0.peakRssMiB} MiB, ${(b0.seconds / a.seconds).toFixed(2)}x)`,
      );
    }

    const med = (f: (r: (typeof rounds)[number]) => number) => median(rounds.map(f));
    const result = {
      date: new Date().toISOString().slice(0, 10),
      node: process.version,
      messages: MESSAGES,
      profile: PROFILE,
      averageMessageBytes: Math.round(appended.averageBytes ?? 0),
      appendSeconds: +appended.seconds.toFixed(1),
      rounds: ROUNDS,
      parseWorkers: workers,
      seconds: { bareFetchAndParse: +med((r) => r.bare).toFixed(2), connectorIngest: +med((r) => r.connector).toFixed(2), connectorIngestNoWorkers: +med((r) => r.inThread).toFixed(2) },
      connectorVsBare: +med((r) => r.connector / r.bare).toFixed(2),
      connectorNoWorkersVsBare: +med((r) => r.inThread / r.bare).toFixed(2),
      peakRssMiB: { bareFetchAndParse: Math.max(...rounds.map((r) => r.rss.bare)), connectorIngest: Math.max(...rounds.map((r) => r.rss.connector)), connectorIngestNoWorkers: Math.max(...rounds.map((r) => r.rss.inThread)) },
    };
    writeFileSync(join(import.meta.dirname, 'results', `imap-${PROFILE}.json`), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
    const rate = (s: number) => fmt(MESSAGES / s);
    console.log(`
| measure (${fmt(MESSAGES)} ${PROFILE} messages, ${fmt(result.averageMessageBytes)} B average, local Dovecot) | seconds | messages/s | vs (a) | peak RSS |
|---|---:|---:|---:|---:|
| (a) bare imapflow FETCH of every source + \`simpleParser\` | ${result.seconds.bareFetchAndParse} | ${rate(result.seconds.bareFetchAndParse)} | 1x | ${result.peakRssMiB.bareFetchAndParse} MiB |
| (b) connector ingest into an empty database, ${workers} parse worker(s) (default) | ${result.seconds.connectorIngest} | ${rate(result.seconds.connectorIngest)} | ${result.connectorVsBare}x | ${result.peakRssMiB.connectorIngest} MiB |
| (b) with parsing in the main thread (\`--workers 0\`) | ${result.seconds.connectorIngestNoWorkers} | ${rate(result.seconds.connectorIngestNoWorkers)} | ${result.connectorNoWorkersVsBare}x | ${result.peakRssMiB.connectorIngestNoWorkers} MiB |
`);
  } finally {
    server.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

const [role, target] = process.argv.slice(2);
if (role === 'append') await appendRole(JSON.parse(target!) as Target);
else await main();
