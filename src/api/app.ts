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
import type { SlaTargets } from '../cases/sla.js';
import { DEFAULT_SLA_MINUTES, DEFAULT_TIMEZONE } from '../config/defaults.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { requireToken } from './auth.js';
import { errorBodySchema, frameworkErrors, installErrorHandling } from './errors.js';
import { casesRoutes } from './routes/cases.js';
import { reportsRoutes } from './routes/reports.js';

export interface AppDeps {
  repo: Repository;
  pipeline: Pipeline;
  /** Fastify's logger option (pino options or false). Default: no logging. */
  logger?: FastifyServerOptions['logger'];
  /** The clock (token last-use times, the reports' "generated at"). */
  now?: () => Date;
  /** The team's zone and SLA targets for reports (config `timezone`, `sla`). Default: the defaults. */
  reports?: { timeZone: string; sla: SlaTargets };
}

/** Request bodies are small JSON documents (notes, status changes): 1 MiB is generous. */
const BODY_LIMIT = 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const now = deps.now ?? (() => new Date());
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

  await app.register(swagger, {
    openapi: {
      info: { title: 'complaint-monitor dashboard API', version: '0.1.0', description: 'Cases for care teams. Every /api route needs `Authorization: Bearer <token>`.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.get(
    '/healthz',
    {
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
      await api.register(casesRoutes, { repo: deps.repo, pipeline: deps.pipeline });
      const reports = deps.reports ?? { timeZone: DEFAULT_TIMEZONE, sla: DEFAULT_SLA_MINUTES };
      await api.register(reportsRoutes, { repo: deps.repo, ...reports, now });
    },
    { prefix: '/api' },
  );
  return app;
}
