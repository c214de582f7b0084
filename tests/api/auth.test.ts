/** Bearer tokens and role rights (src/api/auth.ts), through `inject` on a real SQLite file. */
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiRole } from '../../db/repository.js';
import { requireToken } from '../../src/api/auth.js';
import { installErrorHandling } from '../../src/api/errors.js';
import { createApiToken, hashToken } from '../../src/api/tokens.js';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';

describe('API authentication', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await sampleApi();
  });

  it('tokens look like cm_<43 base64url chars>, and only their SHA-256 is stored', async () => {
    const { token, stored } = await createApiToken(f.ctx.repo, 'shape', 'desk');
    expect(token).toMatch(/^cm_[A-Za-z0-9_-]{43}$/);
    expect(await f.ctx.repo.findTokenByHash(hashToken(token))).toMatchObject({ id: stored.id });
    expect(JSON.stringify(await f.ctx.repo.listTokens())).not.toContain(token);
  });

  it('a revoked token is 401 from then on', async () => {
    const { token } = await createApiToken(f.ctx.repo, 'to-revoke', 'manager');
    expect((await f.app.inject({ url: '/api/cases', headers: bearer(token) })).statusCode).toBe(200);
    await f.ctx.repo.revokeToken('to-revoke', new Date());
    const r = await f.app.inject({ url: '/api/cases', headers: bearer(token) });
    expect(r.statusCode).toBe(401);
    expect(r.json().error).toEqual({ code: 'unauthenticated', message: 'unknown or revoked token' });
  });

  it('a used token gets its last-use time', async () => {
    const { token, stored } = await createApiToken(f.ctx.repo, 'used', 'social');
    expect(stored.lastUsedAt).toBeNull();
    await f.app.inject({ url: '/api/cases', headers: bearer(token) });
    const after = (await f.ctx.repo.listTokens()).find((t) => t.name === 'used');
    expect(after?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('a route admits only the roles it lists (403 forbidden with a JSON body); a route listing none admits nobody', async () => {
    const app = Fastify();
    installErrorHandling(app);
    app.decorateRequest('principal', null);
    await app.register(async (api) => {
      requireToken(api, f.ctx.repo, () => new Date());
      api.get('/admin-only', { config: { roles: ['admin'] } }, async () => ({ ok: true }));
      api.get('/unlisted', async () => ({ ok: true }));
    });
    const roles: ApiRole[] = ['social', 'desk', 'manager', 'admin'];
    for (const role of roles) {
      const r = await app.inject({ url: '/admin-only', headers: bearer(f.tokens[role]) });
      expect(r.statusCode, role).toBe(role === 'admin' ? 200 : 403);
      if (role !== 'admin') expect(r.json().error).toEqual({ code: 'forbidden', message: `role "${role}" may not use GET /admin-only` });
      expect((await app.inject({ url: '/unlisted', headers: bearer(f.tokens[role]) })).statusCode).toBe(403);
    }
    await app.close();
  });
});
