/**
 * The API's one error shape, `{"error": {"code", "message"}}`, and the one handler that maps every
 * failure to it. Codes are stable (clients branch on them); messages are for people. Bad input is
 * a 4xx naming the field, never a 500; a 500 carries no stack or internals (they go to the log).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

export type ErrorCode =
  | 'invalid_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'method_not_allowed'
  | 'uri_too_long'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'idempotency_conflict'
  | 'webhook_not_configured'
  | 'database_unavailable'
  | 'run_in_progress'
  | 'source_waiting'
  | 'scheduler_off'
  | 'shutting_down'
  | 'internal_error';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const errorBodySchema = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .meta({ id: 'Error', description: 'Every error: a stable code and a human message.' });

export type ErrorBody = z.infer<typeof errorBodySchema>;

function body(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

/** "querystring field \"limit\": Invalid input: expected number, received NaN" */
function describeValidation(error: FastifyError): string {
  const where = error.validationContext ?? 'request';
  if (!hasZodFastifySchemaValidationErrors(error)) return `invalid ${where}: ${error.message}`;
  return error.validation
    .map((v) => {
      const keys = (v.params as { keys?: unknown }).keys;
      if (v.keyword === 'unrecognized_keys' && Array.isArray(keys)) {
        return `${where} field ${keys.map((k) => `"${String(k)}"`).join(', ')}: not a known field`;
      }
      const field = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return field === '' ? `${where}: ${v.message}` : `${where} field "${field}": ${v.message}`;
    })
    .join('; ');
}

const CLIENT_CODES: Record<number, ErrorCode> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  414: 'uri_too_long',
  415: 'unsupported_media_type',
};

/**
 * Errors the router raises before any route or hook runs (a path segment over the length limit,
 * a malformed URL, a header Fastify refuses): they bypass setErrorHandler and would otherwise
 * answer in Fastify's own shape, echoing the whole path. Pass as Fastify's `frameworkErrors`.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  request.log.info({ code: error.code }, 'request refused by the router');
  void reply.status(status).send(body(CLIENT_CODES[status] ?? 'invalid_request', status === 414 ? 'a path segment is too long' : 'malformed request URL'));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ApiError) {
      return reply.status(error.statusCode).send(body(error.code, error.message));
    }
    if (error.validation) {
      return reply.status(400).send(body('invalid_request', describeValidation(error)));
    }
    if (isResponseSerializationError(error)) {
      // Our own response did not match its schema: a bug, and the body might leak what the schema hides.
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
      return reply.status(500).send(body('internal_error', 'internal error'));
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      // Fastify's own client errors (malformed JSON, wrong content type, body too large).
      return reply.status(status).send(body(CLIENT_CODES[status] ?? 'invalid_request', error.message));
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(body('internal_error', 'internal error'));
  });

  app.setNotFoundHandler((request: FastifyRequest, reply: FastifyReply) => {
    return reply.status(404).send(body('not_found', `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`));
  });
}
