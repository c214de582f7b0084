/**
 * What the website form and the in-app feedback send to POST /api/ingest, and its RawItem. The
 * schema is the contract with the form backend: strict, so a misspelt field is an error naming it
 * rather than a complaint stored without its text.
 */
import { z } from 'zod';
import type { RawItem } from '../types.js';

/** Ids and idempotency keys: printable ASCII without spaces, as they travel in headers too. */
export const webhookKeySchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

const line = (max: number) => z.string().trim().min(1).max(max);

// Keys start with a letter: `__proto__` and friends never reach an object.
const metadataKey = z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,39}$/, 'a letter, then up to 39 letters, digits or _.-');
const MAX_METADATA_KEYS = 20;

export const webhookPayloadSchema = z.strictObject({
  channel: z.enum(['form', 'app']),
  /** The sender's id for the entry; or send it as the Idempotency-Key header. */
  id: webhookKeySchema.optional(),
  author: z
    .strictObject({
      email: z.email().max(254).optional(),
      name: line(200).optional(),
      /** An in-app username or social handle (without @). */
      handle: line(100).optional(),
      /** The customer's account id in the app. */
      customerId: line(100).optional(),
    })
    .refine((a) => a.email !== undefined || a.handle !== undefined || a.customerId !== undefined, {
      message: 'give at least one of email, handle, customerId (who to answer, and how re-sends are recognised)',
    }),
  subject: line(500).optional(),
  text: z.string().refine((t) => t.trim().length > 0, 'must not be empty'),
  /** When the customer sent it (ISO 8601 with offset); default: when it arrived. */
  sentAt: z.iso.datetime({ offset: true }).optional(),
  /** Small context from the sender (app version, page): kept as a note on the message. */
  metadata: z
    .record(metadataKey, z.union([z.string().max(500), z.number(), z.boolean(), z.null()]))
    .refine((m) => Object.keys(m).length <= MAX_METADATA_KEYS, `at most ${MAX_METADATA_KEYS} keys`)
    .optional(),
});

export type WebhookPayload = z.infer<typeof webhookPayloadSchema>;

export interface WebhookItemContext {
  /** The configured source name (dedupe rule 1 is per source and external id). */
  source: string;
  /** The idempotency key: the header's, else the payload's id. */
  externalId: string;
  receivedAt: Date;
}

export function payloadToRawItem(payload: WebhookPayload, ctx: WebhookItemContext): RawItem {
  const a = payload.author;
  const item: RawItem = {
    channel: payload.channel,
    source: ctx.source,
    externalId: ctx.externalId,
    sentAt: payload.sentAt !== undefined ? new Date(payload.sentAt) : ctx.receivedAt,
    author: {
      ...(a.email !== undefined ? { email: a.email.toLowerCase() } : {}),
      ...(a.handle !== undefined ? { handle: a.handle.replace(/^@/, '') } : {}),
      ...(a.customerId !== undefined ? { id: a.customerId } : {}),
      ...(a.name !== undefined ? { name: a.name } : {}),
    },
    text: payload.text,
    attachments: [],
    rawRef: `webhook:${ctx.source}/${payload.channel}/${ctx.externalId}`,
  };
  if (payload.subject !== undefined) item.subject = payload.subject;
  const metadata = Object.entries(payload.metadata ?? {});
  if (metadata.length > 0) {
    item.notes = [`sender metadata: ${metadata.map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join('; ')}`];
  }
  return item;
}
