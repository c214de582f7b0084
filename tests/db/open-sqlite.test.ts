/**
 * What opening a database file sets up beyond the migrations: planner statistics, so that lookups
 * without a leading index column still find their index.
 */
import { describe, expect, it } from 'vitest';
import { traceSql } from '../../bench/lib/sql-trace.js';
import { openSqlite } from '../../db/sqlite/open-sqlite.js';
import { parseConfig } from '../../src/config/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { tempDb } from '../helpers/db.js';
import { eventsOf } from '../helpers/events.js';
import { emailItem } from '../helpers/items.js';

describe('openSqlite', () => {
  it('reopened with cases stored, reading a case by its number runs no table scan (statistics let it skip-scan the reference index)', async () => {
    const { path, repository } = tempDb();
    const pipeline = new Pipeline(parseConfig({}));
    const items = Array.from({ length: 300 }, (_, i) => emailItem({ from: `customer${i}@example.com` }));
    const summary = await ingest(eventsOf(...items), repository, pipeline, { batchSize: 100 });
    expect(summary).toMatchObject({ cases_created: 300 });
    await repository.close();

    const reopened = openSqlite(path);
    try {
      const trace = traceSql(reopened.sqlite);
      const [first] = await reopened.repository.listCases({ limit: 1, channels: ['email'] });
      trace.take();
      const found = await reopened.repository.getCase(first!.requestNumber);
      expect(found?.requestNumber).toBe(first!.requestNumber);
      const runs = trace.take();
      expect(runs.length).toBeGreaterThan(0);
      for (const run of runs) expect(trace.plan(run.sql, run.params).join(' | '), run.sql).not.toMatch(/\bSCAN\b/);
    } finally {
      await reopened.repository.close();
    }
  });
});
