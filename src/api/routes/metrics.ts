/**
 * GET /metrics: Prometheus text exposition. By default it needs a manager or admin bearer token
 * (Prometheus: `authorization: {credentials: <token>}` in the scrape config); config
 * `metrics.requireToken: false` opens it to whoever can reach the port.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Metrics } from '../../metrics/metrics.js';
import { CONTENT_TYPE } from '../../metrics/prometheus.js';
import { errorBodySchema } from '../errors.js';

export interface MetricsRoutesOptions {
  metrics: Metrics;
  requireToken: boolean;
}

export const metricsRoutes: FastifyPluginAsyncZod<MetricsRoutesOptions> = async (app, { metrics, requireToken }) => {
  app.get(
    '/metrics',
    {
      config: { roles: ['manager', 'admin'] },
      schema: {
        summary: 'Prometheus metrics (text format 0.0.4)',
        description: 'Ingested items, connector runs, errors and durations, skipped ticks, last successes, queue lag, HTTP requests.',
        tags: ['health'],
        ...(requireToken ? { security: [{ bearer: [] }] } : {}),
        querystring: z.object({}),
        response: { 200: z.string(), 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (_request, reply) => reply.type(CONTENT_TYPE).send(await metrics.expose()),
  );
};
