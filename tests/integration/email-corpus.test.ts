/**
 * The whole public email corpus (tests/fixtures/email-corpus, real messages with hard MIME),
 * imported twice through the real CLI into a real SQLite file.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseEmail } from '../../connectors/email/parse-email.js';
import type { IngestSummary } from '../../src/pipeline/ingest.js';
import { tempDir } from '../helpers/db.js';

const ROOT = join(import.meta.dirname, '../..');
const CORPUS = join(ROOT, 'tests/fixtures/email-corpus');
const BIN = join(ROOT, 'bin/complaint-monitor.js');
const NOT_MAIL = /(?:^|[-_.])(?:readme|license|licence|copying|notice|changelog|sources)(?:[-_.]\w+)?$|\.md$/i;

function listFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? listFiles(p) : [p];
    });
}

function importCorpus(db: string): IngestSummary {
  const out = execFileSync(process.execPath, [BIN, 'import', CORPUS, '--db', db, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as IngestSummary;
}

describe('importing the public email corpus twice', () => {
  const dbPath = join(tempDir(), 'corpus.db');
  const files = listFiles(CORPUS).filter((f) => !NOT_MAIL.test(f.split('/').pop()!));
  let first: IngestSummary;
  let second: IngestSummary;

  beforeAll(() => {
    first = importCorpus(dbPath);
    second = importCorpus(dbPath);
  }, 300_000);

  it('reads every file, and the summary adds up', () => {
    expect(first.read).toBe(files.length);
    expect(first.read).toBe(first.stored + first.duplicates + first.quarantined);
    expect(first.stored).toBe(first.cases_created + Object.values(first.threaded).reduce((a, b) => a + b, 0) + first.non_complaints);
  });

  it('every file is stored, the same message as a stored one, or quarantined with a reason', async () => {
    const db = new Database(dbPath, { readonly: true });
    const stored = new Set((db.prepare('select raw_ref from messages').all() as { raw_ref: string }[]).map((r) => r.raw_ref));
    const storedIds = new Set((db.prepare('select external_id from messages').all() as { external_id: string }[]).map((r) => r.external_id));
    const quarantined = new Map(
      (db.prepare('select raw_ref, reason, detail from quarantine').all() as { raw_ref: string; reason: string; detail: string }[]).map((q) => [q.raw_ref, q]),
    );
    db.close();
    const unaccounted: string[] = [];
    let sameMessage = 0;
    for (const file of files) {
      if (stored.has(file)) continue;
      const q = quarantined.get(file);
      if (q) {
        expect(q.reason).toMatch(/^[a-z_]+$/);
        expect(q.detail.length).toBeGreaterThan(0);
        continue;
      }
      const parsed = await parseEmail(readFileSync(file), { source: 'file', rawRef: file, maxBytes: 25 << 20, timeoutMs: 30_000, fallbackDate: statSync(file).mtime });
      if (parsed.ok && storedIds.has(parsed.item.externalId)) sameMessage++;
      else unaccounted.push(relative(CORPUS, file));
    }
    expect(unaccounted).toEqual([]);
    expect(sameMessage).toBe(first.duplicates);
  });

  it('the second run stores nothing', () => {
    expect(second.read).toBe(first.read);
    expect(second.stored).toBe(0);
    expect(second.cases_created).toBe(0);
    expect(second.duplicates).toBe(first.stored + first.duplicates);
    expect(second.quarantined).toBe(first.quarantined);
  });

  it('recognises the sisimai bounces and reports as non-complaints', () => {
    const db = new Database(dbPath, { readonly: true });
    const rows = db
      .prepare("select kind, count(*) n from messages where raw_ref like '%/sisimai-set-of-emails/maildir/bsd/%' group by kind")
      .all() as { kind: string; n: number }[];
    db.close();
    const total = rows.reduce((a, r) => a + r.n, 0);
    const nonComplaints = rows.filter((r) => r.kind !== 'complaint').reduce((a, r) => a + r.n, 0);
    const share = nonComplaints / total;
    mkdirSync(join(ROOT, 'tests/artifacts'), { recursive: true });
    writeFileSync(join(ROOT, 'tests/artifacts/email-corpus-report.json'), JSON.stringify({ first, second, sisimai: { total, nonComplaints, share, byKind: rows } }, null, 2));
    expect(total).toBeGreaterThan(100);
    expect(share).toBeGreaterThanOrEqual(0.97);
  });
});
