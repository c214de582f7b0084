/**
 * The case workflow routes through `inject` on a real SQLite file holding the bundled samples:
 * the list's new filters, search and cursor pages; PATCH, notes, merge and split with their rights,
 * validation, 404s and 409s; SLA fields.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../db/repository.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';
import { eventsOf } from '../helpers/events.js';
import { emailItem, postItem } from '../helpers/items.js';

let f: ApiFixture;
let email: CaseSummary[];
let posts: CaseSummary[];
beforeAll(async () => {
  f = await sampleApi();
  const all = await f.ctx.repo.listCases({ limit: 200 });
  email = all.filter((c) => c.channel === 'email');
  posts = all.filter((c) => c.channel === 'x');
});

const call = (method: 'GET' | 'PATCH' | 'POST', url: string, token?: string, payload?: unknown) =>
  f.app.inject({ method, url, headers: token === undefined ? {} : bearer(token), ...(payload === undefined ? {} : { payload: payload as object }) });
const expectError = (r: { statusCode: number; json(): unknown }, status: number, code: string, field?: string) => {
  expect(r.statusCode).toBe(status);
  const body = r.json() as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  if (field !== undefined) expect(body.error.message).toContain(`"${field}"`);
};

describe('rights and refusals on every new route', () => {
  const routes = () => {
    const n = email[0]!.requestNumber;
    return [
      { method: 'PATCH' as const, url: `/api/cases/${n}`, payload: { status: 'open' } },
      { method: 'POST' as const, url: `/api/cases/${n}/notes`, payload: { body: 'hello' } },
      { method: 'POST' as const, url: `/api/cases/${n}/merge`, payload: { into: email[1]!.requestNumber } },
      { method: 'POST' as const, url: `/api/cases/${n}/messages/1/split`, payload: undefined },
    ];
  };

  it('401 without a token, 403 for a manager, 403 for social on an email case, 404 for an unknown case', async () => {
    for (const r of routes()) {
      expectError(await call(r.method, r.url, undefined, r.payload), 401, 'unauthenticated');
      expectError(await call(r.method, r.url, f.tokens.manager, r.payload), 403, 'forbidden');
      expectError(await call(r.method, r.url, f.tokens.social, r.payload), 403, 'forbidden');
      const unknown = r.url.replace(email[0]!.requestNumber, 'REQ-2026-999999');
      expectError(await call(r.method, unknown, f.tokens.admin, r.payload), 404, 'not_found');
    }
    // Nothing was written by the refused requests.
    const c = (await f.ctx.repo.getCase(email[0]!.requestNumber))!;
    expect(c.status).toBe(email[0]!.status);
    expect(c.notes).toEqual([]);
  });

  it.each([
    [{}, 'body'],
    [{ status: 'reopened' }, 'status'],
    [{ status: 3 }, 'status'],
    [{ assignee: '' }, 'assignee'],
    [{ assignee: 'x'.repeat(101) }, 'assignee'],
    [{ assignee: 42 }, 'assignee'],
    [{ tags: 'vip' }, 'tags'],
    [{ tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
    [{ tags: ['x'.repeat(51)] }, 'tags.0'],
    [{ tags: ['ok', ''] }, 'tags.1'],
    [{ urgencyOverride: { level: 'critical' } }, 'urgencyOverride.reason'],
    [{ urgencyOverride: { level: 'urgent', reason: 'r' } }, 'urgencyOverride.level'],
    [{ urgencyOverride: { level: 'high', reason: 'r', by: 'me' } }, 'by'],
    [{ urgencyOverride: 'high' }, 'urgencyOverride'],
    [{ status: 'open', priority: 'high' }, 'priority'],
  ])('PATCH %j is 400 naming "%s"', async (payload, field) => {
    const r = await call('PATCH', `/api/cases/${email[0]!.requestNumber}`, f.tokens.desk, payload);
    if (field === 'body') {
      expect(r.statusCode).toBe(400);
      expect(r.json().error.message).toContain('nothing to change');
    } else expectError(r, 400, 'invalid_request', field);
  });

  it('notes, merge and split name the failing field', async () => {
    const n = email[0]!.requestNumber;
    expectError(await call('POST', `/api/cases/${n}/notes`, f.tokens.desk, { body: '   ' }), 400, 'invalid_request', 'body');
    expectError(await call('POST', `/api/cases/${n}/notes`, f.tokens.desk, { body: 'x'.repeat(10_001) }), 400, 'invalid_request', 'body');
    expectError(await call('POST', `/api/cases/${n}/notes`, f.tokens.desk, { text: 'hi' }), 400, 'invalid_request', 'text');
    expectError(await call('POST', `/api/cases/${n}/merge`, f.tokens.desk, { into: 7 }), 400, 'invalid_request', 'into');
    expectError(await call('POST', `/api/cases/${n}/messages/abc/split`, f.tokens.desk), 400, 'invalid_request', 'messageId');
  });
});

describe('PATCH /api/cases/:requestNumber', () => {
  it('desk works an email case: open, assign, tag, resolve; times and audited events follow', async () => {
    const n = email[2]!.requestNumber;
    const opened = await call('PATCH', `/api/cases/${n}`, f.tokens.desk, { status: 'open', assignee: 'desk-test', tags: ['vip'] });
    expect(opened.statusCode).toBe(200);
    const body = opened.json();
    expect(body).toMatchObject({ status: 'open', assignee: 'desk-test', tags: ['vip'], resolvedAt: null });
    expect(Date.parse(body.firstResponseAt)).not.toBeNaN();
    expect(body.sla).toEqual({
      firstResponseDueAt: expect.any(String),
      resolutionDueAt: expect.any(String),
      firstResponseBreached: expect.any(Boolean),
      resolutionBreached: expect.any(Boolean),
      breached: expect.any(Boolean),
    });
    const resolved = (await call('PATCH', `/api/cases/${n}`, f.tokens.desk, { status: 'resolved' })).json();
    expect(resolved.firstResponseAt).toBe(body.firstResponseAt);
    expect(Date.parse(resolved.resolvedAt)).not.toBeNaN();
    const types = (resolved.events as { type: string; data: { by?: string } }[]).filter((e) => e.data?.by === 'desk-test').map((e) => e.type);
    expect(types).toEqual(['status_changed', 'assigned', 'tags_changed', 'status_changed']);
    expectError(await call('PATCH', `/api/cases/${n}`, f.tokens.desk, { status: 'new' }), 409, 'conflict');
    const reopened = (await call('PATCH', `/api/cases/${n}`, f.tokens.desk, { status: 'open' })).json();
    expect(reopened.resolvedAt).toBeNull();
  });

  it('an override sets the level and moves the case up the queue; null restores the computed level', async () => {
    const low = [...posts].reverse()[0]!;
    const set = await call('PATCH', `/api/cases/${low.requestNumber}`, f.tokens.social, { urgencyOverride: { level: 'critical', reason: 'journalist asking' } });
    expect(set.json()).toMatchObject({ urgency: 'critical', urgencyOverride: 'critical' });
    const queue = (await call('GET', '/api/cases?urgency=critical&limit=200', f.tokens.social)).json().cases as { requestNumber: string }[];
    expect(queue.map((c) => c.requestNumber)).toContain(low.requestNumber);
    const cleared = (await call('PATCH', `/api/cases/${low.requestNumber}`, f.tokens.social, { urgencyOverride: null })).json();
    expect(cleared).toMatchObject({ urgency: low.urgency, urgencyOverride: null, urgencyScore: low.urgencyScore });
  });
});

describe('notes, merge, split', () => {
  it('a note is 201, becomes the first response and shows in the case', async () => {
    const n = posts[1]!.requestNumber;
    const r = await call('POST', `/api/cases/${n}/notes`, f.tokens.social, { body: '  DM sent asking for the transaction id.  ' });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ author: 'social-test', body: 'DM sent asking for the transaction id.' });
    const detail = (await call('GET', `/api/cases/${n}`, f.tokens.manager)).json();
    expect(detail.notes).toEqual([r.json()]);
    expect(detail.firstResponseAt).toBe(r.json().at);
    expect(detail.events.at(-1)).toMatchObject({ type: 'note_added', data: { by: 'social-test' } });
  });

  it('merge answers the survivor; the merged number leads to it; writes to it are 409', async () => {
    const [from, into] = [email[3]!, email[4]!];
    const r = await call('POST', `/api/cases/${from.requestNumber}/merge`, f.tokens.desk, { into: into.requestNumber });
    expect(r.statusCode).toBe(200);
    const survivor = r.json();
    expect(survivor.requestNumber).toBe(into.requestNumber);
    expect(survivor.contactCount).toBe(from.contactCount + into.contactCount);
    expect(survivor.references.map((x: { value: string }) => x.value)).toContain(from.requestNumber);
    const viaOld = (await call('GET', `/api/cases/${from.requestNumber}`, f.tokens.desk)).json();
    expect(viaOld.requestNumber).toBe(into.requestNumber);
    const list = (await call('GET', '/api/cases?limit=200', f.tokens.desk)).json().cases as { requestNumber: string }[];
    expect(list.map((c) => c.requestNumber)).not.toContain(from.requestNumber);
    expectError(await call('PATCH', `/api/cases/${from.requestNumber}`, f.tokens.desk, { status: 'open' }), 409, 'conflict');
    expectError(await call('POST', `/api/cases/${into.requestNumber}/merge`, f.tokens.desk, { into: from.requestNumber }), 409, 'conflict');
    expectError(await call('POST', `/api/cases/${into.requestNumber}/merge`, f.tokens.desk, { into: into.requestNumber }), 409, 'conflict');
    // Desk may not merge an email case into an X case.
    expectError(await call('POST', `/api/cases/${into.requestNumber}/merge`, f.tokens.desk, { into: posts[0]!.requestNumber }), 403, 'forbidden');
  });

  it('split is 201 with the new case; the last message is 409; a message of another case is 404', async () => {
    const multi = email.find((c) => c.contactCount >= 2 && c.requestNumber !== email[4]!.requestNumber)!;
    const detail = (await call('GET', `/api/cases/${multi.requestNumber}`, f.tokens.desk)).json();
    const last = detail.messages.at(-1);
    const r = await call('POST', `/api/cases/${multi.requestNumber}/messages/${last.id}/split`, f.tokens.desk);
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ status: 'new', contactCount: 1, messages: [{ id: last.id }] });
    expect(r.json().requestNumber).not.toBe(multi.requestNumber);
    const rest = (await call('GET', `/api/cases/${multi.requestNumber}`, f.tokens.desk)).json();
    expect(rest.contactCount).toBe(multi.contactCount - 1);
    if (rest.contactCount === 1) {
      expectError(await call('POST', `/api/cases/${multi.requestNumber}/messages/${rest.messages[0].id}/split`, f.tokens.desk), 409, 'conflict');
    }
    expectError(await call('POST', `/api/cases/${multi.requestNumber}/messages/${last.id}/split`, f.tokens.desk), 404, 'not_found');
  });
});

describe('GET /api/cases: filters, search, pages', () => {
  it('walks the whole list by cursor exactly once while cases arrive between pages', async () => {
    const all = (await call('GET', '/api/cases?limit=200', f.tokens.admin)).json().cases as { requestNumber: string }[];
    const seen: string[] = [];
    let cursor: string | null = null;
    let page = 0;
    do {
      const r = await call('GET', `/api/cases?limit=9${cursor ? `&cursor=${cursor}` : ''}`, f.tokens.admin);
      expect(r.statusCode).toBe(200);
      seen.push(...r.json().cases.map((c: { requestNumber: string }) => c.requestNumber));
      cursor = r.json().nextCursor;
      page++;
      await ingest(eventsOf(postItem({ handle: `walker${page}`, text: `@SakuPay saldo saya hilang Rp ${page}.000.000` })), f.ctx.repo, f.ctx.pipeline, { batchSize: 10 });
    } while (cursor !== null);
    expect(new Set(seen).size).toBe(seen.length);
    for (const c of all) expect(seen).toContain(c.requestNumber);
  });

  it('a cursor that was not given out, or of another sort, is 400 naming "cursor"', async () => {
    const first = (await call('GET', '/api/cases?limit=2&sort=newest', f.tokens.admin)).json();
    expectError(await call('GET', `/api/cases?sort=updated&cursor=${first.nextCursor}`, f.tokens.admin), 400, 'invalid_request', 'cursor');
    expectError(await call('GET', '/api/cases?cursor=bm90LWEtY3Vyc29y', f.tokens.admin), 400, 'invalid_request', 'cursor');
  });

  it('searches English, Indonesian and Chinese text; too-short q is 400 naming "q"', async () => {
    await ingest(
      eventsOf(
        emailItem({ from: 'zh@example.com', subject: '退款问题', text: '我的退款失败了，钱还没到账' }),
        postItem({ handle: 'idn', text: '@SakuPay saldo saya hilang setelah transfer ke bank' }),
        emailItem({ from: 'en@example.com', subject: 'Chargeback', text: 'I want a chargeback for the duplicate payment' }),
      ),
      f.ctx.repo,
      f.ctx.pipeline,
      { batchSize: 10 },
    );
    for (const [q, who] of [
      ['退款失败', 'email:zh@example.com'],
      ['saldo hilang transfer', 'x:idn'],
      ['CHARGEBACK duplicate', 'email:en@example.com'],
    ] as const) {
      const r = await call('GET', `/api/cases?q=${encodeURIComponent(q)}&limit=200`, f.tokens.admin);
      expect(r.statusCode).toBe(200);
      expect((r.json().cases as { customerKey: string }[]).map((c) => c.customerKey)).toContain(who);
    }
    expectError(await call('GET', `/api/cases?q=${encodeURIComponent('退款')}`, f.tokens.admin), 400, 'invalid_request', 'q');
  });

  it('FTS5 syntax in q never fails the request', async () => {
    for (const q of ['"', '*', 'OR', 'NEAR(', '-', ':', '"unbalanced', 'saldo OR hilang', 'NEAR(saldo hilang, 2)', 'body:saldo', '-saldo', 'sal*', '^saldo', 'AND AND AND']) {
      const r = await call('GET', `/api/cases?q=${encodeURIComponent(q)}`, f.tokens.admin);
      expect(r.statusCode, q).toBeLessThan(500);
      expect([200, 400], q).toContain(r.statusCode);
    }
  });

  it('filters by assignee, unassigned, tag, source and time; bad times are 400 naming the field', async () => {
    const n = email[5]!.requestNumber;
    await call('PATCH', `/api/cases/${n}`, f.tokens.admin, { assignee: 'budi', tags: ['press'] });
    const numbers = async (qs: string) => ((await call('GET', `/api/cases?limit=200&${qs}`, f.tokens.admin)).json().cases as { requestNumber: string }[]).map((c) => c.requestNumber);
    expect(await numbers('assignee=budi')).toEqual([n]);
    expect(await numbers('tag=press')).toEqual([n]);
    expect(await numbers('assignee=unassigned')).not.toContain(n);
    expect(await numbers('source=samples&channel=email')).toContain(n);
    expect(await numbers('createdFrom=2999-01-01T00:00:00Z')).toEqual([]);
    expect((await numbers('updatedFrom=2000-01-01T00:00:00%2B07:00')).length).toBeGreaterThan(0);
    for (const field of ['createdFrom', 'createdTo', 'updatedFrom', 'updatedTo']) {
      expectError(await call('GET', `/api/cases?${field}=yesterday`, f.tokens.admin), 400, 'invalid_request', field);
    }
    expectError(await call('GET', '/api/cases?sort=priority', f.tokens.admin), 400, 'invalid_request', 'sort');
  });
});
