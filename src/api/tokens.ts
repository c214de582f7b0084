/**
 * API bearer tokens: 32 random bytes, base64url, prefixed `cm_` so a leaked one is recognisable in
 * a log or a paste. Only the SHA-256 (hex) is stored; the token is shown once, when created.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiRole, ApiToken, Repository } from '../../db/repository.js';

export const TOKEN_PREFIX = 'cm_';

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokenNameTakenError extends Error {
  override name = 'TokenNameTakenError';
  readonly code = 'token_name_taken';
}

/** Creates and stores a token; returns the only copy of its secret. */
export async function createApiToken(repo: Repository, name: string, role: ApiRole): Promise<{ token: string; stored: ApiToken }> {
  const token = generateToken();
  const stored = await repo.createToken(name, role, hashToken(token));
  if (stored === 'name_taken') throw new TokenNameTakenError(`a token named "${name}" already exists (names stay taken after revoke)`);
  return { token, stored };
}
