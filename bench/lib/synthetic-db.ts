/**
 * A large, realistic SQLite database for benchmarks, written directly (prepared INSERTs in large
 * transactions; a million messages in 108 s on the 2-core machine, where the pipeline stores about
 * 4,000 a second) into a file opened by the project's own opener, so the schema is exactly the
 * migrations'. Cached under bench/.cache.
 *
 *   const db = await syntheticDb({ messages: 1_000_000, cases: 400_000 });
 *   // db.path: the SQLite file; db.stats: what it holds; db.reused: taken from the cache
 *
 * What it holds (see synthetic-plan.ts and synthetic-texts.ts): complaint messages by email and X
 * in en/id/zh, drawn from the project's real texts and prepared through the real pipeline (urgency
 * with reasons, category, facts, redactions, fingerprints); cases of 1 to 5 messages (mean 2.5)
 * with the urgency, category and facts ingestion would give them (repeat contacts raise urgency);
 * request numbers in the configured format with request_sequences; case_references; case_events
 * (created, joined, urgency_changed, reference_added, status_changed); statuses mostly new/open,
 * assignees, first_response_at and resolved_at for the cases the team answered or closed; some
 * email attachments; the messages_fts index. Every message belongs to a case (no bounces).
 *
 * The cached file is shared by every bench asking for the same options: a bench may add rows the
 * generator never writes (an API token with a name of its own), anything else must work on a copy.
 * This is benchmark tooling: the one place outside db/ that writes SQL, to go fast.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { Reason, UrgencyLevel } from '../../db/repository.js';
import { openSqlite, SQLITE_MIGRATIONS } from '../../db/sqlite/open-sqlite.js';
import { parseConfig } from '../../src/config/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { PipelineItem } from '../../src/pipeline/prepare.js';
import { mulberry32 } from '../generate-emails.js';
import { buildPlan, DAY_MS, JOINS, STATUSES, type Plan } from './synthetic-plan.js';
import { bodySuffix, LANGS, pick, prepareTemplates, TEXT_SOURCES, type Lang, type Template, type TemplatePools } from './synthetic-texts.js';

/** Bump when the generator writes different rows for the same options (invalidates the cache). */
export const SYNTHETIC_DB_VERSION = 1;

export interface SyntheticDbOptions {
  /** Messages to store; each belongs to a case. */
  messages: number;
  /** Cases they form: 1 to 5 messages each, so messages / cases must lie within [1, 5]. */
  cases: number;
  /** Days the contacts spread over, up to `end`. Default 365. */
  days?: number;
  /** End of the period (exclusive), ISO 8601. Default 2026-11-26T00:00:00Z (fixed: same options, same file). */
  end?: string;
  /**
   * An incident week: this many of the messages fall within seven days starting at `start`
   * (default: the last seven days of the period), in cases opened that week.
   */
  denseWeek?: { messages: number; start?: string } | null;
  /** Share of cases that come by email; the rest come from X. Default 0.6. */
  emailShare?: number;
  /** Default 1. */
  seed?: number;
}

export type ResolvedOptions = Required<Omit<SyntheticDbOptions, 'denseWeek'>> & { denseWeek: { messages: number; start: string } | null };

export interface SyntheticDbStats {
  messages: number;
  cases: number;
  caseReferences: number;
  caseEvents: number;
  attachments: number;
  /** Cases per urgency level, status and channel; cases per number of messages. */
  caseUrgency: Record<string, number>;
  caseStatus: Record<string, number>;
  caseChannel: Record<string, number>;
  contactCounts: Record<string, number>;
  /** Distinct prepared texts the messages draw from. */
  templates: number;
  /** How messages_fts was filled: by the triggers row by row, or rebuilt once at the end. */
  fts: FtsFill;
  buildSeconds: number;
  fileBytes: number;
}

export interface SyntheticDb {
  path: string;
  /** True when the file came from the cache. */
  reused: boolean;
  options: ResolvedOptions;
  stats: SyntheticDbStats;
}

export interface SyntheticDbSettings {
  /** Default bench/.cache. */
  cacheDir?: string;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

/**
 * How messages_fts is filled: by the migration's triggers row by row, by one FTS5 'rebuild' at the
 * end, or by INSERT ... SELECT in batches of FTS_CHUNK messages at the end (the default: fastest
 * at a million messages, see writeSyntheticDb).
 */
type FtsFill = 'triggers' | 'rebuild' | 'batches';

const DEFAULT_CACHE = join(import.meta.dirname, '../.cache');
const DEFAULT_END = '2026-11-26T00:00:00.000Z';
/** Prepared versions of each base text (greetings, amounts, subjects vary). */
const VARIANTS = 4;
/** Rows per transaction. */
const CHUNK = 50_000;
/** Messages indexed per INSERT ... SELECT, each its own transaction. */
const FTS_CHUNK = 100_000;
const LANG_WEIGHTS: Record<Lang, number> = { id: 0.5, en: 0.35, zh: 0.15 };
const AGENTS = Array.from({ length: 24 }, (_, i) => `agent-${String(i + 1).padStart(2, '0')}`);
const TAGS = [['vip'], ['outage'], ['chargeback'], ['regulator'], ['vip', 'chargeback']];
const FIRST = ['Rina', 'Agus', 'Dewi', 'Bambang', 'Siti', 'Andi', 'Putri', 'Hendra', 'Yuni', 'Rizky', 'Mega', 'Fikri', 'Lina', 'Hao', 'Xiu', 'Jun', 'Sarah', 'David', 'Maya', 'Kevin'];
const LAST = ['Wulandari', 'Setiawan', 'Pratama', 'Nugroho', 'Halim', 'Tan', 'Lim', 'Siregar', 'Hasibuan', 'Suryadi', 'Zhang', 'Liu', 'Tanoto', 'Permana'];
const DOMAINS = ['mail.example.com', 'inbox.example.net', 'kantor.example.co.id', 'post.example.org'];
const SCREENSHOTS = ['screenshot.jpg', 'bukti-transfer.png', 'IMG_2041.jpg', '截图.png', 'mutasi-rekening.pdf'];

export function resolveOptions(o: SyntheticDbOptions): ResolvedOptions {
  const days = o.days ?? 365;
  const end = new Date(o.end ?? DEFAULT_END).toISOString();
  const denseWeek = o.denseWeek ? { messages: o.denseWeek.messages, start: new Date(o.denseWeek.start ?? Date.parse(end) - 7 * DAY_MS).toISOString() } : null;
  for (const [name, n] of [['messages', o.messages], ['cases', o.cases], ['days', days]] as const) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`synthetic db: ${name} must be a whole number >= 0, got ${n}`);
  }
  return { messages: o.messages, cases: o.cases, days, end, denseWeek, emailShare: o.emailShare ?? 0.6, seed: o.seed ?? 1 };
}

/** The inputs a file depends on: options, generator version, migrations, texts and rules. */
function cacheKey(o: ResolvedOptions): string {
  const h = createHash('sha256').update(JSON.stringify({ v: SYNTHETIC_DB_VERSION, o }));
  const files = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)])).sort();
  const root = join(import.meta.dirname, '../..');
  const rules = files(join(root, 'src/pipeline')).filter((f) => f.endsWith('.json'));
  for (const f of [join(SQLITE_MIGRATIONS, 'meta/_journal.json'), ...TEXT_SOURCES.flatMap(files), ...rules]) h.update(readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

/** The database for `options`, from the cache when it is there, else built (and cached). */
export async function syntheticDb(options: SyntheticDbOptions, settings: SyntheticDbSettings = {}): Promise<SyntheticDb> {
  const o = resolveOptions(options);
  const log = settings.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const dir = settings.cacheDir ?? DEFAULT_CACHE;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `synthetic-${o.messages}m-${o.cases}c-${cacheKey(o)}.db`);
  const statsPath = `${path}.json`;
  if (existsSync(path) && existsSync(statsPath)) {
    return { path, reused: true, options: o, stats: JSON.parse(readFileSync(statsPath, 'utf8')) as SyntheticDbStats };
  }
  const building = `${path}.building`;
  const stats = await writeSyntheticDb(building, o, { log });
  renameSync(building, path);
  writeFileSync(statsPath, JSON.stringify(stats, null, 2) + '\n');
  return { path, reused: false, options: o, stats };
}

/** Hash of a few integers to [0, 1): per-customer traits that stay the same across a customer's cases. */
function unit(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ x, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return (h >>> 0) / 4294967296;
}

interface Customer {
  key: string;
  name: string;
  address: string | null;
  handle: string | null;
  followers: number | null;
}

function customer(channel: number, id: number, seed: number): Customer {
  const first = FIRST[Math.floor(unit(seed, channel, id, 1) * FIRST.length)]!;
  const last = LAST[Math.floor(unit(seed, channel, id, 2) * LAST.length)]!;
  if (channel === 0) {
    const address = `${first}.${last}${id}@${DOMAINS[Math.floor(unit(seed, id, 3) * DOMAINS.length)]}`.toLowerCase();
    return { key: `email:${address}`, name: `${first} ${last}`, address, handle: null, followers: null };
  }
  const handle = `${first}_${last}${id}`.toLowerCase();
  // Most accounts are small; a few reach hundreds of thousands (the reach signal).
  return { key: `x:${handle}`, name: `${first} ${last}`, address: null, handle, followers: Math.floor(unit(seed, id, 4) ** 4 * 400_000) };
}

function removeDb(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(path + suffix, { force: true });
}

/** The statements the generator writes with (positional parameters: the fastest binding). */
function statements(sqlite: Database.Database) {
  return {
    insertCase: sqlite.prepare(
      `insert into cases (id, request_number, status, channel, source, subject, customer_key, customer_name, urgency, urgency_score,
        urgency_reasons, category, facts, contact_count, assignee, tags, first_response_at, resolved_at, first_contact_at, last_contact_at,
        created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertReference: sqlite.prepare('insert into case_references (case_id, system, value, created_at) values (?, ?, ?, ?)'),
    insertEvent: sqlite.prepare('insert into case_events (case_id, at, type, message_row_id, data) values (?, ?, ?, ?, ?)'),
    insertMessage: sqlite.prepare(
      `insert into messages (id, case_id, source, external_id, channel, kind, join_reason, join_detail, message_id, in_reply_to, "references",
        conversation_id, author_key, author_name, author_handle, author_followers, subject, body, text_hash, fingerprint, lang, url, sent_at,
        ingested_at, urgency, urgency_score, urgency_reasons, category, category_confidence, categories, facts, request_numbers, redactions,
        headers, found_in_spam, raw_ref) values (?, ?, ?, ?, ?, 'complaint', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    ),
    insertAttachment: sqlite.prepare('insert into attachments (message_row_id, name, content_type, size, sha256) values (?, ?, ?, ?, ?)'),
    insertSequence: sqlite.prepare('insert into request_sequences (scope, last) values (?, ?)'),
  };
}

const json = (v: unknown): string | null => (v === null || v === undefined ? null : JSON.stringify(v));

/**
 * Writes the database for `options` to `path` (replacing it), uncached. `fts`: how messages_fts
 * is filled. `batches` (the default) and `rebuild` took the same 11 s for 200,000 messages, the
 * triggers 3x longer at 50,000; batches keep each transaction (and its WAL) bounded.
 */
export async function writeSyntheticDb(
  path: string,
  options: SyntheticDbOptions,
  settings: { log?: (line: string) => void; fts?: FtsFill } = {},
): Promise<SyntheticDbStats> {
  const o = resolveOptions(options);
  const log = settings.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const fts = settings.fts ?? 'batches';
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
  const rand = mulberry32(o.seed);
  const pipeline = new Pipeline(parseConfig({}));

  log(`synthetic db: ${o.messages.toLocaleString('en')} messages in ${o.cases.toLocaleString('en')} cases -> ${path}`);
  const pools = await prepareTemplates(pipeline, VARIANTS, rand);
  const endMs = Date.parse(o.end);
  const plan = buildPlan(
    { messages: o.messages, cases: o.cases, endMs, days: o.days, emailShare: o.emailShare, denseWeek: o.denseWeek ? { messages: o.denseWeek.messages, startMs: Date.parse(o.denseWeek.start) } : null },
    rand,
  );
  log(`  ${pools.email.length + pools.x.length} prepared texts, plan ready (${elapsed()})`);

  removeDb(path);
  const { sqlite } = openSqlite(path);
  // A file nobody reads until it is renamed into place: no fsync, a large page cache. (The journal
  // stays WAL: better-sqlite3's defensive mode refuses OFF.)
  sqlite.pragma('synchronous = OFF');
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('cache_size = -524288');
  const triggers = sqlite.prepare("select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'messages' and name like 'messages_fts%'").all() as { name: string; sql: string }[];
  if (fts !== 'triggers') for (const t of triggers) sqlite.exec(`drop trigger "${t.name}"`);

  const st = statements(sqlite);
  const writer = new Writer(plan, pools, pipeline, o, st, rand);
  const chunked = (label: string, n: number, write: (i: number) => void) => {
    for (let from = 0; from < n; from += CHUNK) {
      sqlite.transaction(() => {
        for (let i = from; i < Math.min(n, from + CHUNK); i++) write(i);
      })();
      if ((from / CHUNK) % 4 === 3 || from + CHUNK >= n) log(`  ${label}: ${Math.min(n, from + CHUNK).toLocaleString('en')} (${elapsed()})`);
    }
  };
  chunked('cases', plan.caseCount, (c) => writer.writeCase(c));
  sqlite.transaction(() => writer.writeSequences())();
  chunked('messages', plan.messageCount, (k) => writer.writeMessage(k));
  chunked('status events', plan.caseCount, (c) => writer.writeStatusEvents(c));

  if (fts === 'rebuild') {
    log(`  messages_fts: rebuilding (${elapsed()})`);
    sqlite.exec("insert into messages_fts(messages_fts) values ('rebuild')");
  } else if (fts === 'batches') {
    const fill = sqlite.prepare('insert into messages_fts(rowid, subject, body) select id, subject, body from messages where id >= ? and id < ?');
    for (let from = 1; from <= plan.messageCount; from += FTS_CHUNK) fill.run(from, from + FTS_CHUNK);
    log(`  messages_fts: ${plan.messageCount.toLocaleString('en')} (${elapsed()})`);
  }
  // The triggers exactly as the migration created them (their SQL as sqlite_master kept it).
  if (fts !== 'triggers') for (const t of triggers) sqlite.exec(t.sql);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const count = (table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  const stats: SyntheticDbStats = {
    messages: count('messages'),
    cases: count('cases'),
    caseReferences: count('case_references'),
    caseEvents: count('case_events'),
    attachments: count('attachments'),
    caseUrgency: writer.tally.urgency,
    caseStatus: writer.tally.status,
    caseChannel: writer.tally.channel,
    contactCounts: writer.tally.contacts,
    templates: pools.email.length + pools.x.length,
    fts,
    buildSeconds: 0,
    fileBytes: 0,
  };
  const indexed = (sqlite.prepare("select count(*) as n from messages_fts where messages_fts match 'the'").get() as { n: number }).n;
  if (stats.messages > 1000 && indexed === 0) throw new Error('messages_fts is empty after the load');
  sqlite.close();
  stats.buildSeconds = Math.round((performance.now() - started) / 100) / 10;
  stats.fileBytes = statSync(path).size;
  log(`synthetic db ready: ${(stats.fileBytes / 2 ** 30).toFixed(2)} GiB in ${elapsed()}`);
  return stats;
}

type Statements = ReturnType<typeof statements>;

/** Per-case state the message pass needs (typed arrays and one string per case). */
class Writer {
  readonly tally = { urgency: {} as Record<string, number>, status: {} as Record<string, number>, channel: {} as Record<string, number>, contacts: {} as Record<string, number> };
  private readonly template: Uint32Array;
  private readonly requestNumber: string[];
  private readonly createdAt: Float64Array;
  private readonly firstResponse: Float64Array;
  private readonly resolvedAt: Float64Array;
  /** 1 + index into AGENTS; 0: nobody. */
  private readonly assignee: Uint8Array;
  /** The case's level and score as the message pass has raised them so far (urgency_changed events). */
  private readonly level: Uint8Array;
  private readonly score: Int32Array;
  private readonly sequences = new Map<string, number>();
  private readonly claimed = new Set<string>();
  private readonly messageRand: () => number;
  private readonly levels: readonly UrgencyLevel[] = ['low', 'normal', 'high', 'critical'];

  constructor(
    private readonly plan: Plan,
    private readonly pools: TemplatePools,
    private readonly pipeline: Pipeline,
    private readonly o: ResolvedOptions,
    private readonly st: Statements,
    private readonly rand: () => number,
  ) {
    const C = plan.caseCount;
    this.template = new Uint32Array(plan.messageCount);
    this.requestNumber = new Array<string>(C);
    this.createdAt = new Float64Array(C);
    this.firstResponse = new Float64Array(C);
    this.resolvedAt = new Float64Array(C);
    this.assignee = new Uint8Array(C);
    this.level = new Uint8Array(C);
    this.score = new Int32Array(C);
    this.messageRand = mulberry32(o.seed ^ 0x5eed);
  }

  private pool(c: number): Template[] {
    return this.plan.cases.channel[c] === 0 ? this.pools.email : this.pools.x;
  }

  private ingestedAt(m: number): number {
    // Connectors poll every minute or two: stored a little after it was sent.
    return Math.round(this.plan.messages.sentAt[m]! + 20_000 + unit(this.o.seed, m, 9) * 120_000);
  }

  /** The message's urgency as ingestion scores it: its text, its author's reach, the case so far. */
  private urgency(m: number, item: PipelineItem, followers: number | null) {
    const { sentAt, case: caseOf } = this.plan.messages;
    const c = caseOf[m]!;
    const first = this.plan.cases.firstMessage[c]!;
    const scored = followers === null ? item : { ...item, authorFollowers: followers };
    if (m === first) return this.pipeline.urgency(scored, null);
    let inBurst = 0;
    for (let i = first; i < m; i++) if (sentAt[i]! >= sentAt[m]! - this.pipeline.burstWindowMs) inBurst++;
    return this.pipeline.urgency(scored, { contactCount: m - first, firstContactAt: new Date(sentAt[first]!), contactsInBurstWindow: inBurst });
  }

  writeCase(c: number): void {
    const { cases, messages, rowId } = this.plan;
    const rand = this.rand;
    const channel = cases.channel[c]!;
    const chan = channel === 0 ? 'email' : 'x';
    const pool = this.pool(c);
    const byLang = this.pools.byLang[chan];
    let r = rand();
    const lang = LANGS.find((l) => (r -= LANG_WEIGHTS[l]) < 0) ?? 'id';
    const who = customer(channel, cases.customer[c]!, this.o.seed);
    const first = cases.firstMessage[c]!;
    const n = cases.count[c]!;

    // Follow-ups repeat the complaint (another wording of the same text), re-send it, or say more.
    for (let j = 0; j < n; j++) {
      const m = first + j;
      const prev = this.template[m - 1]!;
      const same = j > 0 ? this.pools.byBase[chan].get(pool[prev]!.base)! : [];
      this.template[m] =
        j === 0 ? pick(byLang[lang], rand) : JOINS[messages.join[m]!] === 'near_duplicate' ? prev : rand() < 0.6 ? pick(same, rand) : pick(byLang[lang], rand);
    }

    // The case as ingestion leaves it: the most urgent message's urgency, facts rolled up, the
    // first category that is not "other", references quoted that no case owned yet.
    let urgency = this.urgency(first, pool[this.template[first]!]!.item, who.followers);
    let facts: object | null = null;
    let category: string | null = null;
    const quoted: { system: string; value: string }[] = [];
    for (let j = 0; j < n; j++) {
      const m = first + j;
      const item = pool[this.template[m]!]!.item;
      if (j > 0) {
        const u = this.urgency(m, item, who.followers);
        if (u.score > urgency.score) urgency = u;
      }
      facts = this.pipeline.caseFacts(facts, item, rowId[m]!);
      const said = item.category?.primary ?? null;
      if (j === 0) category = said;
      else if ((category === null || category === this.pipeline.otherCategory) && said !== null && said !== this.pipeline.otherCategory) category = said;
      for (const ref of item.requestNumbers) {
        const key = `${ref.system}\u0000${ref.value}`;
        if (!this.claimed.has(key)) {
          this.claimed.add(key);
          quoted.push(ref);
        }
      }
    }

    const createdAt = this.ingestedAt(first);
    const created = new Date(createdAt);
    const scope = this.pipeline.requestNumberScope(created);
    const seq = (this.sequences.get(scope) ?? 0) + 1;
    this.sequences.set(scope, seq);
    const requestNumber = this.pipeline.formatRequestNumber(seq, created);
    const lastAt = messages.sentAt[first + n - 1]!;
    const endMs = Date.parse(this.o.end);
    const status = cases.status[c]!;
    // The team's first answer comes sooner for urgent cases; resolution takes hours to days.
    const answerHours = { critical: 0.5, high: 3, normal: 12, low: 30 }[urgency.level] * (0.2 + rand() * 2);
    const firstResponse = status === 0 ? 0 : Math.round(Math.min(endMs - 60_000, createdAt + answerHours * 3_600_000));
    const resolvedAt = status >= 3 ? Math.round(Math.min(endMs - 1000, Math.max(firstResponse, lastAt) + (1 + rand() * 200) * 3_600_000)) : 0;
    const assignee = status === 0 && rand() > 0.1 ? 0 : 1 + Math.floor(rand() * AGENTS.length);
    const tags = rand() < 0.08 ? pick(TAGS, rand) : null;
    const firstItem = pool[this.template[first]!]!.item;

    this.requestNumber[c] = requestNumber;
    this.createdAt[c] = createdAt;
    this.firstResponse[c] = firstResponse;
    this.resolvedAt[c] = resolvedAt;
    this.assignee[c] = assignee;
    this.st.insertCase.run(
      c + 1,
      requestNumber,
      STATUSES[status],
      chan,
      channel === 0 ? 'care-inbox' : 'x-mentions',
      firstItem.subject,
      who.key,
      who.name,
      urgency.level,
      urgency.score,
      JSON.stringify(urgency.reasons),
      category,
      json(facts),
      n,
      assignee === 0 ? null : AGENTS[assignee - 1],
      json(tags),
      firstResponse || null,
      resolvedAt || null,
      messages.sentAt[first]!,
      lastAt,
      createdAt,
      Math.max(this.ingestedAt(first + n - 1), firstResponse, resolvedAt),
    );
    this.st.insertReference.run(c + 1, 'issued', requestNumber, createdAt);
    for (const ref of quoted) {
      this.st.insertReference.run(c + 1, ref.system, ref.value, createdAt);
      this.st.insertEvent.run(c + 1, createdAt, 'reference_added', null, JSON.stringify(ref));
    }
    const bump = (t: Record<string, number>, k: string) => (t[k] = (t[k] ?? 0) + 1);
    bump(this.tally.urgency, urgency.level);
    bump(this.tally.status, STATUSES[status]!);
    bump(this.tally.channel, chan);
    bump(this.tally.contacts, String(n));
  }

  writeSequences(): void {
    for (const [scope, last] of this.sequences) this.st.insertSequence.run(scope, last);
  }

  private messageIdOf(m: number): string {
    return `<${this.plan.rowId[m]}.${Math.floor(unit(this.o.seed, m, 5) * 2 ** 32).toString(36)}@${DOMAINS[m % DOMAINS.length]}>`;
  }

  private postIdOf(m: number): string {
    return `18${String(this.plan.rowId[m]).padStart(17, '0')}`;
  }

  writeMessage(k: number): void {
    const { cases, messages, order } = this.plan;
    const rand = this.messageRand;
    const m = order[k]!;
    const id = k + 1;
    const c = messages.case[m]!;
    const first = cases.firstMessage[c]!;
    const j = m - first;
    const channel = cases.channel[c]!;
    const email = channel === 0;
    const tpl = this.pool(c)[this.template[m]!]!;
    const item = tpl.item;
    const who = customer(channel, cases.customer[c]!, this.o.seed);
    const join = JOINS[messages.join[m]!]!;
    const requestNumber = this.requestNumber[c]!;
    const sentAt = messages.sentAt[m]!;
    const ingestedAt = this.ingestedAt(m);
    const urgency = this.urgency(m, item, who.followers);

    const quoted = join === 'request_number' ? requestNumber : null;
    const body = item.body + bodySuffix(tpl.lang, email ? 'email' : 'x', who.name, quoted, rand);
    const requestNumbers = quoted ? [...item.requestNumbers, { system: 'issued', value: quoted }] : item.requestNumbers;
    const externalId = email ? this.messageIdOf(m) : this.postIdOf(m);
    const thread = email && j > 0 ? Array.from({ length: j }, (_, i) => this.messageIdOf(first + i)) : [];
    const inReplyTo = join === 'thread' ? thread[thread.length - 1]! : null;
    const conversationId = email ? null : this.postIdOf(first);
    const subject = email ? (join === 'thread' ? `Re: ${item.subject ?? ''}` : item.subject) : null;
    const detail =
      join === 'thread'
        ? `reply to ${inReplyTo}`
        : join === 'request_number'
          ? `quotes ${requestNumber}`
          : join === 'conversation'
            ? `same conversation ${conversationId}`
            : join === 'near_duplicate'
              ? `${90 + Math.floor(rand() * 10)}% similar to message #${this.plan.rowId[m - 1]}`
              : null;

    this.st.insertMessage.run(
      id,
      c + 1,
      email ? 'care-inbox' : 'x-mentions',
      externalId,
      email ? 'email' : 'x',
      j === 0 ? null : join,
      detail,
      email ? externalId : null,
      inReplyTo,
      join === 'thread' ? JSON.stringify(thread) : null,
      conversationId,
      who.key,
      who.name,
      who.handle,
      who.followers,
      subject,
      body,
      item.textHash,
      item.fingerprint,
      email ? null : tpl.lang === 'id' ? 'in' : tpl.lang,
      email ? null : `https://x.com/${who.handle}/status/${externalId}`,
      sentAt,
      ingestedAt,
      urgency.level,
      urgency.score,
      JSON.stringify(urgency.reasons),
      item.category?.primary ?? null,
      item.category?.confidence ?? null,
      item.category && item.category.labels.length > 0 ? JSON.stringify(item.category.labels) : null,
      json(item.facts),
      requestNumbers.length > 0 ? JSON.stringify(requestNumbers) : null,
      Object.keys(item.redactions).length > 0 ? JSON.stringify(item.redactions) : null,
      email
        ? JSON.stringify({ from: `${who.name} <${who.address}>`, to: 'care@sakupay.example', date: new Date(sentAt).toUTCString(), 'content-type': 'text/plain; charset=UTF-8' })
        : null,
      email ? `imap://care-inbox/INBOX;UIDVALIDITY=1/;UID=${id}` : `x://x-mentions/mentions/${externalId}`,
    );
    if (email && rand() < 0.08) {
      const name = pick(SCREENSHOTS, rand);
      const type = name.endsWith('.pdf') ? 'application/pdf' : name.endsWith('.png') ? 'image/png' : 'image/jpeg';
      const sha = createHash('sha256').update(`${this.o.seed}:${id}`).digest('hex');
      this.st.insertAttachment.run(id, name, type, 40_000 + Math.floor(rand() * 2_000_000), sha);
    }

    if (j === 0) {
      this.st.insertEvent.run(c + 1, ingestedAt, 'created', id, JSON.stringify({ requestNumber, urgency: urgency.level, score: urgency.score }));
      this.level[c] = this.levels.indexOf(urgency.level);
      this.score[c] = urgency.score;
      return;
    }
    this.st.insertEvent.run(c + 1, ingestedAt, 'joined', id, JSON.stringify({ reason: join, detail }));
    if (urgency.score > this.score[c]!) {
      const from = this.levels[this.level[c]!]!;
      this.score[c] = urgency.score;
      this.level[c] = this.levels.indexOf(urgency.level);
      if (urgency.level !== from) {
        const reasons = urgency.reasons.map((x: Reason) => x.text);
        this.st.insertEvent.run(c + 1, ingestedAt, 'urgency_changed', id, JSON.stringify({ from, to: urgency.level, score: urgency.score, reasons }));
      }
    }
  }

  /** The team's side: the first answer opens the case, a resolution resolves or closes it. */
  writeStatusEvents(c: number): void {
    const status = this.plan.cases.status[c]!;
    if (status === 0) return;
    const by = AGENTS[this.assignee[c]! - 1] ?? null;
    const opened = STATUSES[status] === 'waiting' ? 'waiting' : 'open';
    this.st.insertEvent.run(c + 1, this.firstResponse[c]!, 'status_changed', null, JSON.stringify({ from: 'new', to: opened, by }));
    if (status >= 3) this.st.insertEvent.run(c + 1, this.resolvedAt[c]!, 'status_changed', null, JSON.stringify({ from: opened, to: STATUSES[status], by }));
  }
}
