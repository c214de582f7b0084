import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_KEEP_WEEKS, nextWeeklyRunAt, runWeeklyReportJob } from '../reports/schedule.js';
import { generateWeeklyReport, renderReport, REPORT_FORMATS, REPORT_TABLE_NAMES, reportBaseName, resolvePeriod, type ReportFormat } from '../reports/generate.js';
import { assertTimeZone, PeriodError, type ReportPeriod } from '../reports/week.js';
import { CliUsageError, COMMON_OPTIONS, oneOf, openContext, parseCommandArgs, parsePositiveInt, type Command } from './command.js';
import { formatTime } from './format.js';

const HELP = `Usage: complaint-monitor report weekly [--week YYYY-Www | --from DATE --to DATE] [--format F] [--out PATH] [options]
       complaint-monitor report scheduled-run --dir DIR [--keep N] [--formats json,html,xlsx] [options]

weekly: the managers' report for an ISO week (Monday to Sunday) or a range of local dates (both
included), in the team's time zone. Without --week or --from/--to: the last complete week.

  --week 2026-W47    ISO week
  --from/--to DATE   local dates, YYYY-MM-DD, both included (at most 366 days)
  --tz ZONE          IANA time zone for day and week boundaries (default: config timezone)
  --format F         json (default; the source of truth), csv (one file per table), xlsx, html
  --out PATH         a file (json, html, xlsx) or a folder (csv; created), or - for stdout
                     (json, html, or csv with --table). Default: stdout for json and html; for
                     xlsx and csv, complaints-<period>.xlsx / complaints-<period>-csv/ here
  --table NAME       csv: only this table (${REPORT_TABLE_NAMES.join(', ')})

scheduled-run: what the scheduler runs every Monday 08:00 (team zone): last week's report in each
format into DIR, keeping the newest N weeks there (default ${DEFAULT_KEEP_WEEKS}). Prints the files and
the next run time.

  --db PATH        SQLite database file (default: DATABASE_URL or ./data/complaints.db)
  --config FILE    JSON config file (default: CM_CONFIG or ./complaint-monitor.json if present)
  -h, --help       this help`;

const FLAG_OF: Record<PeriodError['field'], string> = { week: '--week', from: '--from', to: '--to', tz: '--tz' };

function usagePeriod(fn: () => ReportPeriod): ReportPeriod {
  try {
    return fn();
  } catch (err) {
    if (err instanceof PeriodError) throw new CliUsageError(`${FLAG_OF[err.field]}: ${err.message}`);
    throw err;
  }
}

function writeOut(path: string, body: string | Buffer): void {
  writeFileSync(path, body);
  console.error(`wrote ${path}`);
}

async function weekly(argv: string[]): Promise<number> {
  const { db, config, help } = COMMON_OPTIONS;
  const { values } = parseCommandArgs(
    argv,
    {
      db,
      config,
      help,
      week: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      tz: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      table: { type: 'string' },
    },
    false,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const format = oneOf(values.format, REPORT_FORMATS, '--format') as ReportFormat;
  const table = oneOf(values.table, REPORT_TABLE_NAMES, '--table');
  if (table !== undefined && format !== 'csv') throw new CliUsageError('--table goes with --format csv');
  const toStdout = values.out === '-' || (values.out === undefined && (format === 'json' || format === 'html'));
  if (toStdout && format === 'xlsx') throw new CliUsageError('--out - writes json, html or one csv table (--table); xlsx needs a file path');
  if (toStdout && format === 'csv' && table === undefined) throw new CliUsageError('--out - with --format csv needs --table NAME (one table per file)');

  const ctx = openContext(values);
  try {
    const timeZone = values.tz ?? ctx.config.timezone;
    const now = new Date();
    const period = usagePeriod(() => {
      if (values.tz !== undefined) assertTimeZone(values.tz);
      return resolvePeriod({ week: values.week, from: values.from, to: values.to, timeZone }, now);
    });
    const report = await generateWeeklyReport(ctx.repo, period, ctx.config.sla, now);
    const files = await renderReport(report, format, table);
    if (toStdout) {
      for (const f of files) process.stdout.write(f.body);
      return 0;
    }
    const base = reportBaseName(report);
    if (format === 'csv') {
      const dir = values.out ?? `${base}-csv`;
      mkdirSync(dir, { recursive: true });
      for (const f of files) writeOut(join(dir, f.name), f.body);
      return 0;
    }
    const file = files[0]!;
    const out = values.out ?? file.name;
    writeOut(existsSync(out) && statSync(out).isDirectory() ? join(out, file.name) : out, file.body);
    return 0;
  } finally {
    await ctx.repo.close();
  }
}

async function scheduledRun(argv: string[]): Promise<number> {
  const { db, config, help, json } = COMMON_OPTIONS;
  const { values } = parseCommandArgs(
    argv,
    { db, config, help, json, dir: { type: 'string' }, keep: { type: 'string' }, formats: { type: 'string', default: 'json,html,xlsx' } },
    false,
  );
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.dir === undefined) throw new CliUsageError('--dir is required (the folder the weekly reports go to)');
  const keep = parsePositiveInt(values.keep, '--keep', DEFAULT_KEEP_WEEKS);
  const formats = values.formats.split(',').map((f) => oneOf(f.trim(), REPORT_FORMATS, '--formats') as ReportFormat);
  const ctx = openContext(values);
  try {
    const now = new Date();
    const result = await runWeeklyReportJob({ repo: ctx.repo, timeZone: ctx.config.timezone, sla: ctx.config.sla, dir: values.dir, formats, keep, now });
    const next = nextWeeklyRunAt(now, ctx.config.timezone);
    if (values.json) {
      console.log(JSON.stringify({ ...result, nextRunAt: next.toISOString() }));
      return 0;
    }
    console.log(`report ${result.week}: wrote ${result.written.length} files, removed ${result.removed.length} older ones`);
    for (const p of result.written) console.log(`  + ${p}`);
    for (const p of result.removed) console.log(`  - ${p}`);
    console.log(`next run: ${formatTime(next, ctx.config.timezone)} ${ctx.config.timezone}`);
    return 0;
  } finally {
    await ctx.repo.close();
  }
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'weekly report for managers (json, csv, xlsx, html)',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'weekly') return weekly(rest);
    if (sub === 'scheduled-run') return scheduledRun(rest);
    if (sub === undefined || sub === '--help' || sub === '-h') {
      console.log(HELP);
      return sub === undefined ? 2 : 0;
    }
    throw new CliUsageError(`unknown report "${sub}": use "report weekly" or "report scheduled-run"`);
  },
};
