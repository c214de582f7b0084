/**
 * The dashboard's read side on a real SQLite file (db/sqlite/sqlite.feed.ts): every feed query is
 * an index walk whose ORDER BY needs no sort (so a page costs the same at 1M messages as at 100),
 * and the event tail's paging moves past other channels' events instead of reading them again.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { MentionQuery } from '../../db/repository.js';
import { eventsSql, newCasesSql, newestSql, openCasesStatsSql, urgentContinueSql, urgentSql } from '../../db/sqlite/sqlite.feed.js';
import { parseConfig } from '../../src/config/config.js';
import { ingestOne } from '../../src/pipeline/ingest.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { tempDb } from '../helpers/db.js';
import { email, xPost } from '../helpers/raw-items.js';

describe('feed query plans', () => {
  const { sqlite } = tempDb();
  const plan = (sql: string) =>
    (sqlite.prepare(`explain query plan ${sql}`).all(Object.fromEntries([...sql.matchAll(/@(\w+)/g)].map((m) => [m[1], 1]))) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');
  const full: MentionQuery = { sort: 'urgent', channel: 'x', since: new Date(), minFollowers: 10, urgency: 'high', limit: 50 };
  const bare: MentionQuery = { sort: 'urgent', channel: 'x', limit: 50 };

  const urgentLoops = /SEARCH c USING (COVERING )?INDEX cases_channel_rank_idx.*SEARCH m USING INDEX messages_case_sent_idx \(case_id=\?/;
  const newestLoops = /SEARCH m USING INDEX messages_channel_sent_idx.*SEARCH c USING INTEGER PRIMARY KEY/;
  const tailLoops = /SEARCH e USING INTEGER PRIMARY KEY.*SEARCH c USING INTEGER PRIMARY KEY/;
  it.each([
    ['urgent, first page', urgentSql(bare, false), urgentLoops],
    ['urgent, every filter, next page', urgentSql(full, true), urgentLoops],
    ['urgent, rest of a case', urgentContinueSql(full), /SEARCH m USING INDEX messages_case_sent_idx \(case_id=\?/],
    ['newest, first page', newestSql({ ...bare, sort: 'newest' }, false), newestLoops],
    ['newest, every filter, next page', newestSql({ ...full, sort: 'newest' }, true), newestLoops],
    ['event tail', eventsSql(false), tailLoops],
    ['event tail by channel', eventsSql(true), tailLoops],
  ])('%s: index searches in the order of the ORDER BY, no table scan, no sort', (_name, sql, loops) => {
    const p = plan(sql);
    expect(p).toMatch(loops);
    expect(p).not.toMatch(/\bSCAN (?!json_each)/);
    expect(p).not.toMatch(/TEMP B-TREE/);
    expect(p).toMatch(/USING (?:COVERING )?INDEX|USING INTEGER PRIMARY KEY/);
  });

  it.each([
    ['open cases', openCasesStatsSql(false)],
    ['open cases of some channels', openCasesStatsSql(true)],
  ])('stats over %s read only the partial covering index of open cases', (_name, sql) => {
    const p = plan(sql);
    expect(p).toMatch(/SCAN cases USING COVERING INDEX cases_open_idx|SEARCH cases USING COVERING INDEX cases_open_idx/);
  });

  it.each([[newCasesSql(false)], [newCasesSql(true)]])('new cases today: a range of cases_created_idx', (sql) => {
    expect(plan(sql)).toMatch(/SEARCH cases USING INDEX cases_created_idx \(created_at>\?\)/);
  });
});

describe('listEventsAfter', () => {
  const { repository: repo } = tempDb();
  const pipeline = new Pipeline(parseConfig({}));
  beforeAll(async () => {
    for (let i = 0; i < 6; i++) await ingestOne(xPost(`@SakuPay top up ${i}00rb failed and money gone`), repo, pipeline);
    await ingestOne(email('Refund', 'Refund of Rp 90.000 never arrived'), repo, pipeline);
  });

  it('pages in id order; a full page continues from its last event', async () => {
    const all = await repo.listEventsAfter(0, { limit: 1000 });
    expect(all.events.length).toBeGreaterThanOrEqual(7);
    const ids = all.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(all.nextAfterId).toBe(await repo.latestEventId());
    const page = await repo.listEventsAfter(0, { limit: 2 });
    expect(page.events.map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(page.nextAfterId).toBe(ids[1]);
  });

  it('a channel with nothing new moves past the other channels\' events (they are not read again)', async () => {
    const latest = await repo.latestEventId();
    const emailOnly = await repo.listEventsAfter(0, { channels: ['email'], limit: 100 });
    expect(emailOnly.events.map((e) => e.channel)).toEqual(['email']);
    expect(emailOnly.nextAfterId).toBe(latest);
    expect(await repo.listEventsAfter(0, { channels: [], limit: 100 })).toEqual({ events: [], nextAfterId: latest });
    expect(await repo.listEventsAfter(latest, { limit: 100 })).toEqual({ events: [], nextAfterId: latest });
  });

  it('events carry their case: number, channel, status and urgency', async () => {
    const [first] = (await repo.listEventsAfter(0, { limit: 1 })).events;
    const detail = (await repo.getCase(first!.requestNumber))!;
    expect(first).toMatchObject({ type: 'created', caseId: detail.id, channel: 'x', status: detail.status, urgency: detail.urgency });
  });
});
