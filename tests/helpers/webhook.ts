/** Signing webhook requests as a correct sender does (for the ingest tests). */
import { signWebhook } from '../../src/api/webhook-signature.js';

export const WEBHOOK_SECRET = 'test-webhook-secret-0123456789abcdef';

/** Headers for these exact bytes, signed at `now` (unix seconds) unless told otherwise. */
export function signedHeaders(body: string, now: Date, opts: { secret?: string; timestamp?: string; key?: string } = {}): Record<string, string> {
  const timestamp = opts.timestamp ?? String(Math.floor(now.getTime() / 1000));
  return {
    'content-type': 'application/json',
    'x-signature-timestamp': timestamp,
    'x-signature': signWebhook(opts.secret ?? WEBHOOK_SECRET, timestamp, body),
    ...(opts.key !== undefined ? { 'idempotency-key': opts.key } : {}),
  };
}
