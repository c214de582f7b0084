/**
 * cases.reason_codes (the weekly report's themes read it): the codes of urgency_reasons with
 * positive points, kept by triggers through every path that writes a case's reasons, and filled in
 * for the cases stored before migration 0010. Real SQLite files, real pipeline.
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { describe, expect, it } from 'vitest';
import { openSqlite, SQLITE_MIGRATIONS } from '../../db/sqlite/open-sqlite.js';
import { parseConfig } from '../../src/config/config.js';
import { caseWorkflowDecider } from '../../src/cases/roll-up.js';
import { planCaseChange, refuseMerge, refuseWrite, type Actor } from '../../src/cases/workflow.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { loadRules, type UrgencyRules } from '../../src/pipeline/urgency/rules.js';
import { tempDb, tempDir } from '../helpers/db.js';
import { eventsOf } from '../helpers/events.js';
import { emailItem, postItem } from '../helpers/items.js';

const NOW = new Date('2026-11-25T03:00:00Z');
const admin: Actor = { name: 'ops-admin', mayChange: () => true };

interface Row {
  request_number: string;
  urgency_reasons: string;
  reason_codes: string;
}

/** What the column must hold, computed here from the JSON. */
const expected = (reasonsJson: string) =>
  (JSON.parse(reasonsJson) as { code: string; points: number }[])
    .filter((r) => r.points > 0)
    .map((r) => r.code)
    .join(' ');

/** No "service problem" signal, and "problem" weighs 5: rescore rewrites the reasons, not just the scores. */
function otherRules(): UrgencyRules {
  const rules = loadRules();
  return { ...rules, signals: rules.signals.filter((s) => s.id !== 'service_problem').map((s) => (s.id === 'problem' ? { ...s, points: 5 } : s)) };
}

describe('cases.reason_codes', () => {
  it('follows urgency_reasons through ingest, a join, an override, merge, split and rescore', async () => {
    const db = tempDb();
    const pipeline = new Pipeline(parseConfig({}), loadRules(), () => NOW);
    const workflow = caseWorkflowDecider(pipeline, () => NOW);
    const run = (...items: Parameters<typeof eventsOf>) => ingest(eventsOf(...items), db.repository, pipeline, { batchSize: 50 });
    const rows = () => db.sqlite.prepare('select request_number, urgency_reasons, reason_codes from cases order by id').all() as Row[];
    const codes = () => Object.fromEntries(rows().map((r) => [r.request_number, r.reason_codes]));
    const consistent = () => {
      for (const r of rows()) expect(r.reason_codes, `${r.request_number}: ${r.urgency_reasons}`).toBe(expected(r.urgency_reasons));
    };

    const first = emailItem({ from: 'ana@example.com', subject: 'Question', text: 'How do I change my phone number? Thanks!' });
    await run(
      first,
      postItem({ handle: 'budi', text: '@SakuPay Thank you! The app is a bit slow today, how can I fix it?' }),
      postItem({ handle: 'citra', text: '@SakuPay saldo saya hilang Rp 2.000.000, tolong!' }),
    );
    consistent();
    // Negative points (thanks, a question) are left out; a case with no positive reason has none.
    expect(codes()).toEqual({ 'REQ-2026-000001': '', 'REQ-2026-000002': 'problem', 'REQ-2026-000003': 'money_missing amount problem' });

    // A reply that raises the case's urgency rewrites its reasons.
    await run(
      emailItem({ from: 'ana@example.com', subject: 'Re: Question', text: 'Someone took Rp 5.000.000 from my account, a transaction I did not make!', inReplyTo: first.messageId! }),
    );
    consistent();
    expect(codes()['REQ-2026-000001']).toContain('unauthorised_transaction');

    const change = await db.repository.changeCase('REQ-2026-000002', (s) => planCaseChange(s, { urgencyOverride: { level: 'critical', reason: 'press' } }, admin, NOW), workflow);
    expect(change).toHaveProperty('ok');
    consistent();

    const merged = await db.repository.mergeCases('REQ-2026-000002', 'REQ-2026-000003', (f, i) => refuseMerge(f, i, admin), admin.name, workflow);
    expect(merged).toHaveProperty('ok');
    consistent();

    const before = (await db.repository.getCase('REQ-2026-000001'))!;
    const split = await db.repository.splitMessage('REQ-2026-000001', before.messages[1]!.id, (s) => refuseWrite(s, admin), admin.name, workflow);
    expect(split).toHaveProperty('ok');
    consistent();
    // The split-off message took its unauthorised transaction with it.
    expect(codes()['REQ-2026-000001']).not.toContain('unauthorised_transaction');
    expect(codes()['REQ-2026-000004']).toContain('unauthorised_transaction');

    const beforeRescore = codes();
    const result = await db.repository.rescore(new Pipeline(parseConfig({}), otherRules(), () => NOW).rescorer);
    expect(result.messagesChanged).toBeGreaterThan(0);
    consistent();
    expect(codes()).not.toEqual(beforeRescore);
  });

  it('migration 0010 fills it in for the cases stored before it', () => {
    // The migrations up to 0009, as a database of the previous release had them.
    const dir = tempDir('cm-migrate-');
    const folder = join(dir, 'migrations');
    cpSync(SQLITE_MIGRATIONS, folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { idx: number; tag: string }[] };
    const later = journal.entries.filter((e) => e.idx >= 10);
    expect(later.map((e) => e.tag)).toContain('0010_case_reason_codes');
    for (const e of later) rmSync(join(folder, `${e.tag}.sql`));
    writeFileSync(journalPath, JSON.stringify({ ...journal, entries: journal.entries.filter((e) => e.idx < 9) }));

    const path = join(dir, 'old.db');
    const old = new Database(path);
    migrate(drizzle(old), { migrationsFolder: folder });
    const insert = old.prepare(
      `insert into cases (request_number, channel, source, customer_key, urgency, urgency_score, urgency_reasons, first_contact_at, last_contact_at, created_at, updated_at)
       values (?, 'x', 'x-brand', ?, 'high', 0, ?, 0, 0, 0, 0)`,
    );
    const reasons = [
      '[{"code":"account_blocked","points":4,"text":"account blocked"},{"code":"question","points":-1,"text":"asks a question"},{"code":"zero","points":0,"text":"no weight"},{"code":"reach","points":3,"text":"author has 210k followers"}]',
      '[]',
      '[{"code":"thanks_or_praise","points":-2,"text":"thanks or praise"}]',
    ];
    reasons.forEach((r, i) => insert.run(`REQ-2026-00000${i + 1}`, `x:c${i}`, r));
    old.close();

    const upgraded = openSqlite(path);
    expect(upgraded.sqlite.prepare('select reason_codes from cases order by id').pluck().all()).toEqual(['account_blocked reach', '', '']);
    upgraded.sqlite.close();
  });
});
