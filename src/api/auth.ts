/**
 * Bearer-token authentication and role rights for /api. Every /api route declares the roles it
 * admits in its `config.roles`; a route without the list admits nobody (a new route cannot be
 * left open by forgetting it). /healthz and /docs live outside the /api scope and need no token.
 *
 * Roles (issue 6): social works the X feed, desk the email queue, manager reads everything,
 * admin manages tokens and connectors (and reads everything too).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiRole, Repository } from '../../db/repository.js';
import { ApiError } from './errors.js';
import { hashToken } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Roles admitted to the route (required on every /api route). */
    roles?: readonly ApiRole[];
  }
}

export interface Principal {
  tokenId: number;
  name: string;
  role: ApiRole;
}

export const ALL_ROLES: readonly ApiRole[] = ['social', 'desk', 'manager', 'admin'];

/** Which case channels a role may see; null means every channel. */
export function visibleChannels(role: ApiRole): readonly string[] | null {
  switch (role) {
    case 'social':
      return ['x'];
    case 'desk':
      return ['email'];
    case 'manager':
    case 'admin':
      return null;
  }
}

export function canSeeChannel(role: ApiRole, channel: string): boolean {
  const channels = visibleChannels(role);
  return channels === null || channels.includes(channel);
}

/** Writing last_used_at on every request would turn every read into a write: once a minute is enough. */
const LAST_USED_RESOLUTION_MS = 60_000;

const BEARER = /^Bearer[ ]+([A-Za-z0-9_\-.~+/]+=*)[ ]*$/;

/** Adds the token check and the role check to every route of `scope` (call inside the /api plugin). */
export function requireToken(scope: FastifyInstance, repo: Repository, now: () => Date): void {
  scope.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : BEARER.exec(header);
    if (!match) throw new ApiError(401, 'unauthenticated', 'missing or malformed bearer token (Authorization: Bearer <token>)');
    const token = await repo.findTokenByHash(hashToken(match[1]!));
    if (!token || token.revokedAt !== null) throw new ApiError(401, 'unauthenticated', 'unknown or revoked token');
    const at = now();
    if (token.lastUsedAt === null || at.getTime() - token.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await repo.markTokenUsed(token.id, at);
    }
    request.principal = { tokenId: token.id, name: token.name, role: token.role };
    const roles = request.routeOptions.config.roles ?? [];
    if (!roles.includes(token.role)) {
      throw new ApiError(403, 'forbidden', `role "${token.role}" may not use ${request.method} ${request.routeOptions.url ?? request.url}`);
    }
  });
}

/** The authenticated caller (the hook has run: a route reached without one is a programming error). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('route reached without authentication: is it outside the /api scope?');
  return request.principal;
}
