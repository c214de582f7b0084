/**
 * Wire shapes of the API (zod: validation, serialisation and the OpenAPI at /docs). Times are ISO
 * 8601 strings in UTC; `to*Dto` turn repository values into these shapes. The response schemas
 * also guard against leaks: a field not listed here is never sent.
 */
import { z } from 'zod';
import type { CaseDetail, CaseSummary, MessageDetail } from '../../db/repository.js';

export const URGENCY_LEVELS = ['critical', 'high', 'normal', 'low'] as const;
export const CASE_STATUSES = ['new', 'open', 'waiting', 'resolved', 'closed'] as const;
export const CHANNELS = ['email', 'x', 'form', 'app'] as const;

const isoTime = z.iso.datetime();
const jsonObject = z.record(z.string(), z.unknown());

export const reasonSchema = z.object({
  code: z.string(),
  points: z.number(),
  text: z.string(),
  evidence: z.string().optional(),
});

export const caseSummarySchema = z
  .object({
    id: z.number().int(),
    requestNumber: z.string(),
    status: z.enum(CASE_STATUSES),
    channel: z.string(),
    source: z.string(),
    subject: z.string().nullable(),
    customerKey: z.string(),
    customerName: z.string().nullable(),
    urgency: z.enum(URGENCY_LEVELS),
    urgencyScore: z.number(),
    urgencyReasons: z.array(reasonSchema),
    category: z.string().nullable(),
    facts: jsonObject.nullable(),
    contactCount: z.number().int(),
    firstContactAt: isoTime,
    lastContactAt: isoTime,
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'CaseSummary' });

const categorySchema = z.object({
  primary: z.string(),
  confidence: z.number(),
  labels: z.array(z.object({ category: z.string(), label: z.string(), score: z.number(), evidence: z.array(z.string()) })),
});

const messageSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  externalId: z.string(),
  channel: z.string(),
  kind: z.string(),
  joinReason: z.string().nullable(),
  joinDetail: z.string().nullable(),
  authorKey: z.string(),
  authorName: z.string().nullable(),
  authorFollowers: z.number().nullable(),
  subject: z.string().nullable(),
  body: z.string(),
  sentAt: isoTime,
  urgency: z.object({ level: z.enum(URGENCY_LEVELS), score: z.number(), reasons: z.array(reasonSchema) }).nullable(),
  category: categorySchema.nullable(),
  facts: jsonObject.nullable(),
  requestNumbers: z.array(z.object({ system: z.string(), value: z.string() })),
  redactions: z.record(z.string(), z.number()),
  notes: z.array(z.string()),
  url: z.string().nullable(),
  rawRef: z.string(),
  attachments: z.array(z.object({ name: z.string().nullable(), contentType: z.string(), size: z.number(), sha256: z.string().nullable() })),
});

export const caseDetailSchema = caseSummarySchema
  .extend({
    references: z.array(z.object({ system: z.string(), value: z.string(), createdAt: isoTime })),
    messages: z.array(messageSchema),
    events: z.array(z.object({ at: isoTime, type: z.string(), messageRowId: z.number().int().nullable(), data: jsonObject.nullable() })),
  })
  .meta({ id: 'CaseDetail' });

export type CaseSummaryDto = z.infer<typeof caseSummarySchema>;
export type CaseDetailDto = z.infer<typeof caseDetailSchema>;

export function toCaseSummaryDto(c: CaseSummary): CaseSummaryDto {
  return {
    id: c.id,
    requestNumber: c.requestNumber,
    status: c.status,
    channel: c.channel,
    source: c.source,
    subject: c.subject,
    customerKey: c.customerKey,
    customerName: c.customerName,
    urgency: c.urgency,
    urgencyScore: c.urgencyScore,
    urgencyReasons: c.urgencyReasons,
    category: c.category,
    facts: c.facts as Record<string, unknown> | null,
    contactCount: c.contactCount,
    firstContactAt: c.firstContactAt.toISOString(),
    lastContactAt: c.lastContactAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

function toMessageDto(m: MessageDetail): CaseDetailDto['messages'][number] {
  return { ...m, facts: m.facts as Record<string, unknown> | null, sentAt: m.sentAt.toISOString() };
}

export function toCaseDetailDto(c: CaseDetail): CaseDetailDto {
  return {
    ...toCaseSummaryDto(c),
    references: c.references.map((r) => ({ system: r.system, value: r.value, createdAt: r.createdAt.toISOString() })),
    messages: c.messages.map(toMessageDto),
    events: c.events.map((e) => ({ at: e.at.toISOString(), type: e.type, messageRowId: e.messageRowId, data: e.data })),
  };
}
