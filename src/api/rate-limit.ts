/**
 * Requests per token, per time window (@fastify/rate-limit, in memory: each API instance counts
 * its own). The counter is keyed by the token id, so one busy dashboard cannot starve another on
 * the same address; requests without a token (the webhook, /docs) count per client address.
 *
 * Ordering: the plugin adds its check to each route as a route-level onRequest hook, and Fastify
 * runs route-level hooks after the scope's, so on /api routes the token is known when it counts.
 * A request refused by authentication (401) is not counted. Exempt a route with
 * `config: { rateLimit: false }`.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

export interface RateLimitOptions {
  max: number;
  timeWindowMs: number;
}

export function rateLimitKey(request: FastifyRequest): string {
  return request.principal ? `token:${request.principal.tokenId}` : `ip:${request.ip}`;
}

export async function registerRateLimit(app: FastifyInstance, opts: RateLimitOptions): Promise<void> {
  await app.register(rateLimit, {
    max: opts.max,
    timeWindow: opts.timeWindowMs,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new ApiError(429, 'rate_limited', `too many requests: at most ${context.max} per ${opts.timeWindowMs / 1000} s; retry in ${context.after}`),
  });
}
