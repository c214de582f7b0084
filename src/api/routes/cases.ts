/**
 * GET /api/cases and GET /api/cases/:requestNumber. Channel rights: desk sees email cases, social
 * sees X cases, manager and admin see all; asking for a channel (or a case) outside them is a 403.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CASE_SORTS, type CaseSort, type Repository } from '../../../db/repository.js';
import { decodeCursor, encodeCursor } from '../../cases/case-cursor.js';
import { parseSearch } from '../../cases/search-terms.js';
import type { SlaTargets } from '../../cases/sla.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import { ALL_ROLES, canSeeChannel, principalOf, visibleChannels } from '../auth.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { sendJsonBody, type ResponseCache } from '../response-cache.js';
import { CASE_STATUSES, CHANNELS, caseDetailSchema, caseSummarySchema, toCaseDetailDto, toCaseSummaryDto, URGENCY_LEVELS } from '../schemas.js';

export const DEFAULT_CASE_LIMIT = 50;
export const MAX_CASE_LIMIT = 200;
/** `assignee=unassigned` asks for cases nobody works on. */
export const UNASSIGNED = 'unassigned';

export interface CasesRoutesOptions {
  repo: Repository;
  pipeline: Pipeline;
  sla: SlaTargets;
  now: () => Date;
  /** Finished list pages (see response-cache.ts); without it every request is computed. */
  listCache?: ResponseCache;
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

const casePageSchema = z.object({ cases: z.array(caseSummarySchema), nextCursor: z.string().nullable() });

const time = z.iso.datetime({ offset: true }).transform((t) => new Date(t));

export const casesRoutes: FastifyPluginAsyncZod<CasesRoutesOptions> = async (app, { repo, pipeline, sla, now, listCache }) => {
  const categories: [string, ...string[]] = [pipeline.otherCategory, ...pipeline.categories.rules.categories.map((c) => c.id)];

  app.get(
    '/cases',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'List cases, most urgent first (then oldest first contact), a page at a time',
        description:
          'Filters combine (AND). `q` searches subjects and bodies (every word, as a substring, in one message; words of 3+ characters are needed, shorter ones only narrow). ' +
          'Pages: pass `nextCursor` back as `cursor` with the same sort; the walk is stable while cases are added. Cases merged into another are not listed.',
        tags: ['cases'],
        security: [{ bearer: [] }],
        // Strict: a misspelt filter (`urgancy=critical`) is an error, not a silently unfiltered list.
        querystring: z.strictObject({
          urgency: z.enum(URGENCY_LEVELS).optional(),
          status: z.enum(CASE_STATUSES).optional(),
          category: z.enum(categories).optional(),
          channel: z.enum(CHANNELS).optional(),
          source: z.string().min(1).max(200).optional(),
          assignee: z.string().trim().min(1).max(100).optional().describe(`a token name, or "${UNASSIGNED}"`),
          tag: z.string().trim().min(1).max(50).optional(),
          createdFrom: time.optional().describe('ISO 8601 with offset; inclusive'),
          createdTo: time.optional().describe('exclusive'),
          updatedFrom: time.optional(),
          updatedTo: time.optional(),
          q: z.string().max(200).optional(),
          sort: z.enum(CASE_SORTS as [CaseSort, ...CaseSort[]]).default('urgency'),
          cursor: z.string().min(1).max(500).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_CASE_LIMIT).default(DEFAULT_CASE_LIMIT),
        }),
        response: { 200: casePageSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { role } = principalOf(request);
      const { channel, assignee, q, cursor, ...filter } = request.query;
      if (channel !== undefined && !canSeeChannel(role, channel)) {
        throw new ApiError(403, 'forbidden', `role "${role}" may not read ${channel} cases`);
      }
      // The validated query (defaults filled in) and the role's channels are the whole question.
      const key = listCache ? JSON.stringify([visibleChannels(role), Object.entries(request.query).sort(([a], [b]) => (a < b ? -1 : 1))]) : '';
      const stamp = listCache ? await repo.changeStamp() : '';
      const cached = listCache?.get(key, stamp);
      if (cached) return sendJsonBody(reply, cached);
      const search = q === undefined ? undefined : parseSearch(q);
      if (search && 'error' in search) throw new ApiError(400, 'invalid_request', `querystring field "q": ${search.error}`);
      const after = cursor === undefined ? undefined : decodeCursor(cursor, filter.sort);
      if (after && 'error' in after) throw new ApiError(400, 'invalid_request', `querystring field "cursor": ${after.error}`);
      const channels = channel !== undefined ? [channel] : visibleChannels(role);
      const page = await repo.listCasePage({
        ...filter,
        channels: channels ?? undefined,
        assignee: assignee === UNASSIGNED ? null : assignee,
        search: search?.ok,
        after: after?.ok,
      });
      const ctx = { sla, now: now() };
      const answer = {
        cases: page.cases.map((c) => toCaseSummaryDto(c, ctx)),
        nextCursor: page.nextAfter === null ? null : encodeCursor(filter.sort, page.nextAfter),
      };
      if (!listCache) return answer;
      // Encoded as the route's serializer would (zod, then JSON), once for every later hit.
      const body = Buffer.from(JSON.stringify(casePageSchema.encode(answer)));
      listCache.set(key, stamp, body);
      return sendJsonBody(reply, body);
    },
  );

  app.get(
    '/cases/:requestNumber',
    {
      config: { roles: ALL_ROLES },
      schema: {
        summary: 'One case with its messages, references, events, notes, SLA, category and facts',
        description:
          'The request number may be the issued one (REQ-2026-000123) or any number quoted for the case. The number of a case merged into another answers the surviving case.',
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
      return toCaseDetailDto(found, { sla, now: now() });
    },
  );
};
