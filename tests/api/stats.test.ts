/**
 * GET /api/stats through `inject` on the bundled samples: the counts agree with the cases as the
 * repository lists them, the SLA breaches with src/cases/sla.ts at several clock times, and each
 * role sees only its channels.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CaseSummary } from '../../db/repository.js';
import { slaStatus } from '../../src/cases/sla.js';
import { parseConfig } from '../../src/config/config.js';
import { startOfLocalDay } from '../../src/pipeline/facts/zone.js';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';

const config = parseConfig({});
const OPEN = new Set(['new', 'open', 'waiting']);

describe('GET /api/stats', () => {
  let f: ApiFixture;
  let clock = new Date();
  let cases: CaseSummary[];
  beforeAll(async () => {
    f = await sampleApi({ config, now: () => clock });
    cases = await f.ctx.repo.listCases({ limit: 100_000 });
  });
  const stats = async (token: string) => {
    const r = await f.app.inject({ url: '/api/stats', headers: bearer(token) });
    expect(r.statusCode).toBe(200);
    return r.json();
  };
  const open = (channels?: string[]) => cases.filter((c) => OPEN.has(c.status) && c.mergedInto === null && (!channels || channels.includes(c.channel)));

  it('open cases by urgency and by channel match the case list; every role may ask', async () => {
    clock = new Date();
    const s = await stats(f.tokens.manager);
    const expected = open();
    expect(s.open.total).toBe(expected.length);
    for (const level of ['critical', 'high', 'normal', 'low']) expect(s.open.byUrgency[level], level).toBe(expected.filter((c) => c.urgency === level).length);
    expect(s.open.byChannel).toEqual({ email: expected.filter((c) => c.channel === 'email').length, x: expected.filter((c) => c.channel === 'x').length, form: 0, app: expected.filter((c) => c.channel === 'app').length });
    expect(s).toMatchObject({ timezone: 'Asia/Jakarta', at: clock.toISOString(), connectorsFailing: 0 });
    expect((await stats(f.tokens.admin)).open.total).toBe(expected.length);
  });

  it('desk and social see only their channels', async () => {
    const desk = await stats(f.tokens.desk);
    expect(Object.keys(desk.open.byChannel)).toEqual(['email']);
    expect(desk.open.total).toBe(open(['email']).length);
    const social = await stats(f.tokens.social);
    expect(Object.keys(social.open.byChannel)).toEqual(['x']);
    expect(social.open.total).toBe(open(['x']).length);
    expect(social.open.total + desk.open.total).toBeLessThan((await stats(f.tokens.manager)).open.total);
  });

  it('SLA breaches agree with slaStatus at several times', async () => {
    const first = Math.min(...cases.map((c) => c.firstContactAt.getTime()));
    const seen = new Set<number>();
    for (const offsetMs of [30 * 60_000, 3 * 3_600_000, 2 * 86_400_000, 6 * 86_400_000, 60 * 86_400_000]) {
      clock = new Date(first + offsetMs);
      const expected = open().filter((c) => slaStatus(c, config.sla, clock).breached).length;
      expect((await stats(f.tokens.manager)).slaBreached, `at first contact + ${offsetMs} ms`).toBe(expected);
      expect((await stats(f.tokens.desk)).slaBreached).toBe(open(['email']).filter((c) => slaStatus(c, config.sla, clock).breached).length);
      seen.add(expected);
    }
    expect(seen.size).toBeGreaterThan(2);
  });

  it('new today counts from midnight in the configured time zone', async () => {
    clock = new Date();
    const since = startOfLocalDay(clock, config.timezone).getTime();
    const expected = cases.filter((c) => c.createdAt.getTime() >= since).length;
    expect(expected).toBeGreaterThan(0);
    expect((await stats(f.tokens.manager)).newToday).toBe(expected);
    clock = new Date(Date.now() + 86_400_000);
    expect((await stats(f.tokens.manager)).newToday).toBe(0);
  });

  it('counts failing connectors', async () => {
    const at = new Date();
    await f.ctx.repo.recordConnectorRun({ source: 'imap-a', startedAt: at, finishedAt: at, items: 0, error: { kind: 'auth', code: 'AUTH', message: 'bad password' } });
    await f.ctx.repo.recordConnectorRun({ source: 'imap-b', startedAt: at, finishedAt: at, items: 3, error: null });
    expect((await stats(f.tokens.desk)).connectorsFailing).toBe(1);
  });

  it('401 without a token; 400 for an unknown query field', async () => {
    expect((await f.app.inject({ url: '/api/stats' })).statusCode).toBe(401);
    const r = await f.app.inject({ url: '/api/stats?channel=email', headers: bearer(f.tokens.manager) });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('"channel"');
  });
});
