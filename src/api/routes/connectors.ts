/**
 * GET /api/connectors: each configured source's schedule, health, cursors and whether it runs now.
 * POST /api/connectors/:name/run: start a run now (admin).
 *
 * Rights: manager and admin see every source; desk sees the email sources and social the X
 * sources (the channels whose cases they read), so a team can tell whether its own feed is stale.
 * Only admin starts runs. Without a scheduler (`serve --no-scheduler`, or no sources) the list still
 * shows the stored health, and a run request is a 409 `scheduler_off`.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ConnectorCursor, ConnectorHealth, Repository } from '../../../db/repository.js';
import type { Config } from '../../config/config.js';
import type { SourceConfig } from '../../scheduler/create-connector.js';
import { channelOf, scheduleOf, type ConnectorControl, type RunInfo, type SourceState } from '../../scheduler/scheduler.js';
import { ALL_ROLES, principalOf, visibleChannels } from '../auth.js';
import { ApiError, errorBodySchema } from '../errors.js';

export interface ConnectorsRoutesOptions {
  repo: Repository;
  config: Pick<Config, 'sources' | 'timezone' | 'scheduler'>;
  scheduler: ConnectorControl | undefined;
}

const isoTime = z.iso.datetime();

const runSchema = z.object({ id: z.number().int(), source: z.string(), trigger: z.enum(['schedule', 'manual']), startedAt: isoTime });

const connectorSchema = z
  .object({
    name: z.string(),
    type: z.enum(['imap', 'x']),
    channel: z.string(),
    schedule: z.object({ cron: z.string(), timezone: z.string(), timeoutSeconds: z.number().int() }),
    /** False when this process runs no scheduler: nextRunAt and running are then unknown here. */
    scheduled: z.boolean(),
    state: z.enum(['ok', 'failing', 'never_run']),
    running: runSchema.nullable(),
    lastRun: z.object({ startedAt: isoTime, finishedAt: isoTime, items: z.number().int() }).nullable(),
    lastSuccessAt: isoTime.nullable(),
    consecutiveFailures: z.number().int(),
    lastError: z.object({ kind: z.string(), code: z.string(), message: z.string(), at: isoTime }).nullable(),
    cursors: z.array(z.object({ key: z.string(), value: z.string(), updatedAt: isoTime })),
    retryNotBefore: isoTime.nullable(),
    nextRunAt: isoTime.nullable(),
    skippedTicks: z.object({ running: z.number().int(), backoff: z.number().int(), retry_after: z.number().int(), stopping: z.number().int(), missed: z.number().int() }).nullable(),
  })
  .meta({ id: 'Connector' });

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const runDto = (r: RunInfo) => ({ id: r.id, source: r.source, trigger: r.trigger, startedAt: r.startedAt.toISOString() });

function toConnectorDto(source: SourceConfig, config: ConnectorsRoutesOptions['config'], health: ConnectorHealth | undefined, cursors: ConnectorCursor[], state: SourceState | undefined) {
  return {
    name: source.name,
    type: source.type,
    channel: channelOf(source),
    schedule: scheduleOf(source, config),
    scheduled: state !== undefined,
    state: health?.state ?? ('never_run' as const),
    running: state?.running ? runDto(state.running) : null,
    lastRun: health ? { startedAt: health.lastRunStartedAt.toISOString(), finishedAt: health.lastRunFinishedAt.toISOString(), items: health.lastItems } : null,
    lastSuccessAt: iso(health?.lastSuccessAt),
    consecutiveFailures: health?.consecutiveFailures ?? 0,
    lastError: health?.lastError ? { ...health.lastError, at: health.lastError.at.toISOString() } : null,
    cursors: cursors.filter((c) => c.source === source.name).map((c) => ({ key: c.key, value: c.value, updatedAt: c.updatedAt.toISOString() })),
    retryNotBefore: iso(health?.retryNotBefore),
    nextRunAt: iso(state?.nextRunAt),
    skippedTicks: state ? state.skipped : null,
  };
}

export const connectorsRoutes: FastifyPluginAsyncZod<ConnectorsRoutesOptions> = async (app, { repo, config, scheduler }) => {
  app.get(
    '/connectors',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'Configured sources: schedule, health, cursors, next run, running now',
        description: 'Desk sees the email sources, social the X sources, manager and admin all.',
        tags: ['connectors'],
        security: [{ bearer: [] }],
        querystring: z.strictObject({}),
        response: { 200: z.object({ scheduler: z.enum(['running', 'off']), connectors: z.array(connectorSchema) }), ...errors },
      },
    },
    async (request) => {
      const channels = visibleChannels(principalOf(request).role);
      const [health, cursors, states] = await Promise.all([repo.listConnectorHealth(), repo.listConnectorCursors(), scheduler?.states() ?? Promise.resolve([])]);
      const sources = config.sources.filter((s) => channels === null || channels.includes(channelOf(s)));
      return {
        scheduler: scheduler ? ('running' as const) : ('off' as const),
        connectors: sources.map((s) =>
          toConnectorDto(
            s,
            config,
            health.find((h) => h.source === s.name),
            cursors,
            states.find((st) => st.name === s.name),
          ),
        ),
      };
    },
  );

  app.post(
    '/connectors/:name/run',
    {
      config: { roles: ['admin'] },
      schema: {
        summary: 'Run a source now (admin)',
        description:
          'Starts a run and answers at once (202) with it; GET /api/connectors shows it running. 409 when a run of the source is going on (`run_in_progress`), when the source asked to wait, e.g. a rate-limit reset (`source_waiting`), when this process runs no scheduler (`scheduler_off`) or is shutting down (`shutting_down`). The backoff after failures is waived for a run asked for by hand.',
        tags: ['connectors'],
        security: [{ bearer: [] }],
        params: z.object({ name: z.string().min(1).max(64) }),
        response: { 202: z.object({ run: runSchema }), ...errors },
      },
    },
    async (request, reply) => {
      const { name } = request.params;
      if (!config.sources.some((s) => s.name === name)) throw new ApiError(404, 'not_found', `no source named "${name}"`);
      if (!scheduler) throw new ApiError(409, 'scheduler_off', 'this server runs no scheduler (started with --no-scheduler): run `complaint-monitor poll --once --source NAME` instead');
      const outcome = await scheduler.runNow(name);
      switch (outcome.kind) {
        case 'started':
          return reply.status(202).send({ run: runDto(outcome.run) });
        case 'running':
          throw new ApiError(409, 'run_in_progress', `a run of "${name}" is going on (run ${outcome.run.id}, ${outcome.run.trigger}, started ${outcome.run.startedAt.toISOString()})`);
        case 'waiting':
          throw new ApiError(409, 'source_waiting', `"${name}" asked not to be called before ${outcome.until.toISOString()} (its rate-limit window)`);
        case 'stopping':
          throw new ApiError(409, 'shutting_down', 'the server is shutting down');
        case 'unknown':
          throw new ApiError(404, 'not_found', `no source named "${name}"`);
      }
    },
  );
};
