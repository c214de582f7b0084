/**
 * `complaint-monitor report` as a user runs it: the real bin against the report dataset's file.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPORT_TABLE_NAMES } from '../../src/reports/generate.js';
import { tempDir } from '../helpers/db.js';
import { reportDataset } from '../helpers/report-dataset.js';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/complaint-monitor.js');
let db: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [BIN, 'report', ...args], { encoding: 'utf8', cwd: ROOT, env: { ...process.env, DATABASE_URL: db, CM_CONFIG: '', CM_TIMEZONE: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  db = (await reportDataset()).path;
});

describe('complaint-monitor report', () => {
  it('weekly --out - prints the JSON report; --tz sets the week boundaries', () => {
    const r = cli(['weekly', '--week', '2026-W43', '--tz', 'Europe/Amsterdam', '--out', '-']);
    expect(r.code, r.err).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.period).toMatchObject({ label: '2026-W43', timeZone: 'Europe/Amsterdam' });
    expect(report.summary).toMatchObject({ newCases: 5, messages: 9 });
    const jakarta = JSON.parse(cli(['weekly', '--week', '2026-W43']).out);
    expect(jakarta.period.timeZone).toBe('Asia/Jakarta');
    expect(jakarta.summary).toMatchObject({ newCases: 4, messages: 7 });
  });

  it('csv writes one file per table into the folder; xlsx and html write one file', () => {
    const dir = tempDir('cm-report-cli-');
    const csv = cli(['weekly', '--week', '2026-W43', '--format', 'csv', '--out', join(dir, 'csv')]);
    expect(csv.code, csv.err).toBe(0);
    expect(readdirSync(join(dir, 'csv')).sort()).toEqual(REPORT_TABLE_NAMES.map((n) => `complaints-2026-W43-${n}.csv`).sort());
    expect(cli(['weekly', '--week', '2026-W43', '--format', 'xlsx', '--out', join(dir, 'r.xlsx')]).code).toBe(0);
    expect(readFileSync(join(dir, 'r.xlsx')).subarray(0, 2).toString()).toBe('PK');
    expect(cli(['weekly', '--week', '2026-W43', '--format', 'html', '--out', dir]).code).toBe(0);
    expect(existsSync(join(dir, 'complaints-2026-W43.html'))).toBe(true);
  });

  it('usage errors exit 2 naming the flag', () => {
    const cases: [string[], RegExp][] = [
      [['weekly', '--week', '2026-W54'], /--week: 2026 has ISO weeks 01 to 53/],
      [['weekly', '--week', '2026-W43', '--tz', 'Nowhere/City'], /--tz: "Nowhere\/City" is not an IANA time zone/],
      [['weekly', '--format', 'xlsx', '--out', '-'], /xlsx needs a file path/],
      [['monthly'], /unknown report "monthly"/],
    ];
    for (const [args, message] of cases) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err).toMatch(message);
    }
    expect(cli(['--help']).code).toBe(0);
  });

  it('scheduled-run writes last week in each format and keeps the newest N weeks', () => {
    const dir = tempDir('cm-report-sched-');
    writeFileSync(join(dir, 'complaints-2020-W01.json'), '{}');
    writeFileSync(join(dir, 'keep-me.txt'), 'not a report');
    const r = cli(['scheduled-run', '--dir', dir, '--keep', '1', '--formats', 'json,html', '--json']);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    expect(result.written).toHaveLength(2);
    expect(result.removed).toEqual([join(dir, 'complaints-2020-W01.json')]);
    expect(readdirSync(dir).sort()).toEqual([`complaints-${result.week}.html`, `complaints-${result.week}.json`, 'keep-me.txt']);
    expect(new Date(result.nextRunAt).getTime()).toBeGreaterThan(Date.now());
  });
});
