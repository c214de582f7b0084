/** A fake X server per test, and the X connector wired to a real database, as `poll --once` runs it. */
import { afterEach } from 'vitest';
import { xSourceSchema, type XSource } from '../../connectors/x/x.config.js';
import { XConnector } from '../../connectors/x/x.connector.js';
import { parseConfig } from '../../src/config/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { runSource, type RetryPolicy } from '../../src/scheduler/run-source.js';
import { startFakeX, type FakeX, type FakeXOptions } from '../fake-x/fake-x-server.js';
import { tempDb } from './db.js';

export const BRAND_ID = '1188870323419996160';
export const TOKEN_ENV = 'CM_TEST_X_BEARER';

/** Starts a fake X server for this test; it is closed after the test. */
export function fakeXPerTest(): (options?: FakeXOptions) => Promise<FakeX> {
  const started: FakeX[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (options) => {
    const server = await startFakeX(options);
    started.push(server);
    return server;
  };
}

export function xStore(options: { retry?: RetryPolicy } = {}) {
  const db = tempDb();
  const pipeline = new Pipeline(parseConfig({}));
  const source = (server: FakeX, over: Record<string, unknown> = {}): XSource =>
    xSourceSchema.parse({ type: 'x', name: 'x-sakupay', baseUrl: server.url, bearerTokenEnv: TOKEN_ENV, brandUserIds: [BRAND_ID], ...over });
  const connector = (server: FakeX, over: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { [TOKEN_ENV]: server.bearerToken }) =>
    new XConnector(source(server, over), { env });
  const run = (c: XConnector, retry?: RetryPolicy) =>
    runSource(c, {
      repo: db.repository,
      pipeline,
      batchSize: 100,
      retry: retry ?? options.retry ?? { attempts: 1, baseDelayMs: 50, maxDelayMs: 5_000 },
    });
  const rows = <T>(sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).all(...params) as T[];
  const cursor = (key: string) => rows<{ value: string }>('select value from connector_cursors where key = ?', key)[0]?.value ?? null;
  const health = async () => (await db.repository.listConnectorHealth()).find((h) => h.source === 'x-sakupay');
  return { ...db, pipeline, source, connector, run, rows, cursor, health };
}

/** Waits until the wall clock passes `at` (a rate-limit reset a second or two ahead). */
export async function waitUntil(at: Date): Promise<void> {
  const ms = at.getTime() - Date.now();
  if (ms > 0) await new Promise((r) => setTimeout(r, ms + 20));
}
