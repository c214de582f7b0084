/**
 * The dashboard API as a Fastify instance: plugins in order (error handling, zod, OpenAPI + /docs),
 * then the public routes (/healthz) and the /api scope behind bearer tokens. It never listens:
 * src/cli/serve.command.ts does, and tests call `inject`.
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Repository } from '../../db/repository.js';
import { parseConfig, type Config } from '../config/config.js';
import { Metrics } from '../metrics/metrics.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import type { ConnectorControl } from '../scheduler/scheduler.js';
import { requireToken } from './auth.js';
import { ResponseCache } from './response-cache.js';
import { errorBodySchema, frameworkErrors, installErrorHandling } from './errors.js';
import { registerRateLimit } from './rate-limit.js';
import { caseWorkflowRoutes } from './routes/case-workflow.js';
import { casesRoutes } from './routes/cases.js';
import { connectorsRoutes } from './routes/connectors.js';
import { ingestRoutes } from './routes/ingest.js';
import { mentionsRoutes } from './routes/mentions.js';
import { metricsRoutes } from './routes/metrics.js';
import { statsRoutes } from './routes/stats.js';
import { streamRoutes } from './routes/stream.js';
import { reportsRoutes } from './routes/reports.js';

export interface AppDeps {
  repo: Repository;
  pipeline: Pipeline;
  /** Fastify's logger option (pino options or false). Default: no logging. */
  logger?: FastifyServerOptions['logger'];
  /** The clock (token last-use times, SLA state, the time of case changes). */
  now?: () => Date;
  /** The loaded configuration (SLA targets, time zone, rate limit, webhook, sources, metrics access). Default: the defaults. */
  config?: Config;
  /** Where secrets are read from (the webhook's signing secret). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** The scheduler running the sources; without it the connectors list shows stored health only. */
  scheduler?: ConnectorControl;
  /** The metrics the scheduler reports to (one is made when not given). */
  metrics?: Metrics;
}

/** Distinct case-list questions kept answered (each a page of at most 200 cases). */
const LIST_CACHE_ENTRIES = 256;

/** Request bodies are small JSON documents (notes, status changes): 1 MiB is generous. */
const BODY_LIMIT = 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
  const config = deps.config ?? parseConfig({});
  const env = deps.env ?? process.env;
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // Long-lived connections (SSE later, keep-alive now) must not hold up a graceful close.
    forceCloseConnections: true,
    // Request ids from our own counter, not from a client header.
    requestIdHeader: false,
    frameworkErrors,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  app.decorateRequest('principal', null);
  await registerRateLimit(app, config.api.rateLimit);

  await app.register(swagger, {
    openapi: {
      info: { title: 'complaint-monitor dashboard API', version: '0.1.0', description: 'Cases for care teams. Every /api route needs `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  const metrics = deps.metrics ?? new Metrics(deps.repo, now);
  app.addHook('onResponse', async (request, reply) => {
    // The route template, not the URL, keeps the label set bounded; the router's misses share one label.
    metrics.httpRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });

  app.get(
    '/healthz',
    {
      config: { rateLimit: false },
      schema: {
        summary: 'Liveness and database check (no token needed)',
        tags: ['health'],
        response: { 200: z.object({ status: z.literal('ok') }), 503: errorBodySchema },
      },
    },
    async (request, reply) => {
      try {
        await deps.repo.ping();
      } catch (err) {
        request.log.error({ err }, 'health check: database did not answer');
        return reply.status(503).send({ error: { code: 'database_unavailable', message: 'the database did not answer' } });
      }
      return { status: 'ok' as const };
    },
  );

  await app.register(
    async (api) => {
      requireToken(api, deps.repo, now);
      const listCache =
        config.api.listCacheMs > 0 ? new ResponseCache({ maxEntries: LIST_CACHE_ENTRIES, maxAgeMs: config.api.listCacheMs, now: () => now().getTime() }) : undefined;
      const cases = { repo: deps.repo, pipeline: deps.pipeline, sla: config.sla, now, ...(listCache ? { listCache } : {}) };
      await api.register(casesRoutes, cases);
      await api.register(caseWorkflowRoutes, cases);
      await api.register(mentionsRoutes, { repo: deps.repo });
      await api.register(statsRoutes, { repo: deps.repo, config, now });
      await api.register(streamRoutes, { repo: deps.repo, pollMs: config.api.streamPollMs, heartbeatMs: config.api.streamHeartbeatMs });
      await api.register(connectorsRoutes, { repo: deps.repo, config, scheduler: deps.scheduler });
      await api.register(reportsRoutes, { repo: deps.repo, timeZone: config.timezone, sla: config.sla, now });
    },
    { prefix: '/api' },
  );
  // Signed by the sender instead of a bearer token: outside the token scope, under the same prefix.
  await app.register(ingestRoutes, {
    prefix: '/api',
    repo: deps.repo,
    pipeline: deps.pipeline,
    now,
    secret: env[config.webhook.secretEnv] || undefined,
    secretEnv: config.webhook.secretEnv,
    source: config.webhook.source,
    maxSkewSeconds: config.webhook.maxSkewSeconds,
    maxBodyBytes: config.webhook.maxBodyBytes,
  });
  await app.register(async (scope) => {
    if (config.metrics.requireToken) requireToken(scope, deps.repo, now);
    await scope.register(metricsRoutes, { metrics, requireToken: config.metrics.requireToken });
  });
  return app;
}
