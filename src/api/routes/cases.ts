/**
 * GET /api/cases and GET /api/cases/:requestNumber. Channel rights: desk sees email cases, social
 * sees X cases, manager and admin see all; asking for a channel (or a case) outside them is a 403.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Repository } from '../../../db/repository.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import { ALL_ROLES, canSeeChannel, principalOf, visibleChannels } from '../auth.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { CASE_STATUSES, CHANNELS, caseDetailSchema, caseSummarySchema, toCaseDetailDto, toCaseSummaryDto, URGENCY_LEVELS } from '../schemas.js';

export const DEFAULT_CASE_LIMIT = 50;
export const MAX_CASE_LIMIT = 200;

export interface CasesRoutesOptions {
  repo: Repository;
  pipeline: Pipeline;
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

export const casesRoutes: FastifyPluginAsyncZod<CasesRoutesOptions> = async (app, { repo, pipeline }) => {
  const categories: [string, ...string[]] = [pipeline.otherCategory, ...pipeline.categories.rules.categories.map((c) => c.id)];

  app.get(
    '/cases',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'List cases, most urgent first (then oldest first contact)',
        tags: ['cases'],
        security: [{ bearer: [] }],
        // Strict: a misspelt filter (`urgancy=critical`) is an error, not a silently unfiltered list.
        querystring: z.strictObject({
          urgency: z.enum(URGENCY_LEVELS).optional(),
          status: z.enum(CASE_STATUSES).optional(),
          category: z.enum(categories).optional(),
          channel: z.enum(CHANNELS).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_CASE_LIMIT).default(DEFAULT_CASE_LIMIT),
        }),
        response: { 200: z.object({ cases: z.array(caseSummarySchema) }), ...errors },
      },
    },
    async (request) => {
      const { role } = principalOf(request);
      const { channel, ...filter } = request.query;
      if (channel !== undefined && !canSeeChannel(role, channel)) {
        throw new ApiError(403, 'forbidden', `role "${role}" may not read ${channel} cases`);
      }
      const channels = channel !== undefined ? [channel] : visibleChannels(role);
      const cases = await repo.listCases({ ...filter, channels: channels ?? undefined });
      return { cases: cases.map(toCaseSummaryDto) };
    },
  );

  app.get(
    '/cases/:requestNumber',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'One case with its messages, references, events, category and facts',
        description: 'The request number may be the issued one (REQ-2026-000123) or any number quoted for the case.',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: z.object({ requestNumber: z.string().trim().min(1).max(100) }),
        response: { 200: caseDetailSchema, ...errors },
      },
    },
    async (request) => {
      const { role } = principalOf(request);
      const wanted = request.params.requestNumber;
      // Also accept a loosely typed number ("req 2026 123"), read the way the pipeline reads text.
      const canonical = pipeline.references.recognise(wanted)[0]?.value ?? wanted;
      const found = (await repo.getCase(wanted)) ?? (canonical !== wanted ? await repo.getCase(canonical) : null);
      if (!found) throw new ApiError(404, 'not_found', `no case with request number or reference "${wanted}"`);
      if (!canSeeChannel(role, found.channel)) {
        throw new ApiError(403, 'forbidden', `role "${role}" may not read ${found.channel} cases`);
      }
      return toCaseDetailDto(found);
    },
  );
};
