/**
 * The case list's answer cache: identical questions share one computed answer only while nothing
 * was committed (by this process or another connection) and for at most api.listCacheMs; roles
 * never share answers. Real SQLite file, the real app; the repository is wrapped only to count
 * how often the list is actually computed.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { Repository } from '../../db/repository.js';
import { ResponseCache } from '../../src/api/response-cache.js';
import { buildApp } from '../../src/api/app.js';
import { parseConfig } from '../../src/config/config.js';
import { bearer, sampleApi } from '../helpers/api.js';

type ListBody = { cases: { requestNumber: string; channel: string; status: string; subject: string | null }[] };

async function fixture() {
  const f = await sampleApi();
  let computed = 0;
  const repo = new Proxy(f.ctx.repo, {
    get(target, prop, receiver) {
      if (prop === 'listCasePage') {
        return (...args: Parameters<Repository['listCasePage']>) => {
          computed += 1;
          return target.listCasePage(...args);
        };
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  let clock = Date.parse('2026-11-26T03:00:00Z');
  const config = parseConfig({ api: { listCacheMs: 1000 } });
  const app = await buildApp({ repo, pipeline: f.ctx.pipeline, config, now: () => new Date(clock) });
  const list = async (token: string, query = 'limit=20') => {
    const r = await app.inject({ url: `/api/cases?${query}`, headers: bearer(token) });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    return r.json<ListBody>();
  };
  return { f, app, list, computed: () => computed, tick: (ms: number) => (clock += ms) };
}

describe('case list cache', () => {
  it('answers an identical question from memory, and computes a different one', async () => {
    const t = await fixture();
    const first = await t.list(t.f.tokens.manager);
    expect(await t.list(t.f.tokens.manager)).toEqual(first);
    expect(t.computed()).toBe(1);
    // The same filters in another order are the same question.
    await t.list(t.f.tokens.manager, 'urgency=high&limit=5');
    await t.list(t.f.tokens.manager, 'limit=5&urgency=high');
    expect(t.computed()).toBe(2);
    await t.app.close();
  });

  it('never serves one role the answer computed for another', async () => {
    const t = await fixture();
    const desk = await t.list(t.f.tokens.desk);
    const social = await t.list(t.f.tokens.social);
    expect(new Set(desk.cases.map((c) => c.channel))).toEqual(new Set(['email']));
    expect(new Set(social.cases.map((c) => c.channel))).toEqual(new Set(['x']));
    expect(t.computed()).toBe(2);
    await t.app.close();
  });

  it('recomputes after a change through the API', async () => {
    const t = await fixture();
    const before = await t.list(t.f.tokens.admin);
    const target = before.cases.find((c) => c.status === 'new')!;
    const patched = await t.app.inject({ method: 'PATCH', url: `/api/cases/${target.requestNumber}`, headers: bearer(t.f.tokens.admin), payload: { status: 'open' } });
    expect(patched.statusCode).toBe(200);
    const after = await t.list(t.f.tokens.admin);
    expect(after.cases.find((c) => c.requestNumber === target.requestNumber)?.status).toBe('open');
    expect(t.computed()).toBe(2);
    await t.app.close();
  });

  it('recomputes after a commit by another connection (another process writing the same file)', async () => {
    const t = await fixture();
    const before = await t.list(t.f.tokens.admin);
    const target = before.cases[0]!;
    const other = new Database(t.f.dbPath);
    other.prepare('update cases set subject = ? where request_number = ?').run('changed elsewhere', target.requestNumber);
    other.close();
    const after = await t.list(t.f.tokens.admin);
    expect(after.cases[0]!.subject).toBe('changed elsewhere');
    expect(t.computed()).toBe(2);
    await t.app.close();
  });

  it('recomputes once the answer is older than listCacheMs, even with no change', async () => {
    const t = await fixture();
    await t.list(t.f.tokens.manager);
    t.tick(1000);
    await t.list(t.f.tokens.manager);
    expect(t.computed()).toBe(1);
    t.tick(1);
    await t.list(t.f.tokens.manager);
    expect(t.computed()).toBe(2);
    await t.app.close();
  });
});

describe('ResponseCache', () => {
  it('drops the least recently stored answer beyond maxEntries', () => {
    const cache = new ResponseCache({ maxEntries: 2, maxAgeMs: 1000, now: () => 0 });
    cache.set('a', 's', Buffer.from('A'));
    cache.set('b', 's', Buffer.from('B'));
    cache.set('a', 's', Buffer.from('A2'));
    cache.set('c', 's', Buffer.from('C'));
    expect(cache.get('b', 's')).toBeUndefined();
    expect(cache.get('a', 's')?.toString()).toBe('A2');
    expect(cache.get('c', 's')?.toString()).toBe('C');
    expect(cache.size).toBe(2);
  });

  it('forgets an answer whose change stamp is not the current one', () => {
    const cache = new ResponseCache({ maxEntries: 2, maxAgeMs: 1000, now: () => 0 });
    cache.set('a', '1:5', Buffer.from('A'));
    expect(cache.get('a', '1:6')).toBeUndefined();
    expect(cache.get('a', '1:5')).toBeUndefined();
  });
});
