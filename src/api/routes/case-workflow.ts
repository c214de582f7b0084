/**
 * The team's changes to cases: PATCH (status, assignee, tags, urgency override), notes, merge and
 * split. Desk changes email cases, social X cases, admin all; a manager reads only (403). Every
 * change is one transaction in the repository with its audited events (`data.by` = token name).
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiRole, CaseRefusal, CaseWriteOutcome, Repository } from '../../../db/repository.js';
import { caseWorkflowDecider } from '../../cases/roll-up.js';
import type { SlaTargets } from '../../cases/sla.js';
import { planCaseChange, planNote, refuseMerge, refuseWrite, type Actor } from '../../cases/workflow.js';
import type { Pipeline } from '../../pipeline/pipeline.js';
import { canSeeChannel, principalOf } from '../auth.js';
import { ApiError, errorBodySchema } from '../errors.js';
import { CASE_STATUSES, caseDetailSchema, noteSchema, toCaseDetailDto, toNoteDto, URGENCY_LEVELS } from '../schemas.js';

export const MAX_TAGS = 20;
export const MAX_TAG_CHARS = 50;
export const MAX_NOTE_CHARS = 10_000;
export const MAX_REASON_CHARS = 500;

export interface CaseWorkflowRoutesOptions {
  repo: Repository;
  pipeline: Pipeline;
  sla: SlaTargets;
  now: () => Date;
}

/** Managers read; they change nothing. */
const WRITERS: readonly ApiRole[] = ['social', 'desk', 'admin'];

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

const requestNumber = z.string().trim().min(1).max(100);
const noControl = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
const tag = z.string().trim().min(1).max(MAX_TAG_CHARS).refine(noControl, 'no control characters');

const patchBody = z
  .strictObject({
    status: z.enum(CASE_STATUSES).optional(),
    assignee: z.string().trim().min(1).max(100).refine(noControl, 'no control characters').nullable().optional(),
    tags: z.array(tag).max(MAX_TAGS).optional(),
    urgencyOverride: z
      .strictObject({ level: z.enum(URGENCY_LEVELS), reason: z.string().trim().min(1).max(MAX_REASON_CHARS) })
      .nullable()
      .optional()
      .describe('null clears the override: the computed level comes back'),
  })
  .refine((b) => Object.keys(b).length > 0, 'names nothing to change (status, assignee, tags, urgencyOverride)');

const STATUS_OF: Record<CaseRefusal['refused'], { status: number; code: 'forbidden' | 'conflict' | 'not_found' }> = {
  forbidden: { status: 403, code: 'forbidden' },
  conflict: { status: 409, code: 'conflict' },
  not_found: { status: 404, code: 'not_found' },
};

function unwrap<T>(outcome: CaseWriteOutcome<T>): T {
  if ('ok' in outcome) return outcome.ok;
  const { status, code } = STATUS_OF[outcome.refused];
  throw new ApiError(status, code, outcome.message);
}

export const caseWorkflowRoutes: FastifyPluginAsyncZod<CaseWorkflowRoutesOptions> = async (app, { repo, pipeline, sla, now }) => {
  const workflow = caseWorkflowDecider(pipeline, now);
  const actorOf = (name: string, role: ApiRole): Actor => ({ name, mayChange: (channel) => canSeeChannel(role, channel) });
  /** The number as typed, else as the pipeline reads a loosely typed one ("req 2026 4"). */
  const withNumber = async <T>(wanted: string, write: (n: string) => Promise<CaseWriteOutcome<T>>): Promise<T> => {
    const first = await write(wanted);
    const canonical = pipeline.references.recognise(wanted)[0]?.value;
    if ('refused' in first && first.refused === 'not_found' && canonical !== undefined && canonical !== wanted) return unwrap(await write(canonical));
    return unwrap(first);
  };

  app.patch(
    '/cases/:requestNumber',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Change status, assignee, tags or the urgency override',
        description:
          'Status moves: new -> open/waiting/resolved/closed; open -> waiting/resolved/closed; waiting -> open/resolved/closed; resolved -> open/closed; closed -> open (409 otherwise). ' +
          'The first move away from new is the first response; resolved/closed sets resolvedAt, re-opening clears it. Each change writes an audited event.',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: z.object({ requestNumber }),
        body: patchBody,
        response: { 200: caseDetailSchema, ...errors },
      },
    },
    async (request) => {
      const { name, role } = principalOf(request);
      const actor = actorOf(name, role);
      const at = now();
      const updated = await withNumber(request.params.requestNumber, (n) =>
        repo.changeCase(n, (current) => planCaseChange(current, request.body, actor, at), workflow),
      );
      return toCaseDetailDto(updated, { sla, now: now() });
    },
  );

  app.post(
    '/cases/:requestNumber/notes',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Add a note (internal; the first note is the first response)',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: z.object({ requestNumber }),
        body: z.strictObject({ body: z.string().trim().min(1).max(MAX_NOTE_CHARS) }),
        response: { 201: noteSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { name, role } = principalOf(request);
      const actor = actorOf(name, role);
      const note = await withNumber(request.params.requestNumber, (n) =>
        repo.addNote(n, { author: name, body: request.body.body }, (current) => planNote(current, actor, now()), workflow),
      );
      return reply.status(201).send(toNoteDto(note));
    },
  );

  app.post(
    '/cases/:requestNumber/merge',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Merge this case into another',
        description:
          "Messages, references (this case's number then leads to the surviving case), notes and events move; the surviving case's contacts, first/last contact, urgency and category are rolled up again; this case is closed with mergedInto set. 409: into itself, or either case already merged away.",
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: z.object({ requestNumber }),
        body: z.strictObject({ into: requestNumber }),
        response: { 200: caseDetailSchema, ...errors },
      },
    },
    async (request) => {
      const { name, role } = principalOf(request);
      const actor = actorOf(name, role);
      const canonical = (n: string) => pipeline.references.recognise(n)[0]?.value ?? n;
      const merge = (from: string, into: string) => repo.mergeCases(from, into, (f, i) => refuseMerge(f, i, actor), name, workflow);
      let outcome = await merge(request.params.requestNumber, request.body.into);
      if ('refused' in outcome && outcome.refused === 'not_found') outcome = await merge(canonical(request.params.requestNumber), canonical(request.body.into));
      return toCaseDetailDto(unwrap(outcome), { sla, now: now() });
    },
  );

  app.post(
    '/cases/:requestNumber/messages/:messageId/split',
    {
      config: { roles: WRITERS },
      schema: {
        summary: 'Move one message out into a new case (a newly issued request number)',
        description: 'Answers the new case (201). 409 when the message is the only one of its case.',
        tags: ['cases'],
        security: [{ bearer: [] }],
        params: z.object({ requestNumber, messageId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
        response: { 201: caseDetailSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { name, role } = principalOf(request);
      const actor = actorOf(name, role);
      const created = await withNumber(request.params.requestNumber, (n) =>
        repo.splitMessage(n, request.params.messageId, (current) => refuseWrite(current, actor), name, workflow),
      );
      return reply.status(201).send(toCaseDetailDto(created, { sla, now: now() }));
    },
  );
};
