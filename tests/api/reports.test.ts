/**
 * GET /api/reports/weekly on the report dataset: roles, formats with their content type and
 * file name, and bad input answered with a 400 naming the field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ApiRole } from '../../db/repository.js';
import { buildApp } from '../../src/api/app.js';
import { createApiToken } from '../../src/api/tokens.js';
import { parseConfig } from '../../src/config/config.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { bearer } from '../helpers/api.js';
import { AS_OF, reportDataset } from '../helpers/report-dataset.js';

let app: FastifyInstance;
const tokens = {} as Record<ApiRole, string>;

beforeAll(async () => {
  const ds = await reportDataset();
  for (const role of ['social', 'desk', 'manager', 'admin'] as const) tokens[role] = (await createApiToken(ds.repository, `${role}-reports`, role)).token;
  const config = parseConfig({ timezone: 'Europe/Amsterdam' });
  app = await buildApp({ repo: ds.repository, pipeline: new Pipeline(config), now: () => AS_OF, config });
  return () => app.close();
});

const get = (url: string, role: ApiRole | null = 'manager') => app.inject({ method: 'GET', url, headers: role ? bearer(tokens[role]) : {} });

describe('GET /api/reports/weekly', () => {
  it('managers and admins get the JSON report in the configured zone; social and desk get 403, no token 401', async () => {
    const r = await get('/api/reports/weekly?week=2026-W43');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.headers['content-disposition']).toBe('inline; filename="complaints-2026-W43.json"');
    const body = r.json();
    expect(body.period).toMatchObject({ label: '2026-W43', timeZone: 'Europe/Amsterdam', end: '2026-10-25T23:00:00.000Z' });
    expect(body.summary).toMatchObject({ newCases: 5, messages: 9, slaBreaches: 4 });
    expect(body.generatedAt).toBe(AS_OF.toISOString());
    expect((await get('/api/reports/weekly?week=2026-W43', 'admin')).statusCode).toBe(200);
    for (const role of ['social', 'desk'] as const) {
      const denied = await get('/api/reports/weekly?week=2026-W43', role);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().error.code).toBe('forbidden');
    }
    expect((await get('/api/reports/weekly?week=2026-W43', null)).statusCode).toBe(401);
  });

  it('tz overrides the zone; no week means the last complete week at the clock', async () => {
    const jakarta = (await get('/api/reports/weekly?week=2026-W43&tz=Asia/Jakarta')).json();
    expect(jakarta.summary).toMatchObject({ newCases: 4, messages: 7 });
    // The clock is Monday 2026-11-02 01:00 in Amsterdam: last week is W44.
    expect((await get('/api/reports/weekly')).json().period.label).toBe('2026-W44');
    const range = (await get('/api/reports/weekly?from=2026-10-25&to=2026-10-25')).json();
    expect(range.period).toMatchObject({ kind: 'range', label: '2026-10-25..2026-10-25' });
    expect(range.summary).toMatchObject({ newCases: 3, messages: 4 });
  });

  it('csv (one table), xlsx and html with their content types and file names', async () => {
    const csv = await get('/api/reports/weekly?week=2026-W43&format=csv&table=sla_breaches');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="complaints-2026-W43-sla_breaches.csv"');
    expect(csv.body.startsWith('\uFEFFRequest number,Channel,')).toBe(true);
    expect(csv.body.split('\r\n')).toHaveLength(6); // header, four breaches, final line end

    const xlsx = await get('/api/reports/weekly?week=2026-W43&format=xlsx');
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['content-disposition']).toBe('attachment; filename="complaints-2026-W43.xlsx"');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');

    const html = await get('/api/reports/weekly?week=2026-W43&format=html');
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.body).toContain('<svg class="chart"');
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: [string, RegExp][] = [
      ['week=2026-47', /querystring field "week": "2026-47" is not an ISO week/],
      ['week=2027-W53', /querystring field "week": 2027 has ISO weeks 01 to 52/],
      ['week=2026-W43&tz=Mars/Olympus', /querystring field "tz"/],
      ['from=2026-10-19', /querystring field "to"/],
      ['from=2026-10-19&to=2026-10-01', /querystring field "to"/],
      ['from=2026-13-01&to=2026-13-02', /querystring field "from"/],
      ['week=2026-W43&from=2026-10-19&to=2026-10-20', /querystring field "week": give either a week or a from\/to range/],
      ['week=2026-W43&format=pdf', /querystring field "format"/],
      ['week=2026-W43&format=csv', /querystring field "table": required with format=csv/],
      ['week=2026-W43&table=themes', /querystring field "table": only with format=csv/],
      ['week=2026-W43&weak=1', /"weak": not a known field/],
    ];
    for (const [query, message] of cases) {
      const r = await get(`/api/reports/weekly?${query}`);
      expect(r.statusCode, query).toBe(400);
      expect(r.json().error.code).toBe('invalid_request');
      expect(r.json().error.message, query).toMatch(message);
    }
  });
});
