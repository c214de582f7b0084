/**
 * GET /api/mentions through `inject` on the bundled samples: the social feed's two orders, its
 * filters, keyset pages that neither skip nor repeat, amplification counts, and who may read it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ingestOne } from '../../src/pipeline/ingest.js';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';
import { xPost } from '../helpers/raw-items.js';

interface MentionDto {
  id: number;
  externalId: string;
  author: { handle: string | null; name: string | null; followers: number | null };
  url: string | null;
  text: string;
  lang: string | null;
  sentAt: string;
  urgency: { level: string; score: number } | null;
  case: { requestNumber: string; urgency: string; urgencyScore: number; urgencyReasons: unknown[]; lastContactAt: string; amplifications: number };
}

describe('GET /api/mentions', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await sampleApi();
  });
  const get = (query: string, token = f.tokens.social) => f.app.inject({ url: `/api/mentions${query}`, headers: bearer(token) });
  const all = async (query: string): Promise<MentionDto[]> => {
    const r = await get(`?limit=200${query}`);
    expect(r.statusCode).toBe(200);
    expect(r.json().nextCursor).toBeNull();
    return r.json().mentions;
  };
  const pages = async (query: string, limit: number): Promise<MentionDto[]> => {
    const out: MentionDto[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 200; i++) {
      const r = await get(`?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(r.statusCode).toBe(200);
      out.push(...r.json().mentions);
      cursor = r.json().nextCursor;
      if (!cursor) return out;
    }
    throw new Error('paging did not end');
  };

  it('social, manager and admin read it; desk gets 403; no token 401', async () => {
    for (const role of ['social', 'manager', 'admin'] as const) expect((await get('', f.tokens[role])).statusCode, role).toBe(200);
    const desk = await get('', f.tokens.desk);
    expect(desk.statusCode).toBe(403);
    expect(desk.json().error.code).toBe('forbidden');
    expect((await f.app.inject({ url: '/api/mentions' })).statusCode).toBe(401);
  });

  it('holds every X post of the X cases, with author, reach, link, language and case', async () => {
    const feed = await all('');
    const xCases = await f.ctx.repo.listCases({ channels: ['x'], limit: 10_000 });
    const expected = new Set<string>();
    for (const c of xCases) for (const m of (await f.ctx.repo.getCase(c.requestNumber))!.messages) if (m.channel === 'x') expected.add(m.externalId);
    expect(expected.size).toBeGreaterThan(30);
    expect(new Set(feed.map((m) => m.externalId))).toEqual(expected);
    expect(feed).toHaveLength(expected.size);
    const big = feed.find((m) => m.author.followers === 210_000)!;
    expect(big).toMatchObject({ author: { handle: expect.any(String), name: expect.any(String) }, url: expect.stringContaining('https://x.com/'), lang: expect.any(String) });
    expect(big.case.urgencyReasons.length).toBeGreaterThan(0);
    expect(big.urgency?.level).toBeDefined();
  });

  it('urgent: by case score, then the case with the newest post; a case\'s posts together, newest first', async () => {
    const feed = await all('&sort=urgent');
    expect(feed[0]!.case.urgencyScore).toBe(Math.max(...feed.map((m) => m.case.urgencyScore)));
    for (let i = 1; i < feed.length; i++) {
      const [a, b] = [feed[i - 1]!, feed[i]!];
      const key = (m: MentionDto) => [m.case.urgencyScore, Date.parse(m.case.lastContactAt)];
      const [ka, kb] = [key(a), key(b)];
      expect(ka[0]! > kb[0]! || (ka[0] === kb[0] && ka[1]! >= kb[1]!), `${i}`).toBe(true);
      if (a.case.requestNumber === b.case.requestNumber) expect(Date.parse(a.sentAt)).toBeGreaterThanOrEqual(Date.parse(b.sentAt));
    }
    const seen = new Set<string>();
    feed.forEach((m, i) => {
      if (i > 0 && feed[i - 1]!.case.requestNumber === m.case.requestNumber) return;
      expect(seen.has(m.case.requestNumber), `case ${m.case.requestNumber} appears in two places`).toBe(false);
      seen.add(m.case.requestNumber);
    });
  });

  it('newest: by post time', async () => {
    const times = (await all('&sort=newest')).map((m) => Date.parse(m.sentAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('the samples have cases with several posts (so pages end inside a case)', async () => {
    const perCase = new Map<string, number>();
    for (const m of await all('')) perCase.set(m.case.requestNumber, (perCase.get(m.case.requestNumber) ?? 0) + 1);
    expect(Math.max(...perCase.values())).toBeGreaterThan(1);
  });

  it.each([
    ['&sort=urgent', 1],
    ['&sort=urgent', 4],
    ['&sort=newest', 1],
    ['&sort=newest', 4],
    ['&sort=urgent&minFollowers=300', 2],
    ['&sort=newest&urgency=normal', 3],
  ])('pages (%s, %i a page) add up to the whole feed: nothing skipped, nothing twice', async (query, size) => {
    const whole = await all(query);
    const paged = await pages(query, size);
    expect(paged.map((m) => m.id)).toEqual(whole.map((m) => m.id));
  });

  it('filters: since, minFollowers, urgency (each keeps exactly the matching posts)', async () => {
    const feed = await all('');
    const times = feed.map((m) => m.sentAt).sort();
    const since = times[Math.floor(times.length / 2)]!;
    const cases: [string, (m: MentionDto) => boolean][] = [
      [`&since=${encodeURIComponent(since)}`, (m) => m.sentAt >= since],
      ['&minFollowers=1000', (m) => (m.author.followers ?? 0) >= 1000],
      ['&urgency=high', (m) => m.case.urgency === 'high'],
      ['&urgency=critical&sort=newest', (m) => m.case.urgency === 'critical'],
    ];
    for (const [query, keep] of cases) {
      const filtered = await all(query);
      const expected = feed.filter(keep);
      expect(filtered.length, query).toBeGreaterThan(0);
      expect(new Set(filtered.map((m) => m.id)), query).toEqual(new Set(expected.map((m) => m.id)));
    }
  });

  it('counts the reposts of a case\'s post as its amplifications', async () => {
    const before = (await all('')).find((m) => m.author.followers === 210_000)!;
    await ingestOne(xPost('RT', { repostOf: before.externalId, followers: 900 }), f.ctx.repo, f.ctx.pipeline);
    await ingestOne(xPost('RT', { repostOf: before.externalId, followers: 50 }), f.ctx.repo, f.ctx.pipeline);
    const after = (await all('')).find((m) => m.id === before.id)!;
    expect(after.case.amplifications).toBe(before.case.amplifications + 2);
  });

  it.each([
    ['cursor=bm90LWEtY3Vyc29y', 'cursor'],
    ['cursor=%%%', 'cursor'],
    ['limit=0', 'limit'],
    ['limit=201', 'limit'],
    ['minFollowers=-1', 'minFollowers'],
    ['since=yesterday', 'since'],
    ['urgency=urgent', 'urgency'],
    ['sort=oldest', 'sort'],
    ['channel=x', 'channel'],
  ])('?%s is 400 naming "%s"', async (query, field) => {
    const r = await get(`?${query}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toEqual({ code: 'invalid_request', message: expect.stringContaining(`"${field}"`) });
  });

  it('a cursor of the other order is 400, not a silently wrong page', async () => {
    const cursor = (await get('?sort=newest&limit=2')).json().nextCursor as string;
    const r = await get(`?sort=urgent&cursor=${encodeURIComponent(cursor)}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('"cursor"');
  });
});
