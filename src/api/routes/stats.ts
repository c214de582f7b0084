/**
 * GET /api/stats: the dashboard header. Open cases by urgency and by channel, cases new today (in
 * the team's time zone), open cases past an SLA deadline and failing connectors, over the channels
 * the caller's role may see.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Repository } from '../../../db/repository.js';
import type { Config } from '../../config/config.js';
import { startOfLocalDay } from '../../pipeline/facts/zone.js';
import { ALL_ROLES, principalOf, visibleChannels } from '../auth.js';
import { errorBodySchema } from '../errors.js';
import { CHANNELS } from '../schemas.js';

export interface StatsRoutesOptions {
  repo: Repository;
  config: Pick<Config, 'sla' | 'timezone'>;
  now: () => Date;
}

const count = z.number().int();

const statsSchema = z
  .object({
    at: z.iso.datetime(),
    timezone: z.string(),
    open: z.object({
      total: count,
      byUrgency: z.object({ critical: count, high: count, normal: count, low: count }),
      byChannel: z.record(z.string(), count),
    }),
    newToday: count,
    slaBreached: count,
    connectorsFailing: count,
  })
  .meta({ id: 'Stats' });

export const statsRoutes: FastifyPluginAsyncZod<StatsRoutesOptions> = async (app, { repo, config, now }) => {
  app.get(
    '/stats',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'Dashboard header: open cases by urgency and channel, new today, SLA breaches, failing connectors',
        description: 'Counts cover the channels the token\'s role may see. `newToday` counts from midnight in the configured time zone.',
        tags: ['stats'],
        security: [{ bearer: [] }],
        querystring: z.strictObject({}),
        response: { 200: statsSchema, 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request) => {
      const channels = visibleChannels(principalOf(request).role) ?? undefined;
      const at = now();
      const stats = await repo.dashboardStats({ channels, now: at, todayStart: startOfLocalDay(at, config.timezone), sla: config.sla });
      // Every channel the caller may see is listed, with 0 when it has no open case.
      const byChannel: Record<string, number> = {};
      for (const c of channels ?? CHANNELS) byChannel[c] = 0;
      for (const [c, n] of Object.entries(stats.open.byChannel)) byChannel[c] = n;
      return { ...stats, open: { ...stats.open, byChannel }, at: at.toISOString(), timezone: config.timezone };
    },
  );
};
