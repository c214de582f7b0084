/**
 * The command line as a user runs it: the real bin, real files, exit codes and output.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/db.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/complaint-monitor.js');

function cli(args: string[], input?: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    input,
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: '', CM_CONFIG: '', ...env },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const EMAIL = (n: number, text: string, subject = `Saldo ${n}`) =>
  `From: user${n}@example.com\nTo: care@sakupay.example\nSubject: ${subject}\nDate: Wed, 18 Nov 2026 09:15:02 +0700\nMessage-ID: <cli${n}@example.com>\n\n${text}\n`;

describe('complaint-monitor CLI', () => {
  it('every command has --help', () => {
    for (const command of ['run', 'import', 'poll', 'cases', 'case', 'triage', 'categorise', 'rescore', 'quarantine', 'link', 'serve', 'token']) {
      const r = cli([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.out, command).toMatch(/^Usage: complaint-monitor /);
    }
    expect(cli(['--help']).out).toContain('Commands:');
  });

  it('poll without configured sources, or with an unknown one, says what to do', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    const none = cli(['poll', '--once', '--db', db]);
    expect(none.code).toBe(2);
    expect(none.err).toContain('no sources configured');
    const config = join(dir, 'cm.json');
    writeFileSync(config, JSON.stringify({ sources: [{ type: 'imap', name: 'care', host: '127.0.0.1', user: 'u', passwordEnv: 'CARE_PW' }] }));
    const unknown = cli(['poll', '--once', '--db', db, '--config', config, '--source', 'other']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no source named "other" (configured: care)');
    writeFileSync(config, JSON.stringify({ sources: [{ type: 'imap', name: 'care', host: '127.0.0.1', user: 'u' }] }));
    const invalid = cli(['poll', '--once', '--db', db, '--config', config]);
    expect(invalid.code).toBe(2);
    expect(invalid.err).toContain('give exactly one of password, passwordEnv, accessToken, accessTokenEnv');
  });

  it('import prints a summary whose --json last line has the documented keys; re-import stores nothing', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    writeFileSync(join(dir, 'a.eml'), EMAIL(1, 'Saldo saya hilang Rp 1.500.000, tidak ada transaksi.'));
    writeFileSync(join(dir, 'b.eml'), EMAIL(2, 'How do I change my phone number?', 'Question'));
    writeFileSync(join(dir, 'broken.eml'), 'not an email at all');
    const human = cli(['import', dir, '--db', db]);
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/read\s+3\n\s+stored\s+2\n/);
    expect(human.out).toContain('not_an_email');
    const again = cli(['import', dir, '--db', db, '--json']);
    const summary = JSON.parse(again.out.trim().split('\n').at(-1)!);
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['read', 'stored', 'duplicates', 'quarantined', 'threaded', 'cases_created', 'non_complaints']),
    );
    expect(summary).toMatchObject({ read: 3, stored: 0, duplicates: 2, quarantined: 1, cases_created: 0 });

    const cases = JSON.parse(cli(['cases', '--db', db, '--json']).out);
    expect(cases.map((c: { urgency: string }) => c.urgency)).toEqual(['critical', 'low']);
    const critical = cli(['cases', '--db', db, '--urgency', 'critical']);
    expect(critical.out).toContain('REQ-');
    expect(critical.out).not.toContain('Question');

    const detail = cli(['case', cases[0].requestNumber.toLowerCase().replace(/-/g, ' '), '--db', db]);
    expect(detail.code).toBe(0);
    expect(detail.out).toContain('Why this urgency:');
    expect(detail.out).toContain('money deducted or missing');
    const quarantine = JSON.parse(cli(['quarantine', '--db', db, '--json']).out);
    expect(quarantine).toEqual([expect.objectContaining({ reason: 'not_an_email', attempts: 2 })]);
  });

  it('triage scores stdin lines without storing and reports bad lines without stopping', () => {
    const input = [
      JSON.stringify({ id: 'a', text: 'my account was hacked and my balance of Rp 2.000.000 is gone', followers: 210000 }),
      'not json',
      JSON.stringify({ text: 'How do I change my email?', channel: 'email', subject: 'question' }),
      JSON.stringify({ text: 'see REQ-2026-000123, still broken' }),
    ].join('\n');
    const r = cli(['triage'], input);
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ id: 'a', urgency: 'critical', request_numbers: [] });
    expect(lines[0].reasons.map((x: { text: string }) => x.text)).toContain('author has 210k followers');
    expect(lines[1]).toEqual({ line: 2, error: { code: 'invalid_json', message: expect.any(String) } });
    expect(lines[2]).toMatchObject({ urgency: 'low' });
    expect(lines[3]).toMatchObject({ request_numbers: ['REQ-2026-000123'] });
  });

  it('a config file can replace the urgency rules and the request-number format', () => {
    const dir = tempDir();
    const rules = JSON.parse(readFileSync(join(ROOT, 'src/pipeline/urgency/rules.default.json'), 'utf8'));
    rules.signals.push({ id: 'lost_card', reason: 'card lost', points: 9, patterns: { en: ['lost (my )?card'], id: ['kartu (saya )?hilang'] } });
    rules.levels.criticalNeeds.push('lost_card');
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ urgency: { rulesFile: './rules.json' }, requestNumbers: { format: 'CM{YY}/{SEQ:5}' } }));
    const r = cli(['triage', '--config', join(dir, 'cfg.json')], JSON.stringify({ text: 'kartu saya hilang, see cm26/00042' }));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ urgency: 'critical', reasons: [{ code: 'lost_card', text: 'card lost' }, { code: 'problem' }], request_numbers: ['CM26/00042'] });
    writeFileSync(join(dir, 'bad-rules.json'), JSON.stringify({ ...rules, levels: { critical: 'high' } }));
    writeFileSync(join(dir, 'cfg2.json'), JSON.stringify({ urgency: { rulesFile: './bad-rules.json' } }));
    const bad = cli(['triage', '--config', join(dir, 'cfg2.json')], '');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/invalid urgency rules .*bad-rules\.json[\s\S]*levels\.critical/);
  });

  it('triage --eval scores labelled files per split and names a bad line by file and number', () => {
    const dir = tempDir();
    const line = (id: string, text: string, urgency: string, split: string) => JSON.stringify({ id, lang: 'en', src: 'test', text, urgency, split });
    writeFileSync(
      join(dir, 'set.jsonl'),
      [
        line('d1', 'my account was hacked and my balance is gone', 'critical', 'dev'),
        line('d2', 'How do I change my email?', 'low', 'dev'),
        line('d3', 'the app crashes every time', 'critical', 'dev'),
        line('h1', 'someone made an unauthorised transaction on my card', 'critical', 'heldout'),
      ].join('\n'),
    );
    const r = cli(['triage', '--eval', join(dir, 'set.jsonl')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('development split: 3 items, accuracy 0.67');
    expect(r.out).toContain('held-out split (misses not listed): 1 items, accuracy 1.00');
    expect(r.out).toMatch(/- d3 {2}label critical, got normal \(score \d+\): service_problem/);
    expect(r.out).not.toContain('- h1');
    const json = JSON.parse(cli(['triage', '--eval', '--json', '--split', 'dev', join(dir, 'set.jsonl')]).out);
    expect(json.dev.confusion[0]).toEqual([1, 0, 1, 0]);
    expect(json.heldout).toBeUndefined();

    writeFileSync(join(dir, 'bad.jsonl'), `${line('x', 'fine', 'low', 'dev')}\n{"id": "y", "text": "t", "urgency": "urgent"}\n`);
    const bad = cli(['triage', '--eval', join(dir, 'bad.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad\.jsonl:2: .*urgency/);
  });

  it('categorise names what lines are about, scores the labelled set, and cases filter by category', () => {
    const r = cli(['categorise'], [JSON.stringify({ id: 1, text: 'refund saya belum masuk' }), '{oops', JSON.stringify({ text: 'hello there' })].join('\n'));
    expect(r.code).toBe(1);
    const lines = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ id: 1, category: 'refund', labels: [{ category: 'refund', evidence: expect.arrayContaining(['refund']) }] });
    expect(lines[1]).toMatchObject({ line: 2, error: { code: 'invalid_json' } });
    expect(lines[2]).toEqual({ category: 'other', confidence: 1, labels: [] });

    const dir = tempDir();
    const item = (id: string, text: string, category: string, split: string) => JSON.stringify({ id, lang: 'en', src: 'test', text, urgency: 'high', split, category });
    writeFileSync(join(dir, 'set.jsonl'), [item('a', 'Where is my refund?', 'refund', 'dev'), item('b', 'the app keeps crashing', 'refund', 'dev'), item('c', 'I cannot log in', 'account_access', 'heldout')].join('\n'));
    const ev = cli(['categorise', '--eval', join(dir, 'set.jsonl')]);
    expect(ev.code).toBe(0);
    expect(ev.out).toContain('development split: 2 items, micro-F1 (primary) 0.50');
    expect(ev.out).toContain('held-out split (misses not listed): 1 items, micro-F1 (primary) 1.00');
    expect(ev.out).toMatch(/- b {2}label refund, got app_bug_outage/);
    writeFileSync(join(dir, 'bad.jsonl'), item('d', 'x', 'lost_luggage', 'dev'));
    const bad = cli(['categorise', '--eval', join(dir, 'bad.jsonl')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('category "lost_luggage" is not in the rules');

    const db = join(dir, 'c.db');
    expect(cli(['run', '--db', db]).code).toBe(0);
    const refunds = JSON.parse(cli(['cases', '--db', db, '--json', '--category', 'refund']).out) as { category: string }[];
    expect(refunds.length).toBeGreaterThan(0);
    expect(refunds.every((c) => c.category === 'refund')).toBe(true);
    const unknown = cli(['cases', '--db', db, '--category', 'lost_luggage']);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('--category must be one of');
  });

  it('rescore applies a changed rules file to stored cases and records the changes', () => {
    const dir = tempDir();
    const db = join(dir, 'c.db');
    expect(cli(['run', '--db', db]).code).toBe(0);
    const before = JSON.parse(cli(['cases', '--db', db, '--json', '--limit', '1000']).out) as { urgency: string }[];
    const rules = JSON.parse(readFileSync(join(ROOT, 'src/pipeline/urgency/rules.default.json'), 'utf8'));
    rules.levels = { critical: 100, high: 99, normal: 98 };
    writeFileSync(join(dir, 'rules.json'), JSON.stringify(rules));
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ urgency: { rulesFile: './rules.json' } }));
    const dry = JSON.parse(cli(['rescore', '--db', db, '--config', join(dir, 'cfg.json'), '--dry-run', '--json']).out);
    const notLow = before.filter((c) => c.urgency !== 'low').length;
    expect(dry).toMatchObject({ dryRun: true, cases: before.length, casesChanged: notLow });
    const r = cli(['rescore', '--db', db, '--config', join(dir, 'cfg.json')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`cases changed level`);
    expect(r.out).toMatch(/critical -> low: \d+/);
    // Not a terminal: the progress shows as plain lines on stderr.
    expect(r.err).toMatch(/\[#+\] 100% {2}\d+ \/ \d+ messages/);
    const after = JSON.parse(cli(['cases', '--db', db, '--json', '--limit', '1000']).out) as { urgency: string }[];
    expect(after.every((c) => c.urgency === 'low')).toBe(true);
    const again = JSON.parse(cli(['rescore', '--db', db, '--config', join(dir, 'cfg.json'), '--json']).out);
    expect(again).toMatchObject({ casesChanged: 0, messagesChanged: 0 });
  });

  it.each<[string, string[], number, RegExp]>([
    ['no command', [], 2, /Usage:/],
    ['an unknown command', ['frobnicate'], 2, /unknown command "frobnicate"/],
    ['an unknown option', ['cases', '--colour'], 2, /Unknown option '--colour'[\s\S]*complaint-monitor cases --help/],
    ['a bad urgency', ['cases', '--urgency', 'urgent'], 2, /--urgency must be one of critical, high, normal, low/],
    ['a bad limit', ['cases', '--limit', 'ten'], 2, /--limit must be a positive whole number/],
    ['import without paths', ['import'], 2, /give at least one file or folder/],
    ['a PostgreSQL URL', ['cases', '--db', 'postgres://u:secret@localhost/test'], 2, /PostgreSQL is not supported/],
  ])('%s: a clear message, the right exit code, no stack trace', (_label, args, code, message) => {
    const r = cli(args);
    expect(r.code).toBe(code);
    expect(r.out + r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
    expect(r.err).not.toContain('secret');
  });

  it('a missing case is exit 1; an invalid config file is exit 2 naming the field', () => {
    const dir = tempDir();
    expect(cli(['case', 'REQ-2026-999999', '--db', join(dir, 'x.db')])).toMatchObject({ code: 1, err: expect.stringContaining('no case') });
    const config = join(dir, 'cfg.json');
    writeFileSync(config, JSON.stringify({ timezone: 'Mars/Olympus', dedupe: { nearDuplicateSimilarity: 3 } }));
    const r = cli(['cases', '--config', config, '--db', join(dir, 'x.db')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/timezone: not an IANA time zone/);
    expect(r.err).toMatch(/dedupe\.nearDuplicateSimilarity/);
  });

  it('link records two identities as one customer', () => {
    const dir = tempDir();
    expect(cli(['link', 'email:Ana@Example.com', 'x:ana_w', '--db', join(dir, 'x.db')])).toMatchObject({ code: 0, out: 'linked email:ana@example.com and x:ana_w\n' });
    expect(cli(['link', 'ana', 'x:ana_w', '--db', join(dir, 'x.db')]).code).toBe(2);
  });
});
