/**
 * The main job (`complaint-monitor run`, what `npm start` does) on the bundled samples, through the
 * real CLI into a real SQLite file: the scenarios samples/README.md promises.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../db/repository.js';
import type { IngestSummary } from '../../src/pipeline/ingest.js';
import { tempDir } from '../helpers/db.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/complaint-monitor.js');

interface RunOutput {
  summary: IngestSummary;
  totals: { cases: number; messages: number };
  top: CaseSummary[];
}

function run(db: string): RunOutput {
  return JSON.parse(execFileSync(process.execPath, [BIN, 'run', '--db', db, '--json'], { encoding: 'utf8' })) as RunOutput;
}

describe('the main job on the bundled samples', () => {
  const dbPath = join(tempDir(), 'samples.db');
  let first: RunOutput;
  let second: RunOutput;
  let db: Database.Database;
  const one = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T;
  const messageBy = (rawRefPart: string) =>
    one<{ kind: string; case_id: number | null; join_reason: string | null; urgency: string | null; body: string }>(
      'select kind, case_id, join_reason, urgency, body from messages where raw_ref like ?',
      `%${rawRefPart}%`,
    );

  beforeAll(() => {
    first = run(dbPath);
    second = run(dbPath);
    db = new Database(dbPath, { readonly: true });
    return () => db.close();
  }, 120_000);

  it('imports everything, quarantines nothing, and a second run stores nothing', () => {
    expect(first.summary).toMatchObject({ read: 98, stored: 98, quarantined: 0, duplicates: 0, non_complaints: 2 });
    expect(second.summary).toMatchObject({ read: 98, stored: 0, duplicates: 98, cases_created: 0 });
    expect(second.totals).toEqual(first.totals);
  });

  it('the bounce and the out-of-office reply open no case', () => {
    expect(messageBy('bounce-mailer-daemon')).toMatchObject({ kind: 'bounce', case_id: null });
    expect(messageBy('out-of-office-auto-reply')).toMatchObject({ kind: 'auto_reply', case_id: null });
  });

  it('joins re-sends, replies and quoted numbers to the first case, each with its reason', () => {
    const first = messageBy('2026-11-17-01-saldo-hilang-id');
    expect(messageBy('2026-11-19-01-resend-saldo-hilang-id')).toMatchObject({ case_id: first.case_id, join_reason: 'near_duplicate' });
    const daniel = messageBy('2026-11-16-02-unauthorised-hotline-en');
    expect(messageBy('2026-11-19-03-hotline-ref-work-email-en')).toMatchObject({ case_id: daniel.case_id, join_reason: 'request_number' });
    const danielOnX = one<{ case_id: number; join_reason: string }>("select case_id, join_reason from messages where author_handle = 'dhartono_id'");
    expect(danielOnX).toEqual({ case_id: daniel.case_id, join_reason: 'request_number' });
    const budi = messageBy('2026-11-16-01-topup-failed-id');
    expect(messageBy('2026-11-19-02-topup-ticket-screenshot-id')).toMatchObject({ case_id: budi.case_id, join_reason: 'request_number' });
    const liWei = messageBy('2026-11-17-02-balance-missing-zh');
    expect(messageBy('2026-11-18-02-zh-followup-thread')).toMatchObject({ case_id: liWei.case_id, join_reason: 'thread' });
    const rudi = db.prepare("select join_reason from messages where author_handle = 'rudi_kurniawan_' order by sent_at").all();
    expect(rudi).toEqual([{ join_reason: null }, { join_reason: 'conversation' }]);
  });

  it('records only the real quoted references, none of the look-alike numbers', () => {
    const refs = db.prepare("select system, value from case_references where system != 'issued' order by value").all();
    expect(refs).toEqual([
      { system: 'hotline', value: '2611-0042' },
      { system: 'helpdesk', value: '4471829' },
      { system: 'helpdesk', value: '5820317' },
    ]);
  });

  it('masks the pasted card number, CVV and codes before storage', () => {
    const hacked = messageBy('2026-11-17-04-hacked-card-otp-id');
    expect(hacked.body).toContain('[card ****1111]');
    expect(hacked.body).toContain('[cvv removed]');
    expect(hacked.body).not.toMatch(/4111|482913/);
    expect(messageBy('2026-11-17-02-balance-missing-zh').body).not.toContain('739204');
  });

  it('reads the HTML-only email', () => {
    const html = messageBy('html-only-qris-failed');
    expect(html.body).toContain('Pembayaran gagal');
    expect(html.urgency).toBe('critical');
  });

  it('puts the 210k-follower stolen-money post above the outage posts', () => {
    const ranked = first.top.map((c) => c.customerKey);
    const journalist = ranked.indexOf('x:rakaditya_tech');
    expect(journalist).toBeGreaterThanOrEqual(0);
    expect(first.top[journalist]!.urgency).toBe('critical');
    const outage = db
      .prepare(
        "select c.customer_key, c.urgency_score from cases c join messages m on m.case_id = c.id where m.sent_at between ? and ? and m.channel = 'x'",
      )
      .all(Date.parse('2026-11-21T02:10:00Z'), Date.parse('2026-11-21T02:35:00Z')) as { urgency_score: number }[];
    expect(outage.length).toBeGreaterThan(30);
    const score = first.top[journalist]!.urgencyScore;
    expect(outage.every((c) => c.urgency_score < score)).toBe(true);
  });

  it('keeps questions and thanks low even from bigger accounts', () => {
    for (const handle of ['xiaoyu_jkt', 'ratna_sari_', 'yudha_p_']) {
      expect(one<{ urgency: string }>('select urgency from messages where author_handle = ?', handle).urgency).toBe('low');
    }
  });
});
