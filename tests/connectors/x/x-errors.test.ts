import { ApiPartialResponseError, ApiRequestError, ApiResponseError, type TwitterRateLimit } from 'twitter-api-v2';
import { describe, expect, it } from 'vitest';
import { classifyXError } from '../../../connectors/x/x-errors.js';

const ctx = { source: 'x-care', where: 'reading search "saldo" (page 1)', now: new Date('2026-11-26T01:00:00Z'), bearerTokenEnv: 'X_BEARER', usageCapRetryMs: 3_600_000 };
const response = (code: number, data: object, rateLimit?: TwitterRateLimit) =>
  new ApiResponseError(`Request failed with code ${code}`, { code, data: data as never, headers: {}, request: {} as never, response: {} as never, ...(rateLimit ? { rateLimit } : {}) });

describe('X errors', () => {
  it('a 429 waits until the reset X announces (plus a margin), in either body shape', () => {
    const reset = Date.parse('2026-11-26T01:07:00Z') / 1000;
    for (const body of [{ title: 'Too Many Requests', type: 'about:blank', status: 429, detail: 'Too Many Requests' }, { errors: [{ code: 88, message: 'Rate limit exceeded' }] }]) {
      const e = classifyXError(response(429, body, { limit: 450, remaining: 0, reset }), ctx);
      expect(e).toMatchObject({ kind: 'rate_limit', code: 'x_rate_limited', retryable: true, retryAfterMs: 7 * 60_000 + 1_000 });
      expect(e.message).toContain('until 2026-11-26T01:07:00.000Z');
    }
  });

  it('the monthly cap is not the 15-minute window, even with requests left in it', () => {
    const e = classifyXError(
      response(429, { title: 'UsageCapExceeded', detail: 'Usage cap exceeded: Monthly product cap', type: 'https://api.twitter.com/2/problems/usage-capped' }, { limit: 40000, remaining: 39999, reset: 0 }),
      ctx,
    );
    expect(e).toMatchObject({ kind: 'rate_limit', code: 'x_usage_cap', retryable: false, retryAfterMs: 3_600_000 });
  });

  it('a 400 about since_id says the stored position is the problem; another 400 is the request', () => {
    const cursor = classifyXError(
      response(400, {
        errors: [{ parameters: { since_id: ['1440000000000000000'] }, message: "Invalid 'since_id'" }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      }),
      ctx,
    );
    expect(cursor).toMatchObject({ kind: 'config', code: 'x_cursor_rejected', retryable: false });
    expect(cursor.message).toContain('delete this source\'s cursor');
    const query = classifyXError(response(400, { errors: [{ parameters: { query: [''] }, message: 'The `query` query parameter can not be empty' }], title: 'Invalid Request' }), ctx);
    expect(query).toMatchObject({ kind: 'config', code: 'x_request_rejected' });
    expect(query.message).toContain('The `query` query parameter can not be empty');
  });

  it('5xx, broken JSON and sockets are retryable; their cause is kept', () => {
    expect(classifyXError(response(503, { title: 'Service Unavailable' }), ctx)).toMatchObject({ kind: 'server', code: 'x_server_error', retryable: true });
    const broken = new ApiPartialResponseError('partial', { request: {} as never, response: {} as never, responseError: new SyntaxError('Unexpected end of JSON input'), rawContent: '{"da' });
    expect(classifyXError(broken, ctx)).toMatchObject({ code: 'x_invalid_response', retryable: true });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const e = classifyXError(new ApiRequestError('Request failed.', { request: {} as never, error: reset } as never), ctx);
    expect(e).toMatchObject({ kind: 'network', code: 'x_network', retryable: true });
    expect(e.message).toContain('socket hang up');
  });
});
