/** The routes that need no token: /healthz and /docs (with the OpenAPI built from the zod schemas). */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openContext } from '../../src/cli/command.js';
import { sampleApi, type ApiFixture } from '../helpers/api.js';
import { tempDir } from '../helpers/db.js';

describe('public routes', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await sampleApi();
  });

  it('GET /healthz answers ok without a token', async () => {
    const r = await f.app.inject({ url: '/healthz' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ status: 'ok' });
  });

  it('GET /docs serves Swagger UI without a token', async () => {
    const r = await f.app.inject({ url: '/docs' });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.body).toContain('Swagger UI');
  });

  it('the OpenAPI document describes the case routes from their zod schemas, with bearer security', async () => {
    const doc = (await f.app.inject({ url: '/docs/json' })).json();
    expect(doc.components.securitySchemes.bearer).toEqual({ type: 'http', scheme: 'bearer' });
    const list = doc.paths['/api/cases'].get;
    expect(list.security).toEqual([{ bearer: [] }]);
    const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
    expect(limit).toMatchObject({ in: 'query', schema: { minimum: 1, maximum: 200, default: 50 } });
    const urgency = list.parameters.find((p: { name: string }) => p.name === 'urgency');
    expect(urgency.schema.enum).toEqual(['critical', 'high', 'normal', 'low']);
    expect(doc.paths['/api/cases/{requestNumber}'].get.responses).toHaveProperty('404');
    expect(doc.components.schemas).toHaveProperty('CaseDetail');
  });

  it('/healthz reports 503 database_unavailable when the database cannot answer', async () => {
    // A second app on its own closed repository, so the shared fixture stays usable.
    const ctx = openContext({ db: `${tempDir()}/closed.db`, config: undefined });
    await ctx.repo.close();
    const app = await buildApp({ repo: ctx.repo, pipeline: ctx.pipeline });
    const r = await app.inject({ url: '/healthz' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({ error: { code: 'database_unavailable', message: 'the database did not answer' } });
    await app.close();
  });
});
