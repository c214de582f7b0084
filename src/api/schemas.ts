/**
 * Wire shapes of the API (zod: validation, serialisation and the OpenAPI at /docs). Times are ISO
 * 8601 strings in UTC; `to*Dto` turn repository values into these shapes. The response schemas
 * also guard against leaks: a field not listed here is never sent.
 */
import { z } from 'zod';
import type { CaseDetail, CaseNote, CaseSummary, MessageDetail } from '../../db/repository.js';
import { slaStatus, type SlaTargets } from '../cases/sla.js';

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

const slaSchema = z
  .object({
    firstResponseDueAt: isoTime,
    resolutionDueAt: isoTime,
    firstResponseBreached: z.boolean(),
    resolutionBreached: z.boolean(),
    breached: z.boolean(),
  })
  .meta({ id: 'Sla', description: "Deadlines from the first contact by the case's level (an override counts); a deadline met late stays breached." });

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
    assignee: z.string().nullable(),
    tags: z.array(z.string()),
    /** The level an agent set (then `urgency` is this level), or null while the computed level stands. */
    urgencyOverride: z.enum(URGENCY_LEVELS).nullable(),
    firstResponseAt: isoTime.nullable(),
    resolvedAt: isoTime.nullable(),
    sla: slaSchema,
    firstContactAt: isoTime,
    lastContactAt: isoTime,
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .meta({ id: 'CaseSummary' });

export const noteSchema = z.object({ id: z.number().int(), at: isoTime, author: z.string(), body: z.string() }).meta({ id: 'CaseNote' });

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
    notes: z.array(noteSchema),
    /** The surviving case's request number when this one was merged into it. */
    mergedInto: z.string().nullable(),
  })
  .meta({ id: 'CaseDetail' });

export type CaseSummaryDto = z.infer<typeof caseSummarySchema>;
export type CaseDetailDto = z.infer<typeof caseDetailSchema>;

/** What every case shape needs beside the case: the SLA targets and the clock. */
export interface DtoContext {
  sla: SlaTargets;
  now: Date;
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function toCaseSummaryDto(c: CaseSummary, ctx: DtoContext): CaseSummaryDto {
  const sla = slaStatus(c, ctx.sla, ctx.now);
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
    assignee: c.assignee,
    tags: c.tags,
    urgencyOverride: c.urgencyOverride,
    firstResponseAt: iso(c.firstResponseAt),
    resolvedAt: iso(c.resolvedAt),
    sla: {
      firstResponseDueAt: sla.firstResponseDueAt.toISOString(),
      resolutionDueAt: sla.resolutionDueAt.toISOString(),
      firstResponseBreached: sla.firstResponseBreached,
      resolutionBreached: sla.resolutionBreached,
      breached: sla.breached,
    },
    firstContactAt: c.firstContactAt.toISOString(),
    lastContactAt: c.lastContactAt.toISOString(),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

function toMessageDto(m: MessageDetail): CaseDetailDto['messages'][number] {
  return { ...m, facts: m.facts as Record<string, unknown> | null, sentAt: m.sentAt.toISOString() };
}

export function toNoteDto(n: CaseNote): z.infer<typeof noteSchema> {
  return { id: n.id, at: n.at.toISOString(), author: n.author, body: n.body };
}

export function toCaseDetailDto(c: CaseDetail, ctx: DtoContext): CaseDetailDto {
  return {
    ...toCaseSummaryDto(c, ctx),
    notes: c.notes.map(toNoteDto),
    mergedInto: c.mergedIntoNumber,
    references: c.references.map((r) => ({ system: r.system, value: r.value, createdAt: r.createdAt.toISOString() })),
    messages: c.messages.map(toMessageDto),
    events: c.events.map((e) => ({ at: e.at.toISOString(), type: e.type, messageRowId: e.messageRowId, data: e.data })),
  };
}
