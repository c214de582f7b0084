/**
 * Hostile and malformed input on every route: huge strings, SQL and HTML metacharacters, unknown
 * fields, odd methods and bodies. Each answer is a 4xx (or a 200 where the input is harmless) with
 * the JSON error shape; none is a 5xx, and no body carries a stack trace.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';
import { signedHeaders, WEBHOOK_SECRET } from '../helpers/webhook.js';

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
    // The table sends thousands of requests per token: the rate limit (tested in its own file) is
    // lifted so every request reaches the route it is aimed at.
    f = await sampleApi({ env: { CM_WEBHOOK_SECRET: WEBHOOK_SECRET }, config: parseConfig({ api: { rateLimit: { max: 1_000_000 } } }) });
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
      for (const field of ['sort', 'since', 'minFollowers', 'urgency', 'cursor', 'limit', raw.slice(0, 200)]) {
        out.push({ method: 'GET', url: `/api/mentions?${encodeURIComponent(field)}=${v}` });
      }
      out.push({ method: 'GET', url: `/api/stats?${v}=${v}` });
      // Every one of these is refused before streaming starts (a valid one would stream forever).
      for (const field of ['channel', 'lastEventId', raw.slice(0, 200)]) out.push({ method: 'GET', url: `/api/stream?${encodeURIComponent(field)}=${v}` });
      out.push({ method: 'GET', url: '/api/stream', headers: { 'last-event-id': v.slice(0, 4000) } });
      // The webhook: unsigned, then signed garbage, and JSON that is not an entry.
      out.push({ method: 'POST', url: '/api/ingest', payload: raw, headers: { 'content-type': 'application/json' } });
      out.push({ method: 'POST', url: '/api/ingest', payload: raw, headers: signedHeaders(raw, new Date()) });
      const notAnEntry = JSON.stringify({ channel: raw, id: raw, author: { email: raw }, text: raw });
      out.push({ method: 'POST', url: '/api/ingest', payload: notAnEntry, headers: signedHeaders(notAnEntry, new Date()) });
      out.push({ method: 'GET', url: `/api/connectors?${v}=${v}` });
      out.push({ method: 'POST', url: `/api/connectors/${v}/run` });
      out.push({ method: 'POST', url: '/api/connectors/care-inbox/run', payload: raw, headers: { 'content-type': 'application/json' } });
      out.push({ method: 'GET', url: `/metrics?${v}=${v}` });
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
    out.push({ method: 'POST', url: '/api/ingest', payload: '{"a":', headers: { ...signedHeaders('{"a":', new Date()), 'x-signature': 'sha256=zz' } });
    out.push({ method: 'POST', url: '/api/ingest', payload: 'x'.repeat(2 * 1024 * 1024), headers: { 'content-type': 'application/json' } });
    out.push({ method: 'POST', url: '/api/ingest', payload: '<xml/>', headers: { 'content-type': 'application/xml' } });
    out.push({ method: 'GET', url: '/api/ingest' });
    out.push({ method: 'GET', url: '/api/mentions?cursor=' + 'A'.repeat(1000) });
    out.push({ method: 'GET', url: '/api/mentions?cursor=eyJzb3J0IjoibmV3ZXN0Iiwic2VudE1zIjoiMSciLCJtZXNzYWdlSWQiOjF9' });
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
    out.push({ method: 'DELETE', url: '/api/connectors/care-inbox/run' });
    out.push({ method: 'GET', url: '/api/connectors/care-inbox/run' });
    return out;
  };

  it('for a manager token, an admin token and no token at all', async () => {
    const seen = new Map<number, number>();
    for (const token of [f.tokens.manager, f.tokens.admin, undefined]) {
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
    expect([...seen.keys()]).toEqual(expect.arrayContaining([400, 401, 404, 413, 414, 415]));
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
