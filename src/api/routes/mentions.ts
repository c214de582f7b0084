/**
 * GET /api/mentions: the social team's feed of X posts (complaints in X cases), most urgent first
 * (the case's score, then its newest post; a case's posts together, newest first) or newest first,
 * with the author's reach, the post's link and its case. Keyset pages through an opaque cursor.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Mention, MentionKey, Repository } from '../../../db/repository.js';
import { principalOf } from '../auth.js';
import { decodeCursor, encodeCursor, invalidCursor } from '../cursor.js';
import { errorBodySchema } from '../errors.js';
import { CASE_STATUSES, reasonSchema, URGENCY_LEVELS } from '../schemas.js';

export const DEFAULT_MENTION_LIMIT = 50;
export const MAX_MENTION_LIMIT = 200;
const FEED_CHANNEL = 'x';

const int = z.number().int();
const mentionKeySchema = z.discriminatedUnion('sort', [
  z.strictObject({ sort: z.literal('urgent'), caseScore: int, caseLastContactMs: int, caseId: int, sentMs: int, messageId: int }),
  z.strictObject({ sort: z.literal('newest'), sentMs: int, messageId: int }),
]) satisfies z.ZodType<MentionKey>;

const urgencySchema = z.object({ level: z.enum(URGENCY_LEVELS), score: z.number(), reasons: z.array(reasonSchema) });

const mentionSchema = z
  .object({
    id: z.number().int(),
    externalId: z.string(),
    source: z.string(),
    author: z.object({ handle: z.string().nullable(), name: z.string().nullable(), followers: z.number().int().nullable() }),
    url: z.string().nullable(),
    text: z.string(),
    lang: z.string().nullable(),
    sentAt: z.iso.datetime(),
    urgency: urgencySchema.nullable(),
    case: z.object({
      requestNumber: z.string(),
      status: z.enum(CASE_STATUSES),
      urgency: z.enum(URGENCY_LEVELS),
      urgencyScore: z.number(),
      urgencyReasons: z.array(reasonSchema),
      lastContactAt: z.iso.datetime(),
      amplifications: z.number().int(),
    }),
  })
  .meta({ id: 'Mention' });

function toMentionDto(m: Mention): z.infer<typeof mentionSchema> {
  return {
    id: m.messageId,
    externalId: m.externalId,
    source: m.source,
    author: { handle: m.authorHandle, name: m.authorName, followers: m.authorFollowers },
    url: m.url,
    text: m.text,
    lang: m.lang,
    sentAt: m.sentAt.toISOString(),
    urgency: m.urgency,
    case: {
      requestNumber: m.case.requestNumber,
      status: m.case.status,
      urgency: m.case.urgency,
      urgencyScore: m.case.urgencyScore,
      urgencyReasons: m.case.urgencyReasons,
      lastContactAt: m.case.lastContactAt.toISOString(),
      amplifications: m.case.amplifications,
    },
  };
}

export const mentionsRoutes: FastifyPluginAsyncZod<{ repo: Repository }> = async (app, { repo }) => {
  app.get(
    '/mentions',
    {
      config: { roles: ['social', 'manager', 'admin'] },
      schema: {
        summary: 'The social feed: X posts, most urgent or newest first, with reach and case',
        description:
          '`urgent`: by the case urgency score, then the case with the newest post; a case\'s posts together, newest first. ' +
          '`newest`: by post time. Pass `nextCursor` back as `cursor` (with the same sort and filters) for the next page.',
        tags: ['mentions'],
        security: [{ bearer: [] }],
        querystring: z.strictObject({
          sort: z.enum(['urgent', 'newest']).default('urgent'),
          since: z.iso.datetime({ offset: true }).optional(),
          minFollowers: z.coerce.number().int().min(0).max(1e12).optional(),
          urgency: z.enum(URGENCY_LEVELS).optional(),
          cursor: z.string().min(1).max(1000).optional(),
          limit: z.coerce.number().int().min(1).max(MAX_MENTION_LIMIT).default(DEFAULT_MENTION_LIMIT),
        }),
        response: {
          200: z.object({ mentions: z.array(mentionSchema), nextCursor: z.string().nullable() }),
          400: errorBodySchema,
          401: errorBodySchema,
          403: errorBodySchema,
        },
      },
    },
    async (request) => {
      principalOf(request);
      const q = request.query;
      const after = q.cursor !== undefined ? decodeCursor(q.cursor, mentionKeySchema) : undefined;
      // A cursor of the other order would silently restart or skip the feed.
      if (after && after.sort !== q.sort) throw invalidCursor();
      const page = await repo.listMentions({
        sort: q.sort,
        channel: FEED_CHANNEL,
        since: q.since !== undefined ? new Date(q.since) : undefined,
        minFollowers: q.minFollowers,
        urgency: q.urgency,
        after,
        limit: q.limit,
      });
      return { mentions: page.mentions.map(toMentionDto), nextCursor: page.next ? encodeCursor(page.next) : null };
    },
  );
};
