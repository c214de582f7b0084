/**
 * POST /api/ingest: the website form's and the in-app feedback's webhook. Authenticated by an
 * HMAC-SHA256 signature of the raw body (webhook-signature.ts), not by a bearer token: the form
 * backend holds a signing secret, no dashboard token. The entry goes through the same pipeline and
 * Repository.ingestBatch as every connector's items; the idempotency key is its external id, so a
 * retried request stores nothing twice and is answered with what the first one stored.
 *
 * Registered in its own scope: the JSON parser here keeps the raw bytes (the signature is over
 * them) and leaves every other route's parser alone.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { payloadToRawItem, webhookKeySchema, webhookPayloadSchema } from '../../../connectors/webhook/webhook.payload.js';
import type { IngestedMessage, Repository, Urgency } from '../../../db/repository.js';
import { ingestOne } from '../../pipeline/ingest.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { reasonSchema, URGENCY_LEVELS } from '../schemas.js';
import { checkWebhookSignature, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../webhook-signature.js';

export interface IngestRoutesOptions {
  repo: Repository;
  pipeline: Pipeline;
  now: () => Date;
  /** The signing secret; undefined when its environment variable is unset (the route then answers 503). */
  secret: string | undefined;
  secretEnv: string;
  source: string;
  maxSkewSeconds: number;
  maxBodyBytes: number;
}

/** A shorter secret is guessable offline from one captured request. */
export const MIN_SECRET_LENGTH = 16;

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received (webhook scope only). */
    rawBody?: Buffer;
  }
}

const answerSchema = z
  .object({
    status: z.enum(['stored', 'duplicate', 'non_complaint', 'quarantined']),
    requestNumber: z.string().nullable(),
    joined: z.object({ reason: z.string(), detail: z.string() }).nullable(),
    urgency: z.object({ level: z.enum(URGENCY_LEVELS), score: z.number(), reasons: z.array(reasonSchema) }).nullable(),
  })
  .meta({ id: 'IngestAnswer' });

type Answer = z.infer<typeof answerSchema>;

function answerOf(status: Answer['status'], requestNumber: string | null, joined: Answer['joined'], urgency: Urgency | null): Answer {
  return { status, requestNumber, joined, urgency };
}

function replayAnswer(stored: IngestedMessage): Answer {
  return answerOf('duplicate', stored.requestNumber, stored.joined, stored.urgency);
}

export const ingestRoutes: FastifyPluginAsyncZod<IngestRoutesOptions> = async (app, opts) => {
  const secret = opts.secret !== undefined && opts.secret.length >= MIN_SECRET_LENGTH ? opts.secret : undefined;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    request.rawBody = body as Buffer;
    done(null, body);
  });

  app.post(
    '/ingest',
    {
      bodyLimit: opts.maxBodyBytes,
      schema: {
        summary: 'Webhook for the website form and in-app feedback (HMAC-signed, no bearer token)',
        description:
          `Sign \`<${TIMESTAMP_HEADER} value>.<raw body>\` with HMAC-SHA256 and the shared secret; send \`${SIGNATURE_HEADER}: sha256=<hex>\` ` +
          `and \`${TIMESTAMP_HEADER}: <unix seconds>\`. The Idempotency-Key header (or the body's id) identifies the entry: ` +
          'the same key again stores nothing and answers 200 with what the first request stored.',
        tags: ['ingest'],
        headers: z.object({ 'idempotency-key': webhookKeySchema.optional() }),
        body: webhookPayloadSchema,
        response: {
          200: answerSchema,
          201: answerSchema,
          202: answerSchema,
          400: errorBodySchema,
          401: errorBodySchema,
          409: errorBodySchema,
          413: errorBodySchema,
          415: errorBodySchema,
          503: errorBodySchema,
        },
      },
      // Before validation: an unsigned request is 401 whatever its body, and nobody learns the
      // payload's rules without the secret.
      preValidation: async (request) => {
        if (secret === undefined) {
          throw new ApiError(503, 'webhook_not_configured', `the ingest webhook has no signing secret: set ${opts.secretEnv} (at least ${MIN_SECRET_LENGTH} characters)`);
        }
        const rawBody = request.rawBody ?? Buffer.alloc(0);
        const check = checkWebhookSignature({
          secret,
          signature: header(request.headers[SIGNATURE_HEADER]),
          timestamp: header(request.headers[TIMESTAMP_HEADER]),
          rawBody,
          now: opts.now(),
          maxSkewSeconds: opts.maxSkewSeconds,
        });
        if (!check.ok) throw new ApiError(401, 'unauthenticated', check.reason);
        try {
          request.body = JSON.parse(rawBody.toString('utf8'), refuseProtoKeys);
        } catch (err) {
          throw new ApiError(400, 'invalid_request', `body: not valid JSON (${(err as Error).message})`);
        }
      },
    },
    async (request, reply) => {
      const payload = request.body;
      const headerKey = request.headers['idempotency-key'];
      if (headerKey !== undefined && payload.id !== undefined && headerKey !== payload.id) {
        throw new ApiError(400, 'invalid_request', 'header "idempotency-key" and body field "id" differ: send one, or the same value in both');
      }
      const externalId = headerKey ?? payload.id;
      if (externalId === undefined) {
        throw new ApiError(400, 'invalid_request', 'body field "id": required unless an Idempotency-Key header is sent');
      }
      const receivedAt = opts.now();
      if (payload.sentAt !== undefined && new Date(payload.sentAt).getTime() > receivedAt.getTime() + opts.maxSkewSeconds * 1000) {
        throw new ApiError(400, 'invalid_request', 'body field "sentAt": in the future');
      }

      const result = await ingestOne(payloadToRawItem(payload, { source: opts.source, externalId, receivedAt }), opts.repo, opts.pipeline);
      if (result.kind === 'quarantined') {
        request.log.error({ reason: result.failure.reason, detail: result.failure.detail }, 'webhook entry quarantined');
        return reply.status(202).send(answerOf('quarantined', null, null, null));
      }
      const { outcome, item } = result;
      switch (outcome.status) {
        case 'stored':
          return reply.status(201).send(answerOf('stored', outcome.requestNumber, outcome.joined, outcome.urgency));
        case 'non_complaint':
          return reply.status(201).send(answerOf('non_complaint', null, null, null));
        case 'duplicate': {
          const stored = await opts.repo.findIngested(opts.source, externalId);
          if (!stored) throw new Error(`the store called ${opts.source}/${externalId} a duplicate but has no such message`);
          if (stored.textHash !== item.textHash) {
            // The sender reused a key for a different entry: storing nothing would lose it silently.
            throw new ApiError(409, 'idempotency_conflict', `idempotency key "${externalId}" was already used for a different entry`);
          }
          return reply.status(200).send(replayAnswer(stored));
        }
      }
    },
  );
};

/** As Fastify's own JSON parser does: a `__proto__` key is refused, not quietly dropped later. */
function refuseProtoKeys(key: string, value: unknown): unknown {
  if (key === '__proto__') throw new Error('"__proto__" is not allowed as a key');
  return value;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
