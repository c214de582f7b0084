/**
 * GET /api/stream: case events as Server-Sent Events (`case.created`, `case.updated`,
 * `case.urgency_changed`), id = case_events.id. A role only receives its channels' cases.
 * Resuming: the `Last-Event-ID` header (sent by EventSource on reconnect) or `?lastEventId=` for
 * clients that cannot set headers; the header wins, since a reconnecting EventSource keeps its
 * first URL. Without either the stream starts with the next event.
 *
 * Written on the raw response rather than through @fastify/sse: the loop needs its own pacing
 * (database polls, drain on backpressure, heartbeats) and replay comes from the database, not
 * from a buffer in this process.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Repository } from '../../../db/repository.js';
import { ALL_ROLES, canSeeChannel, principalOf, visibleChannels } from '../auth.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { runEventStream } from '../live/event-stream.js';
import { CHANNELS } from '../schemas.js';

export interface StreamRoutesOptions {
  repo: Repository;
  pollMs: number;
  heartbeatMs: number;
}

/** How long a client waits before reconnecting after the stream ends (the SSE `retry` field). */
const RECONNECT_MS = 2000;

const eventId = z
  .string()
  .regex(/^\d{1,15}$/, 'an event id (a whole number)')
  .transform(Number);

export const streamRoutes: FastifyPluginAsyncZod<StreamRoutesOptions> = async (app, { repo, pollMs, heartbeatMs }) => {
  const open = new Set<AbortController>();
  // Before the server stops: end every stream (each then closes its response cleanly).
  app.addHook('preClose', async () => {
    for (const c of open) c.abort();
  });

  app.get(
    '/stream',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'Live case events (Server-Sent Events), resumable with Last-Event-ID',
        description:
          'Events `case.created`, `case.updated`, `case.urgency_changed`; `id` is the case event id, `data` JSON ' +
          '{caseId, requestNumber, channel, type, at, status, urgency, urgencyScore, assignee, detail}. A comment line every ~15 s keeps the connection open.',
        tags: ['live'],
        security: [{ bearer: [] }],
        querystring: z.strictObject({ channel: z.enum(CHANNELS).optional(), lastEventId: eventId.optional() }),
        headers: z.object({ 'last-event-id': eventId.optional() }),
        response: { 200: z.string().describe('text/event-stream'), 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema },
      },
    },
    async (request, reply) => {
      const { role } = principalOf(request);
      const { channel, lastEventId } = request.query;
      if (channel !== undefined && !canSeeChannel(role, channel)) {
        throw new ApiError(403, 'forbidden', `role "${role}" may not read ${channel} cases`);
      }
      const channels = channel !== undefined ? [channel] : (visibleChannels(role) ?? undefined);
      const resumeAfter = request.headers['last-event-id'] ?? lastEventId;
      const afterId = resumeAfter ?? (await repo.latestEventId());

      const controller = new AbortController();
      open.add(controller);
      const res = reply.raw;
      res.on('close', () => controller.abort());
      reply.hijack();
      // Headers set before the hijack (rate-limit counters) go out with the stream's own.
      for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) res.setHeader(name, value);
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx buffers responses unless told not to.
        'x-accel-buffering': 'no',
      });
      res.write(`retry: ${RECONNECT_MS}\n: stream of case events after id ${afterId}\n\n`);
      try {
        await runEventStream({
          repo,
          res,
          channels,
          afterId,
          pollMs,
          heartbeatMs,
          signal: controller.signal,
          onError: (err) => request.log.error({ err }, 'live stream failed; the client will reconnect and resume'),
        });
      } finally {
        open.delete(controller);
      }
    },
  );
};
