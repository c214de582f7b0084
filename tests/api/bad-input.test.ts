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
      for (const field of ['week', 'from', 'to', 'tz', 'format', 'table']) out.push({ method: 'GET', url: `/api/reports/weekly?${field}=${v}` });
      out.push({ method: 'GET', url: `/api/${v}` });
      out.push({ method: 'GET', url: `/healthz?${v}=${v}` });
      out.push({ method: 'POST', url: '/api/cases', payload: raw, headers: { 'content-type': 'application/json' } });
    }
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

  it('the database still answers afterwards (nothing was injected)', async () => {
    expect((await f.ctx.repo.counts()).cases).toBeGreaterThan(0);
    expect((await f.app.inject({ url: '/api/cases?limit=1', headers: bearer(f.tokens.admin) })).statusCode).toBe(200);
  });
});
