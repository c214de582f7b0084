/** Rate limiting per token (src/api/rate-limit.ts): one token's burst does not stop another's. */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';

describe('rate limiting', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await sampleApi({ config: parseConfig({ api: { rateLimit: { max: 3, timeWindowMs: 60_000 } } }) });
  });
  const cases = (token: string) => f.app.inject({ url: '/api/cases?limit=1', headers: bearer(token) });

  it('429 with the JSON error and Retry-After once a token used its quota; another token still passes', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await cases(f.tokens.social);
      expect(r.statusCode).toBe(200);
      expect(r.headers['x-ratelimit-remaining']).toBe(String(2 - i));
    }
    const limited = await cases(f.tokens.social);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.stringContaining('at most 3 per 60 s') } });
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // The quota is the token's, on every route.
    expect((await f.app.inject({ url: '/api/mentions', headers: bearer(f.tokens.social) })).statusCode).toBe(429);
    expect((await cases(f.tokens.desk)).statusCode).toBe(200);
  });

  it('/healthz is exempt; requests without a token count per address', async () => {
    for (let i = 0; i < 10; i++) expect((await f.app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await f.app.inject({ method: 'POST', url: '/api/ingest', remoteAddress: '10.0.0.9' })).statusCode);
    expect(statuses.slice(0, 3).every((s) => s !== 429)).toBe(true);
    expect(statuses[3]).toBe(429);
    expect((await f.app.inject({ method: 'POST', url: '/api/ingest', remoteAddress: '10.0.0.10' })).statusCode).not.toBe(429);
  });
});
