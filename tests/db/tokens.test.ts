/** API tokens in the SQLite repository: stored by hash, names unique, revoke is one-way. */
import { describe, expect, it } from 'vitest';
import { tempDb } from '../helpers/db.js';

describe('api tokens (SQLite)', () => {
  const { repository: repo } = tempDb();

  it('stores a token by its hash and finds it again; a second token with the same name is refused', async () => {
    const created = await repo.createToken('alice', 'desk', 'a'.repeat(64));
    expect(created).toMatchObject({ name: 'alice', role: 'desk', lastUsedAt: null, revokedAt: null });
    expect(await repo.findTokenByHash('a'.repeat(64))).toMatchObject({ name: 'alice', role: 'desk' });
    expect(await repo.findTokenByHash('b'.repeat(64))).toBeNull();
    expect(await repo.createToken('alice', 'admin', 'c'.repeat(64))).toBe('name_taken');
  });

  it('records last use, lists tokens without any secret, and revokes once', async () => {
    const token = await repo.findTokenByHash('a'.repeat(64));
    const at = new Date('2026-11-20T10:00:00Z');
    await repo.markTokenUsed(token!.id, at);
    const listed = await repo.listTokens();
    expect(listed).toEqual([expect.objectContaining({ name: 'alice', lastUsedAt: at })]);
    expect(JSON.stringify(listed)).not.toContain('a'.repeat(64));
    expect(await repo.revokeToken('alice', at)).toBe(true);
    expect(await repo.revokeToken('alice', at)).toBe(false);
    expect(await repo.revokeToken('nobody', at)).toBe(false);
    expect((await repo.findTokenByHash('a'.repeat(64)))?.revokedAt).toEqual(at);
  });

  it('filters cases by a list of channels (an empty list matches nothing)', async () => {
    expect(await repo.listCases({ channels: [], limit: 10 })).toEqual([]);
    await expect(repo.ping()).resolves.toBeUndefined();
  });
});
