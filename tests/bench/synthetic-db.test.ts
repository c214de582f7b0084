import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDb, writeSyntheticDb, type SyntheticDbOptions, type SyntheticDbStats } from '../../bench/lib/synthetic-db.js';
import { openSqlite } from '../../db/sqlite/open-sqlite.js';
import { parseConfig } from '../../src/config/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';

const OPTIONS: SyntheticDbOptions = { messages: 3000, cases: 1200, days: 60, end: '2026-11-26T00:00:00Z', denseWeek: { messages: 600 }, seed: 7 };
const WEEK_MS = 7 * 86_400_000;

let dir: string;
let path: string;
let stats: SyntheticDbStats;
let db: Database.Database;

const all = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'synthetic-db-'));
  path = join(dir, 'a.db');
  stats = await writeSyntheticDb(path, OPTIONS, { log: () => {} });
  db = new Database(path, { readonly: true });
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('synthetic database', () => {
  it('holds exactly the messages and cases asked for, 1 to 5 messages a case, 2.5 on average', () => {
    expect(one<{ n: number }>('select count(*) as n from messages').n).toBe(3000);
    expect(one<{ n: number }>('select count(*) as n from cases').n).toBe(1200);
    expect(stats).toMatchObject({ messages: 3000, cases: 1200 });
    const mismatched = all('select c.id from cases c where c.contact_count != (select count(*) from messages m where m.case_id = c.id)');
    expect(mismatched).toEqual([]);
    const range = one<{ lo: number; hi: number }>('select min(contact_count) as lo, max(contact_count) as hi from cases');
    expect(range).toEqual({ lo: 1, hi: 5 });
  });

  it('issues request numbers in the real format, with request_sequences and an issued reference per case', () => {
    const cases = all<{ id: number; request_number: string }>('select id, request_number from cases order by id');
    for (const c of cases) expect(c.request_number).toMatch(/^REQ-20\d\d-\d{6}$/);
    const sequences = all<{ scope: string; last: number }>('select scope, last from request_sequences');
    const issuedPerYear = new Map<string, number>();
    for (const c of cases) {
      const scope = c.request_number.replace(/\d{6}$/, '#');
      issuedPerYear.set(scope, Math.max(issuedPerYear.get(scope) ?? 0, Number(c.request_number.slice(-6))));
    }
    expect(Object.fromEntries(sequences.map((s) => [s.scope, s.last]))).toEqual(Object.fromEntries(issuedPerYear));
    const withoutIssued = all(
      "select c.id from cases c where (select count(*) from case_references r where r.case_id = c.id and r.system = 'issued' and r.value = c.request_number) != 1",
    );
    expect(withoutIssued).toEqual([]);
  });

  it('records a created event per case and a joined event per follow-up; only answered cases have a first response', () => {
    const events = Object.fromEntries(all<{ type: string; n: number }>('select type, count(*) as n from case_events group by type').map((e) => [e.type, e.n]));
    expect(events.created).toBe(1200);
    expect(events.joined).toBe(3000 - 1200);
    expect(one<{ n: number }>("select count(*) as n from cases where status = 'new' and first_response_at is not null").n).toBe(0);
    expect(one<{ n: number }>("select count(*) as n from cases where status in ('resolved', 'closed') and resolved_at is null").n).toBe(0);
    const statuses = Object.fromEntries(all<{ status: string; n: number }>('select status, count(*) as n from cases group by status').map((s) => [s.status, s.n]));
    expect((statuses.new ?? 0) + (statuses.open ?? 0)).toBeGreaterThan(1200 / 2);
  });

  it('mixes channels and languages and keeps critical cases few', () => {
    const channels = Object.fromEntries(all<{ channel: string; n: number }>('select channel, count(*) as n from cases group by channel').map((c) => [c.channel, c.n]));
    expect(channels.email).toBeGreaterThan(0);
    expect(channels.x).toBeGreaterThan(0);
    const critical = one<{ n: number }>("select count(*) as n from cases where urgency = 'critical'").n;
    expect(critical).toBeGreaterThan(0);
    expect(critical).toBeLessThan(1200 * 0.15);
    expect(one<{ n: number }>("select count(*) as n from messages where body like '%saldo%'").n).toBeGreaterThan(0); // Indonesian
    expect(one<{ n: number }>("select count(*) as n from messages where body glob '*[一-龥]*'").n).toBeGreaterThan(0); // Chinese
  });

  it('puts the dense week into the last seven days', () => {
    const end = Date.parse('2026-11-26T00:00:00Z');
    const inWeek = one<{ n: number }>('select count(*) as n from messages where sent_at >= ? and sent_at < ?', end - WEEK_MS, end).n;
    const weekBefore = one<{ n: number }>('select count(*) as n from messages where sent_at >= ? and sent_at < ?', end - 2 * WEEK_MS, end - WEEK_MS).n;
    expect(inWeek).toBeGreaterThanOrEqual(600);
    expect(inWeek).toBeGreaterThan(weekBefore * 2);
  });

  it('indexes every message in messages_fts', () => {
    for (const term of ['saldo', 'refund']) {
      const fts = one<{ n: number }>('select count(*) as n from messages_fts where messages_fts match ?', `"${term}"`).n;
      const scan = one<{ n: number }>("select count(*) as n from messages where instr(lower(coalesce(subject, '') || ' ' || body), ?) > 0", term).n;
      expect(fts).toBeGreaterThan(0);
      expect(fts).toBe(scan);
    }
  });

  it('leaves a database the real code reads and writes: same triggers as the migrations, consistent keys', async () => {
    const fresh = openSqlite(':memory:');
    const triggers = (d: Database.Database) => d.prepare("select name, sql from sqlite_master where type = 'trigger' order by name").all();
    expect(triggers(db)).toEqual(triggers(fresh.sqlite));
    await fresh.repository.close();
    expect(all('pragma foreign_key_check')).toEqual([]);

    const { repository, sqlite } = openSqlite(join(dir, 'a.db'));
    try {
      const list = await repository.listCases({ limit: 5 });
      expect(list).toHaveLength(5);
      const detail = await repository.getCase(list[0]!.requestNumber);
      expect(detail?.messages).toHaveLength(list[0]!.contactCount);
      // A message stored after the load reaches the index through the restored trigger.
      const pipeline = new Pipeline(parseConfig({}));
      const item = pipeline.prepare({
        channel: 'email',
        source: 'after-load',
        externalId: '<after@x>',
        sentAt: new Date('2026-11-27T00:00:00Z'),
        author: { email: 'late@example.com' },
        subject: 'zyxwvut marker',
        text: 'saldo hilang',
        attachments: [],
        rawRef: 'after',
      });
      await repository.ingestBatch({ items: [item], failures: [], cursors: [] }, pipeline);
      expect(sqlite.prepare('select count(*) as n from messages_fts where messages_fts match ?').get('"zyxwvut"')).toEqual({ n: 1 });
    } finally {
      await repository.close();
    }
  });

  it('writes the same rows for the same options, and the cache hands the file back the second time', async () => {
    const cacheDir = join(dir, 'cache');
    const first = await syntheticDb(OPTIONS, { cacheDir, log: () => {} });
    const second = await syntheticDb(OPTIONS, { cacheDir, log: () => {} });
    expect(first.reused).toBe(false);
    expect(second).toMatchObject({ reused: true, path: first.path });
    const digest = (p: string) => {
      const d = new Database(p, { readonly: true });
      const rows = d.prepare('select request_number, status, urgency, urgency_score, facts, contact_count, first_contact_at from cases order by id').all();
      const bodies = d.prepare('select body, sent_at, urgency_reasons from messages order by id').all();
      d.close();
      return JSON.stringify([rows, bodies]);
    };
    // The cached copy was built separately from the one above (the test's own file has a message more).
    const rebuilt = join(dir, 'b.db');
    await writeSyntheticDb(rebuilt, OPTIONS, { log: () => {} });
    expect(digest(first.path)).toBe(digest(rebuilt));
  });
});
