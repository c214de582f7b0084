/** Turns what imapflow and the socket throw into a ConnectorError: auth vs network vs server. */
import { ConnectorError } from '../errors.js';
import { ImapConfigError } from './imap.config.js';

interface ImapLikeError extends Error {
  code?: string;
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  responseStatus?: string;
  responseText?: string;
  serverResponseCode?: string;
  mailboxMissing?: boolean;
  path?: string;
  throttleReset?: number;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'CONNECT_TIMEOUT',
  'GREETING_TIMEOUT',
  'UPGRADE_TIMEOUT',
  'ETIMEOUT',
  'NoConnection',
  'EConnectionClosed',
  'ClosedAfterConnectText',
  'ClosedAfterConnectTLS',
]);

export function classifyImapError(err: unknown, source: string, where: string): ConnectorError {
  if (err instanceof ConnectorError) return err;
  const e = (err instanceof Error ? err : new Error(String(err))) as ImapLikeError;
  const said = e.responseText ? ` (server said: ${e.responseText})` : '';
  if (err instanceof ImapConfigError) return new ConnectorError(source, 'config', 'imap_config', err.message, false, { cause: err });
  if (e.authenticationFailed || e.serverResponseCode === 'AUTHENTICATIONFAILED' || e.serverResponseCode === 'AUTHORIZATIONFAILED') {
    return new ConnectorError(source, 'auth', 'imap_auth_failed', `${source}: authentication failed${said}; check the user and password or token`, false, {
      cause: err,
    });
  }
  if (e.tlsFailed) {
    return new ConnectorError(source, 'config', 'imap_tls_failed', `${source}: TLS failed while ${where}: ${e.message}; check "secure" and the port`, false, {
      cause: err,
    });
  }
  if (e.mailboxMissing) {
    return new ConnectorError(source, 'config', 'imap_folder_missing', `${source}: folder "${e.path ?? '?'}" does not exist${said}`, false, { cause: err });
  }
  if (e.code === 'ETHROTTLE') {
    return new ConnectorError(source, 'rate_limit', 'imap_throttled', `${source}: the server throttled us while ${where}${said}`, true, {
      cause: err,
      ...(e.throttleReset !== undefined ? { retryAfterMs: e.throttleReset } : {}),
    });
  }
  if (e.code && NETWORK_CODES.has(e.code)) {
    return new ConnectorError(source, 'network', 'imap_network', `${source}: connection problem while ${where}: ${e.code} ${e.message}`, true, { cause: err });
  }
  return new ConnectorError(source, 'server', 'imap_server', `${source}: the server failed while ${where}: ${e.message}${said}`, true, { cause: err });
}
