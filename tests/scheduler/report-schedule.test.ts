/**
 * The weekly report on the scheduler (config reports.schedule), as `serve` wires it: a real
 * node-cron task on a seconds schedule, the report dataset in a real SQLite file, files written
 * into a temp folder and pruned to the newest N weeks; failures logged and counted; stop() ends it.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { generateWeeklyReport, renderReport } from '../../src/reports/generate.js';
import { weekPeriod } from '../../src/reports/week.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { tempDir } from '../helpers/db.js';
import { reportDataset } from '../helpers/report-dataset.js';
import { sleep, until } from '../helpers/scheduled-x.js';

const EVERY_SECOND = '*/1 * * * * *';
/** Monday 2026-10-26 08:00 in Jakarta: "last week" is 2026-W43, the dataset's week. */
const CLOCK = new Date('2026-10-26T01:00:00Z');

interface Logged {
  level: 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string;
}

async function scheduled(schedule: Record<string, unknown>) {
  const ds = await reportDataset();
  const config = parseConfig({ reports: { schedule: { enabled: true, cron: EVERY_SECOND, ...schedule } } });
  const metrics = new Metrics(ds.repository);
  const scheduler = new Scheduler({
    repo: ds.repository,
    pipeline: new Pipeline(config),
    config,
    observer: metrics,
    clock: () => CLOCK,
    connectorFor: () => {
      throw new Error('no sources in this test');
    },
  });
  afterAll(() => scheduler.stop(1_000));
  const logged: Logged[] = [];
  const at = (level: Logged['level']) => (obj: object, msg: string) => void logged.push({ level, obj: obj as Record<string, unknown>, msg });
  const runs = async (outcome: 'ok' | 'failed') => Number(new RegExp(`complaint_monitor_report_runs_total\\{outcome="${outcome}"\\} (\\d+)`).exec(await metrics.expose())?.[1] ?? 0);
  return { ds, config, scheduler, logged, runs, start: () => scheduler.start({ info: at('info'), warn: at('warn'), error: at('error') }) };
}

describe('the weekly report on the scheduler', () => {
  it("writes last week's report in each format on its cron tick, keeps the newest N weeks, and stops with the scheduler", async () => {
    const dir = join(tempDir('cm-weekly-'), 'reports');
    mkdirSync(dir);
    const older = ['complaints-2026-W40.json', 'complaints-2026-W41.json', 'complaints-2026-W41.xlsx.partial', 'complaints-2026-W42.json', 'complaints-2026-W42.html'];
    for (const name of [...older, 'notes.txt']) writeFileSync(join(dir, name), 'older');
    const s = await scheduled({ dir, keep: 2, formats: ['json', 'html'] });
    expect(s.scheduler.reports?.nextRunAt()).toBeNull();

    s.start();
    expect(s.logged.find((l) => l.msg === 'weekly report scheduled')?.obj).toMatchObject({ cron: EVERY_SECOND, timezone: 'Asia/Jakarta', dir, keep: 2 });
    await until(async () => (await s.runs('ok')) >= 1, 5_000, 'the first scheduled report');
    // Stopped first, so that no later tick is writing while the folder is read.
    await s.scheduler.stop(5_000);
    expect(s.scheduler.reports?.nextRunAt()).toBeNull();

    // W43 written; W42 is the other week kept; W40, W41 and the half-written file are gone; other files stay.
    expect(readdirSync(dir).sort()).toEqual(['complaints-2026-W42.html', 'complaints-2026-W42.json', 'complaints-2026-W43.html', 'complaints-2026-W43.json', 'notes.txt']);
    const expected = await generateWeeklyReport(s.ds.repository, weekPeriod('2026-W43', 'Asia/Jakarta'), s.config.sla, CLOCK);
    expect(readFileSync(join(dir, 'complaints-2026-W43.json'), 'utf8')).toBe((await renderReport(expected, 'json'))[0]!.body);
    expect(expected.summary).toMatchObject({ newCases: 4, messages: 7 });
    const written = s.logged.find((l) => l.msg === 'weekly report written')!;
    expect(written.level).toBe('info');
    expect(written.obj).toMatchObject({ week: '2026-W43', removed: expect.arrayContaining([join(dir, 'complaints-2026-W40.json'), join(dir, 'complaints-2026-W41.xlsx.partial')]) });
    expect((written.obj.nextRunAt as Date).getTime()).toBeGreaterThan(Date.now() - 1_000);
    expect(await s.runs('failed')).toBe(0);

    const after = await s.runs('ok');
    await sleep(2_200);
    expect(await s.runs('ok')).toBe(after);
  });

  it('a run that cannot write its folder is logged as an error and counted as failed; later ticks still run', async () => {
    const parent = tempDir('cm-weekly-bad-');
    const notAFolder = join(parent, 'reports');
    writeFileSync(notAFolder, 'a file where the folder should be');
    const s = await scheduled({ dir: notAFolder, formats: ['json'] });
    s.start();
    await until(async () => (await s.runs('failed')) >= 2, 6_000, 'two failed runs');
    const failed = s.logged.filter((l) => l.msg === 'weekly report failed');
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(failed[0]!.level).toBe('error');
    expect(failed[0]!.obj).toMatchObject({ dir: notAFolder, err: expect.objectContaining({ code: 'EEXIST' }) });
    expect(await s.runs('ok')).toBe(0);
    expect(readFileSync(notAFolder, 'utf8')).toBe('a file where the folder should be');
  });
});
