/**
 * Connector failures, with a stable code for machines, a kind for people (is it my password, the
 * network, or their server?) and whether trying again later can help.
 */
/** `timeout`: the whole run took longer than the scheduler allows (stopped between two transactions). */
export type ConnectorErrorKind = 'auth' | 'network' | 'server' | 'config' | 'rate_limit' | 'timeout';

export class ConnectorError extends Error {
  override name = 'ConnectorError';

  constructor(
    readonly source: string,
    readonly kind: ConnectorErrorKind,
    /** Stable, e.g. imap_auth_failed, imap_network. */
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    if (options?.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }

  /** When the source itself says how long to wait. */
  retryAfterMs?: number;
}
