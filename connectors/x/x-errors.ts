/**
 * Turns what twitter-api-v2 throws into a ConnectorError: a wrong token, an app without API access,
 * a 15-minute window used up, the monthly cap, their server, the network. The shapes are the ones
 * X really sends (tests/fixtures/x/SOURCES.md: ERROR_SHAPES_AND_HEADERS).
 */
import { ApiPartialResponseError, ApiRequestError, ApiResponseError } from 'twitter-api-v2';
import { ConnectorError } from '../errors.js';
import { XConfigError } from './x.config.js';
import { XCursorError } from './x-cursor.js';
import { XPageError } from './x-page.js';

/** X's clock and ours differ a little; come back this much after the announced reset. */
export const RESET_MARGIN_MS = 1_000;
/** A 429 without a reset header: the length of X's rate-limit window. */
const DEFAULT_WINDOW_MS = 15 * 60_000;

export interface XErrorContext {
  source: string;
  /** What we were doing: "reading mentions of 123 (page 2)". */
  where: string;
  now: Date;
  bearerTokenEnv: string;
  usageCapRetryMs: number;
}

interface ProblemBody {
  title?: unknown;
  detail?: unknown;
  type?: unknown;
  reason?: unknown;
  errors?: unknown;
}

export function classifyXError(err: unknown, ctx: XErrorContext): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const { source, where } = ctx;
  if (err instanceof XConfigError) return new ConnectorError(source, 'config', 'x_config', err.message, false, { cause: err });
  if (err instanceof XCursorError) {
    return new ConnectorError(source, 'config', 'x_cursor_invalid', `${source}: ${err.message}; delete it to start over`, false, { cause: err });
  }
  if (err instanceof XPageError) {
    return new ConnectorError(source, 'server', 'x_invalid_response', `${source}: ${where}: ${err.message}`, true, { cause: err });
  }
  if (err instanceof ApiPartialResponseError) {
    const what = err.responseError instanceof SyntaxError ? `the response is not valid JSON (${err.responseError.message})` : err.message;
    return new ConnectorError(source, 'server', 'x_invalid_response', `${source}: ${where}: ${what}`, true, { cause: err });
  }
  if (err instanceof ApiRequestError) {
    // twitter-api-v2 1.29.1 stores the socket error as options.error while its requestError getter
    // reads options.requestError (always undefined): read both.
    const cause = err.requestError ?? (err as unknown as { _options?: { error?: Error } })._options?.error;
    const timedOut = /timeout/i.test(cause?.message ?? '');
    return new ConnectorError(source, 'network', timedOut ? 'x_timeout' : 'x_network', `${source}: ${where}: ${timedOut ? 'no answer in time' : 'connection problem'}: ${cause?.message ?? err.message}`, true, {
      cause: err,
    });
  }
  if (err instanceof ApiResponseError) return classifyResponse(err, ctx);
  const message = err instanceof Error ? err.message : String(err);
  return new ConnectorError(source, 'server', 'x_unexpected', `${source}: ${where}: ${message}`, true, { cause: err });
}

function classifyResponse(err: ApiResponseError, ctx: XErrorContext): ConnectorError {
  const { source, where } = ctx;
  const body = (typeof err.data === 'object' && err.data !== null ? err.data : {}) as ProblemBody;
  const said = describeProblem(body);
  const status = err.code;
  if (status === 429) {
    if (body.title === 'UsageCapExceeded' || String(body.type ?? '').endsWith('/usage-capped')) {
      const at = new Date(ctx.now.getTime() + ctx.usageCapRetryMs);
      return new ConnectorError(
        source,
        'rate_limit',
        'x_usage_cap',
        `${source}: the app's monthly usage cap is reached (${said}); not asking again before ${at.toISOString()}: raise the plan or wait for the next billing period`,
        false,
        { cause: err, retryAfterMs: ctx.usageCapRetryMs },
      );
    }
    const resetMs = err.rateLimit?.reset ? err.rateLimit.reset * 1000 : ctx.now.getTime() + DEFAULT_WINDOW_MS;
    const waitMs = Math.max(0, resetMs - ctx.now.getTime()) + RESET_MARGIN_MS;
    return new ConnectorError(source, 'rate_limit', 'x_rate_limited', `${source}: ${where}: rate limited (429) until ${new Date(resetMs).toISOString()}`, true, {
      cause: err,
      retryAfterMs: waitMs,
    });
  }
  if (status === 401) {
    return new ConnectorError(source, 'auth', 'x_unauthorized', `${source}: X refused the bearer token (401 ${said}); check ${ctx.bearerTokenEnv}`, false, { cause: err });
  }
  if (status === 403) {
    const notEnrolled = body.reason === 'client-not-enrolled';
    return new ConnectorError(
      source,
      'config',
      notEnrolled ? 'x_client_not_enrolled' : 'x_forbidden',
      notEnrolled
        ? `${source}: the X app has no access to this endpoint (403 client-not-enrolled): attach it to a Project with the right access level in the developer portal (${said})`
        : `${source}: ${where}: forbidden (403 ${said})`,
      false,
      { cause: err },
    );
  }
  if (status >= 500) {
    return new ConnectorError(source, 'server', 'x_server_error', `${source}: ${where}: X answered ${status} (${said})`, true, { cause: err });
  }
  if (status === 400 && rejectsCursor(body)) {
    // The stored position is outside what X serves (search/recent keeps 7 days): the poller was
    // off too long. Only a person should decide to start again from what X still has.
    return new ConnectorError(
      source,
      'config',
      'x_cursor_rejected',
      `${source}: ${where}: X rejected the stored since_id/until_id (400 ${said}); to read from what X still serves, delete this source's cursor (connector_cursors, source "${source}")`,
      false,
      { cause: err },
    );
  }
  // 400 (a query X rejects, an id it does not know), 404: the configuration must change.
  return new ConnectorError(source, 'config', 'x_request_rejected', `${source}: ${where}: X rejected the request (${status} ${said})`, false, { cause: err });
}

function describeProblem(body: ProblemBody): string {
  const parts: string[] = [];
  if (typeof body.title === 'string') parts.push(body.title);
  if (typeof body.detail === 'string' && body.detail !== body.title) parts.push(body.detail);
  if (Array.isArray(body.errors)) {
    for (const e of body.errors.slice(0, 3) as { message?: unknown; code?: unknown }[]) {
      if (typeof e?.message === 'string') parts.push(e.code !== undefined ? `${e.message} (code ${String(e.code)})` : e.message);
    }
  }
  return parts.length > 0 ? parts.join(': ') : 'no details';
}

/** A 400 whose invalid parameters (InvalidRequestProblem errors[].parameters) are the cursor's. */
function rejectsCursor(body: ProblemBody): boolean {
  if (!Array.isArray(body.errors)) return false;
  return (body.errors as { parameters?: unknown }[]).some(
    (e) => typeof e?.parameters === 'object' && e.parameters !== null && ('since_id' in e.parameters || 'until_id' in e.parameters),
  );
}
