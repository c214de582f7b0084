/** A Scheduler on a real SQLite file running one X source against the fake X server, as `serve` wires it. */
import { afterAll } from 'vitest';
import { createEmailParser } from '../../connectors/email/parse-pool.js';
import { parseConfig, type Config } from '../../src/config/config.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { createConnector } from '../../src/scheduler/create-connector.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { FakeX } from '../fake-x/fake-x-server.js';
import { tempDb } from './db.js';
import { BRAND_ID, TOKEN_ENV } from './x.js';

export const SOURCE = 'x-sakupay';
/** Once a year: a schedule that never fires during a test (runs are started by hand). */
export const NEVER = '0 0 1 1 *';

export interface ScheduledXOptions {
  cron?: string;
  timeoutSeconds?: number;
  scheduler?: Record<string, unknown>;
  /** The database of an earlier instance (a restart). */
  db?: ReturnType<typeof tempDb>;
}

export function scheduledX(server: FakeX, options: ScheduledXOptions = {}) {
  const db = options.db ?? tempDb();
  const config: Config = parseConfig({
    sources: [
      {
        type: 'x',
        name: SOURCE,
        baseUrl: server.url,
        bearerTokenEnv: TOKEN_ENV,
        brandUserIds: [BRAND_ID],
        pageSize: 10,
        schedule: { cron: options.cron ?? NEVER, ...(options.timeoutSeconds ? { timeoutSeconds: options.timeoutSeconds } : {}) },
      },
    ],
    scheduler: options.scheduler ?? {},
  });
  const pipeline = new Pipeline(config);
  const metrics = new Metrics(db.repository);
  const env = { [TOKEN_ENV]: server.bearerToken };
  const scheduler = new Scheduler({
    repo: db.repository,
    pipeline,
    config,
    observer: metrics,
    retry: { attempts: 1, baseDelayMs: 50, maxDelayMs: 5_000 },
    connectorFor: (source) => createConnector(source, { config, parser: createEmailParser(0), env }),
  });
  afterAll(() => scheduler.stop(1_000));
  const stored = () => (db.sqlite.prepare('select count(*) as n from messages').get() as { n: number }).n;
  const health = async () => (await db.repository.listConnectorHealth()).find((h) => h.source === SOURCE);
  const state = async () => (await scheduler.states()).find((s) => s.name === SOURCE)!;
  return { db, config, pipeline, metrics, scheduler, stored, health, state };
}

/** Polls `check` until it holds (or fails the test after `timeoutMs`). */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
