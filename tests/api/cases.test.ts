/**
 * GET /api/cases and /api/cases/:requestNumber through `inject`, on a real SQLite file holding the
 * bundled samples: authentication, role channel rights, validation naming the field, 404s.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';

interface Summary {
  requestNumber: string;
  channel: string;
  urgency: string;
  urgencyScore: number;
  status: string;
}

describe('GET /api/cases', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await sampleApi();
  });
  const get = (url: string, token?: string) => f.app.inject({ method: 'GET', url, headers: token === undefined ? {} : bearer(token) });

  it('without a token, with a malformed one or an unknown one: 401 unauthenticated with a JSON body', async () => {
    for (const headers of [{}, { authorization: 'Basic dXNlcjpwdw==' }, { authorization: 'Bearer' }, bearer('cm_not-a-real-token')]) {
      const r = await f.app.inject({ url: '/api/cases', headers });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toEqual({ error: { code: 'unauthenticated', message: expect.any(String) } });
    }
  });

  it('manager sees every channel, most urgent level first then highest score, 50 by default', async () => {
    const r = await get('/api/cases', f.tokens.manager);
    expect(r.statusCode).toBe(200);
    const cases = r.json().cases as Summary[];
    expect(cases).toHaveLength(50);
    expect(new Set(cases.map((c) => c.channel))).toEqual(new Set(['email', 'x', 'app']));
    // Level first (a pile of high signals does not outrank a critical harm), then score.
    const rank = { critical: 0, high: 1, normal: 2, low: 3 } as Record<string, number>;
    const order = cases.map((c) => [rank[c.urgency]!, -c.urgencyScore]);
    expect(order).toEqual([...order].sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!));
    expect(cases.some((c, i) => i > 0 && c.urgencyScore > cases[i - 1]!.urgencyScore)).toBe(true);
    // The same order as the repository gives (the API does not sort on its own).
    const fromRepo = await f.ctx.repo.listCases({ limit: 50 });
    expect(cases.map((c) => c.requestNumber)).toEqual(fromRepo.map((c) => c.requestNumber));
  });

  it('filters by urgency, status, category and channel, and honours limit', async () => {
    const critical = (await get('/api/cases?urgency=critical&limit=200', f.tokens.admin)).json().cases as Summary[];
    expect(critical.length).toBeGreaterThan(0);
    expect(critical.every((c) => c.urgency === 'critical')).toBe(true);
    const xOnly = (await get('/api/cases?channel=x&status=new&limit=200', f.tokens.admin)).json().cases as Summary[];
    expect(xOnly.length).toBeGreaterThan(0);
    expect(xOnly.every((c) => c.channel === 'x' && c.status === 'new')).toBe(true);
    expect((await get('/api/cases?limit=3', f.tokens.admin)).json().cases).toHaveLength(3);
    const refunds = await get('/api/cases?category=refund', f.tokens.admin);
    expect(refunds.statusCode).toBe(200);
    expect((refunds.json().cases as { category: string }[]).every((c) => c.category === 'refund')).toBe(true);
  });

  it('desk sees email cases only and social X cases only; asking for another channel is 403 forbidden', async () => {
    const desk = (await get('/api/cases?limit=200', f.tokens.desk)).json().cases as Summary[];
    expect(desk.length).toBeGreaterThan(0);
    expect(desk.every((c) => c.channel === 'email')).toBe(true);
    const social = (await get('/api/cases?limit=200', f.tokens.social)).json().cases as Summary[];
    expect(social.length).toBeGreaterThan(0);
    expect(social.every((c) => c.channel === 'x')).toBe(true);
    expect((await get('/api/cases?channel=email', f.tokens.desk)).statusCode).toBe(200);
    for (const [url, token] of [
      ['/api/cases?channel=x', f.tokens.desk],
      ['/api/cases?channel=app', f.tokens.desk],
      ['/api/cases?channel=email', f.tokens.social],
    ] as const) {
      const r = await get(url, token);
      expect(r.statusCode, url).toBe(403);
      expect(r.json().error.code).toBe('forbidden');
    }
  });

  it.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['limit=2.5', 'limit'],
    ['urgency=urgent', 'urgency'],
    ['status=open%20or%201%3D1', 'status'],
    ['category=not_a_category', 'category'],
    ['channel=fax', 'channel'],
    ['urgancy=critical', 'urgancy'],
  ])('?%s is 400 invalid_request naming "%s"', async (query, field) => {
    const r = await get(`/api/cases?${query}`, f.tokens.manager);
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain(`"${field}"`);
  });

  it('authentication comes before validation: bad input without a token is 401, not 400', async () => {
    expect((await get('/api/cases?limit=abc')).statusCode).toBe(401);
  });
});

describe('GET /api/cases/:requestNumber', () => {
  let f: ApiFixture;
  let emailCase: Summary;
  let xCase: Summary;
  beforeAll(async () => {
    f = await sampleApi();
    const all = await f.ctx.repo.listCases({ limit: 200 });
    emailCase = all.find((c) => c.channel === 'email')!;
    xCase = all.find((c) => c.channel === 'x')!;
  });
  const get = (url: string, token?: string) => f.app.inject({ method: 'GET', url, headers: token === undefined ? {} : bearer(token) });

  it('returns the case with messages, events, references, category and facts', async () => {
    const r = await get(`/api/cases/${emailCase.requestNumber}`, f.tokens.manager);
    expect(r.statusCode).toBe(200);
    const detail = r.json();
    const fromRepo = (await f.ctx.repo.getCase(emailCase.requestNumber))!;
    expect(detail).toMatchObject({ requestNumber: emailCase.requestNumber, channel: 'email', category: fromRepo.category });
    expect(detail.messages).toHaveLength(fromRepo.messages.length);
    expect(detail.messages[0]).toMatchObject({ body: fromRepo.messages[0]!.body, sentAt: fromRepo.messages[0]!.sentAt.toISOString() });
    expect(detail.events).toHaveLength(fromRepo.events.length);
    expect(detail.references.map((x: { value: string }) => x.value)).toContain(emailCase.requestNumber);
    expect(detail).toHaveProperty('facts');
    expect(detail.urgencyReasons.length).toBeGreaterThan(0);
  });

  it('accepts a loosely typed request number, as the CLI does', async () => {
    const loose = emailCase.requestNumber.toLowerCase().replace(/-/g, ' ');
    const r = await get(`/api/cases/${encodeURIComponent(loose)}`, f.tokens.desk);
    expect(r.statusCode).toBe(200);
    expect(r.json().requestNumber).toBe(emailCase.requestNumber);
  });

  it('an unknown case is 404 not_found; without a token 401', async () => {
    const r = await get('/api/cases/REQ-2026-999999', f.tokens.admin);
    expect(r.statusCode).toBe(404);
    expect(r.json()).toEqual({ error: { code: 'not_found', message: expect.stringContaining('REQ-2026-999999') } });
    expect((await get(`/api/cases/${emailCase.requestNumber}`)).statusCode).toBe(401);
  });

  it('channel rights: desk may not open an X case, social may not open an email case (403)', async () => {
    expect((await get(`/api/cases/${xCase.requestNumber}`, f.tokens.social)).statusCode).toBe(200);
    expect((await get(`/api/cases/${emailCase.requestNumber}`, f.tokens.desk)).statusCode).toBe(200);
    for (const [number, token] of [
      [xCase.requestNumber, f.tokens.desk],
      [emailCase.requestNumber, f.tokens.social],
    ] as const) {
      const r = await get(`/api/cases/${number}`, token);
      expect(r.statusCode).toBe(403);
      expect(r.json().error.code).toBe('forbidden');
    }
  });
});
