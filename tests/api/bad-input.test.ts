/**
 * Hostile and malformed input on every route: huge strings, SQL and HTML metacharacters, unknown
 * fields, odd methods and bodies. Each answer is a 4xx (or a 200 where the input is harmless) with
 * the JSON error shape; none is a 5xx, and no body carries a stack trace.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';

const HUGE = 'A'.repeat(100_000);
const NASTY = [
  "' OR 1=1 --",
  '"; DROP TABLE cases; --',
  '<script>alert(1)</script>',
  '%00',
  '../../etc/passwd',
  '\u202e\u0000\uffff',
  '😀'.repeat(500),
  '${7*7}{{7*7}}',
  HUGE,
];

describe('bad input never produces a 5xx', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await sampleApi();
  });

  const requests = (): { method: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: string; headers?: Record<string, string> }[] => {
    const out: ReturnType<typeof requests> = [];
    for (const raw of NASTY) {
      const v = encodeURIComponent(raw);
      for (const field of ['urgency', 'status', 'category', 'channel', 'limit', raw.slice(0, 200)]) {
        out.push({ method: 'GET', url: `/api/cases?${encodeURIComponent(field)}=${v}` });
      }
      out.push({ method: 'GET', url: `/api/cases/${v}` });
      out.push({ method: 'GET', url: `/api/${v}` });
      out.push({ method: 'GET', url: `/healthz?${v}=${v}` });
      out.push({ method: 'POST', url: '/api/cases', payload: raw, headers: { 'content-type': 'application/json' } });
      for (const field of ['source', 'assignee', 'tag', 'createdFrom', 'updatedTo', 'q', 'sort', 'cursor']) {
        out.push({ method: 'GET', url: `/api/cases?${field}=${v}` });
      }
      const json = { 'content-type': 'application/json' };
      const n = 'REQ-2026-000001';
      for (const body of [{ status: raw }, { assignee: raw }, { tags: [raw] }, { urgencyOverride: { level: 'high', reason: raw } }, { [raw.slice(0, 200)]: 1 }]) {
        out.push({ method: 'PATCH', url: `/api/cases/${n}`, payload: JSON.stringify(body), headers: json });
      }
      out.push({ method: 'POST', url: `/api/cases/${n}/notes`, payload: JSON.stringify({ body: raw, extra: raw.slice(0, 10) }), headers: json });
      out.push({ method: 'POST', url: `/api/cases/${n}/merge`, payload: JSON.stringify({ into: raw }), headers: json });
      out.push({ method: 'POST', url: `/api/cases/${v}/messages/${v}/split` });
      out.push({ method: 'PATCH', url: `/api/cases/${v}`, payload: raw, headers: json });
    }
    // Wrong types and shapes in the workflow bodies.
    const tooMany = JSON.stringify({ tags: Array.from({ length: 5000 }, () => 'x') });
    for (const body of ['[]', 'null', '1', '"open"', '{"status":null}', '{"tags":{"a":1}}', '{"tags":[1,2]}', '{"urgencyOverride":[]}', '{"assignee":{"name":"x"}}', tooMany]) {
      for (const url of ['/api/cases/REQ-2026-000001', '/api/cases/REQ-2026-000001/notes', '/api/cases/REQ-2026-000001/merge']) {
        out.push({ method: url.endsWith('000001') ? 'PATCH' : 'POST', url, payload: body, headers: { 'content-type': 'application/json' } });
      }
    }
    for (const q of ['"', '*', 'OR', 'NEAR(', '-', ':', 'NEAR(a b', '""""', 'saldo"', 'a* OR b*', '{col}:x']) {
      out.push({ method: 'GET', url: `/api/cases?q=${encodeURIComponent(q)}` });
    }
    out.push({ method: 'GET', url: '/api/cases?cursor=eyJzIjoidXJnZW5jeSIsImsiOlsxLDIsMV19' });
    out.push({ method: 'POST', url: '/api/cases/REQ-2026-000001/messages/99999999999999999999/split' });
    out.push({ method: 'GET', url: '/api/cases?limit=1&limit=2' });
    out.push({ method: 'GET', url: '/api/cases?urgency[]=critical' });
    out.push({ method: 'GET', url: '/api/cases?limit=-1e309' });
    out.push({ method: 'DELETE', url: '/api/cases/REQ-2026-000001' });
    out.push({ method: 'PATCH', url: '/api/cases/REQ-2026-000001', payload: '{"status":', headers: { 'content-type': 'application/json' } });
    out.push({ method: 'POST', url: '/api/cases', payload: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
    out.push({ method: 'POST', url: '/api/cases', payload: '<xml/>', headers: { 'content-type': 'application/xml' } });
    return out;
  };

  it('for a manager token and for no token at all', async () => {
    const seen = new Map<number, number>();
    for (const token of [f.tokens.manager, undefined]) {
      for (const req of requests()) {
        const r = await f.app.inject({ ...req, headers: { ...req.headers, ...(token ? bearer(token) : {}) } });
        const label = `${req.method} ${req.url.slice(0, 120)}`;
        expect(r.statusCode, label).toBeLessThan(500);
        seen.set(r.statusCode, (seen.get(r.statusCode) ?? 0) + 1);
        expect(r.body, label).not.toMatch(/\bat .+\.(ts|js):\d+/);
        if (r.statusCode >= 400) {
          expect(r.json(), label).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
        }
      }
    }
    // The table exercised authentication, validation and routing, not one of them only.
    expect([...seen.keys()]).toEqual(expect.arrayContaining([400, 401, 404, 414]));
  });

  it('for an admin token, whose writes reach validation and the database', async () => {
    const seen = new Set<number>();
    for (const req of requests()) {
      const r = await f.app.inject({ ...req, headers: { ...req.headers, ...bearer(f.tokens.admin) } });
      const label = `${req.method} ${req.url.slice(0, 120)} ${(req.payload ?? '').slice(0, 80)}`;
      expect(r.statusCode, label).toBeLessThan(500);
      seen.add(r.statusCode);
      if (r.statusCode >= 400) expect(r.json(), label).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
    }
    expect([...seen]).toEqual(expect.arrayContaining([200, 400, 404]));
  });

  it('the database still answers afterwards (nothing was injected)', async () => {
    expect((await f.ctx.repo.counts()).cases).toBeGreaterThan(0);
    expect((await f.app.inject({ url: '/api/cases?limit=1', headers: bearer(f.tokens.admin) })).statusCode).toBe(200);
  });
});
