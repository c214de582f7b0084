/**
 * GET /api/reports/weekly: the managers' report in JSON, CSV (one table), XLSX or HTML. Managers
 * and admins only. The period is an ISO week or a from/to range of local dates in the team's
 * zone (or `tz`); without either, the last complete week.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Repository } from '../../../db/repository.js';
import type { SlaTargets } from '../../cases/sla.js';
import { generateWeeklyReport, renderReport, REPORT_FORMATS, REPORT_TABLE_NAMES, resolvePeriod } from '../../reports/generate.js';
import { assertTimeZone, PeriodError } from '../../reports/week.js';
import { ApiError, errorBodySchema } from '../errors.js';

export interface ReportsRoutesOptions {
  repo: Repository;
  timeZone: string;
  sla: SlaTargets;
  now: () => Date;
}

const errors = { 400: errorBodySchema, 401: errorBodySchema, 403: errorBodySchema };

export const reportsRoutes: FastifyPluginAsyncZod<ReportsRoutesOptions> = async (app, { repo, timeZone, sla, now }) => {
  app.get(
    '/reports/weekly',
    {
      config: { roles: ['manager', 'admin'] },
      schema: {
        summary: 'The weekly report (JSON, CSV table, XLSX or HTML)',
        description:
          'Figures for an ISO week (`week=2026-W47`) or local dates `from`..`to` (both included), with day and week boundaries in the team\'s time zone (or `tz`). ' +
          'JSON is the source of truth; `format=csv` needs `table` (one CSV per table); `xlsx` has one sheet per table; `html` is one self-contained page with charts.',
        tags: ['reports'],
        security: [{ bearer: [] }],
        querystring: z.strictObject({
          week: z.string().max(16).optional().describe('ISO week, e.g. 2026-W47'),
          from: z.string().max(16).optional().describe('first local date, YYYY-MM-DD'),
          to: z.string().max(16).optional().describe('last local date (included), YYYY-MM-DD'),
          tz: z.string().max(64).optional().describe('IANA time zone for day boundaries (default: the configured one)'),
          format: z.enum(REPORT_FORMATS).default('json'),
          table: z.enum(REPORT_TABLE_NAMES).optional().describe('the table, with format=csv'),
        }),
        response: { 200: z.string().describe('The report, in the content type of the format asked'), ...errors },
      },
    },
    async (request, reply) => {
      const q = request.query;
      if (q.format === 'csv' && q.table === undefined) {
        throw new ApiError(400, 'invalid_request', `querystring field "table": required with format=csv (one table per file): one of ${REPORT_TABLE_NAMES.join(', ')}`);
      }
      if (q.table !== undefined && q.format !== 'csv') throw new ApiError(400, 'invalid_request', 'querystring field "table": only with format=csv');
      const at = now();
      let period;
      try {
        if (q.tz !== undefined) assertTimeZone(q.tz);
        period = resolvePeriod({ week: q.week, from: q.from, to: q.to, timeZone: q.tz ?? timeZone }, at);
      } catch (err) {
        if (err instanceof PeriodError) throw new ApiError(400, 'invalid_request', `querystring field "${err.field}": ${err.message}`);
        throw err;
      }
      const report = await generateWeeklyReport(repo, period, sla, at);
      const [file] = await renderReport(report, q.format, q.table);
      if (!file) throw new Error(`rendering ${q.format} gave no file`);
      const disposition = q.format === 'csv' || q.format === 'xlsx' ? 'attachment' : 'inline';
      // Strings and buffers go out as they are (Fastify serializes only objects); the 200 schema
      // documents the body, whose bytes are xlsx for format=xlsx.
      return reply.type(file.contentType).header('content-disposition', `${disposition}; filename="${file.name}"`).send(file.body as string);
    },
  );
};
