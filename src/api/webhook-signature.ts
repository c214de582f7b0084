/**
 * HMAC-SHA256 signatures of webhook requests. The sender signs `<timestamp>.<raw body bytes>` with
 * the shared secret and sends `X-Signature: sha256=<hex>` and `X-Signature-Timestamp: <unix
 * seconds>`. Signing the raw bytes (not re-serialised JSON) means both sides hash the same thing;
 * signing the timestamp with them means a captured request cannot be replayed after the allowed
 * skew (and within it, the idempotency key makes a replay store nothing).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-signature';
export const TIMESTAMP_HEADER = 'x-signature-timestamp';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP = /^\d{1,12}$/;

function hmac(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

/** The X-Signature value for a body (what the sender computes; tests and the README use it). */
export function signWebhook(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `sha256=${hmac(secret, timestamp, rawBody).toString('hex')}`;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function checkWebhookSignature(opts: {
  secret: string;
  signature: string | undefined;
  timestamp: string | undefined;
  rawBody: Buffer;
  now: Date;
  maxSkewSeconds: number;
}): SignatureCheck {
  if (opts.signature === undefined) return { ok: false, reason: `missing ${SIGNATURE_HEADER} header (sha256=<hex HMAC of "<timestamp>.<body>">)` };
  if (opts.timestamp === undefined || !TIMESTAMP.test(opts.timestamp)) {
    return { ok: false, reason: `missing or malformed ${TIMESTAMP_HEADER} header (unix seconds)` };
  }
  const match = SIGNATURE.exec(opts.signature.trim());
  if (!match) return { ok: false, reason: `malformed ${SIGNATURE_HEADER} header: expected sha256=<64 hex digits>` };
  const skew = Math.abs(opts.now.getTime() / 1000 - Number(opts.timestamp));
  if (skew > opts.maxSkewSeconds) {
    return { ok: false, reason: `${TIMESTAMP_HEADER} is ${Math.round(skew)} s away from the server's clock (at most ${opts.maxSkewSeconds} s)` };
  }
  const expected = hmac(opts.secret, opts.timestamp, opts.rawBody);
  const given = Buffer.from(match[1]!, 'hex');
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'signature does not match the body' };
  return { ok: true };
}
