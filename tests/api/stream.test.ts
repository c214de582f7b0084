/**
 * GET /api/stream against a real listening server, read by a real HTTP client while another
 * database connection (as a connector in another process would) ingests: events arrive, channels
 * and roles filter, Last-Event-ID resumes without loss or repeats, and closing the server ends it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { openContext, type Context } from '../../src/cli/command.js';
import { parseConfig } from '../../src/config/config.js';
import { ingestOne } from '../../src/pipeline/ingest.js';
import type { RawItem } from '../../connectors/types.js';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';
import { email, xPost } from '../helpers/raw-items.js';
import { SseClient, type SseEvent } from '../helpers/sse.js';

const config = parseConfig({ api: { streamPollMs: 50, streamHeartbeatMs: 1000 } });

interface EventData {
  caseId: number;
  requestNumber: string;
  channel: string;
  type: string;
  at: string;
  urgency: string;
}

const dataOf = (e: SseEvent) => JSON.parse(e.data) as EventData;

describe('GET /api/stream (real server)', () => {
  let f: ApiFixture;
  let base: string;
  /** A second connection to the same file: the writer a connector process would be. */
  let writer: Context;
  const clients: SseClient[] = [];

  beforeAll(async () => {
    f = await sampleApi({ config });
    base = await f.app.listen({ host: '127.0.0.1', port: 0 });
    writer = openContext({ db: f.dbPath, config: undefined });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await writer.repo.close();
  });

  const connect = async (token: string, query = '', headers: Record<string, string> = {}) => {
    const c = await SseClient.connect(`${base}/api/stream${query}`, { ...bearer(token), ...headers });
    clients.push(c);
    expect(c.status).toBe(200);
    // The first comment is written once the stream's start position is fixed.
    await c.waitFor((x) => x.comments.length > 0);
    return c;
  };
  const ingest = async (raw: RawItem) => {
    const result = await ingestOne(raw, writer.repo, writer.pipeline);
    if (result.kind !== 'ingested' || result.outcome.status !== 'stored') throw new Error(`not stored: ${JSON.stringify(result)}`);
    return result.outcome;
  };

  it('sends case.created with the case event id after an ingest in another connection', async () => {
    const c = await connect(f.tokens.manager);
    expect(c.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const stored = await ingest(xPost('@SakuPay my balance of Rp 2.000.000 is gone, someone took it!', { followers: 5000 }));
    await c.waitFor((x) => x.events.some((e) => dataOf(e).requestNumber === stored.requestNumber));
    const created = c.events.find((e) => dataOf(e).requestNumber === stored.requestNumber)!;
    expect(created.event).toBe('case.created');
    expect(Number(created.id)).toBeGreaterThan(0);
    expect(dataOf(created)).toMatchObject({ caseId: stored.caseId, channel: 'x', type: 'created', urgency: stored.urgency.level });
    // Only what happened after connecting: no history replayed without Last-Event-ID.
    expect(c.events.every((e) => Number(e.id) >= Number(created.id))).toBe(true);
  });

  it('a reply joining the case is case.updated', async () => {
    const c = await connect(f.tokens.manager);
    const first = await ingest(xPost('@SakuPay refund for my failed top up of 150rb still missing after 5 days'));
    const reply: RawItem = { ...xPost('@SakuPay any update on this?'), conversationId: (await writer.repo.getCase(first.requestNumber))!.messages[0]!.externalId };
    await ingest(reply);
    await c.waitFor((x) => x.events.some((e) => dataOf(e).requestNumber === first.requestNumber && dataOf(e).type === 'joined'));
    const joined = c.events.find((e) => dataOf(e).type === 'joined' && dataOf(e).requestNumber === first.requestNumber)!;
    expect(joined.event).toBe('case.updated');
  });

  it('?channel= filters, and a role only ever receives its own channels', async () => {
    const managerEmail = await connect(f.tokens.manager, '?channel=email');
    const social = await connect(f.tokens.social);
    const desk = await connect(f.tokens.desk);
    const manager = await connect(f.tokens.manager);
    const post = await ingest(xPost('@SakuPay QR payment failed twice but money deducted Rp 75.000'));
    const mail = await ingest(email('Transfer failed', 'My transfer of Rp 500.000 to BCA failed but my balance was deducted. Please help.'));
    const sees = (c: SseClient, rn: string) => c.events.some((e) => dataOf(e).requestNumber === rn);
    await manager.waitFor((c) => sees(c, post.requestNumber) && sees(c, mail.requestNumber));
    await managerEmail.waitFor((c) => sees(c, mail.requestNumber));
    await social.waitFor((c) => sees(c, post.requestNumber));
    await desk.waitFor((c) => sees(c, mail.requestNumber));
    // The X post was written first: a stream that would carry it has had its chance.
    expect(managerEmail.events.map((e) => dataOf(e).channel)).toEqual(managerEmail.events.map(() => 'email'));
    expect(desk.events.every((e) => dataOf(e).channel === 'email')).toBe(true);
    expect(social.events.every((e) => dataOf(e).channel === 'x')).toBe(true);
    expect(sees(social, mail.requestNumber)).toBe(false);
    expect(sees(desk, post.requestNumber)).toBe(false);
  });

  it('resuming with Last-Event-ID misses nothing and repeats nothing; the header wins over ?lastEventId', async () => {
    const first = await connect(f.tokens.manager);
    await ingest(xPost('@SakuPay app keeps crashing when I open the transfer page'));
    await first.waitFor((c) => c.events.length > 0);
    first.close();
    const lastSeen = Number(first.events[first.events.length - 1]!.id);

    // While nobody listens: several cases and events.
    const missed = [];
    for (let i = 0; i < 5; i++) missed.push(await ingest(email(`Refund ${i}`, `Order ${i}: refund of Rp ${i + 1}00.000 not received after 14 days.`)));
    const expectedIds = (await f.ctx.repo.listEventsAfter(lastSeen, { limit: 1000 })).events.map((e) => String(e.id));
    expect(expectedIds.length).toBeGreaterThanOrEqual(5);

    // An EventSource reconnects with its first URL and the header: the header must win.
    const resumed = await connect(f.tokens.manager, '?lastEventId=1', { 'last-event-id': String(lastSeen) });
    await resumed.waitFor((c) => c.events.length >= expectedIds.length);
    const live = await ingest(xPost('@SakuPay someone logged into my account and changed my PIN!!'));
    await resumed.waitFor((c) => c.events.some((e) => dataOf(e).requestNumber === live.requestNumber));
    const ids = resumed.events.map((e) => e.id!);
    expect(ids.slice(0, expectedIds.length)).toEqual(expectedIds);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.map(Number)).toEqual([...ids.map(Number)].sort((a, b) => a - b));
    expect(ids.every((id) => Number(id) > lastSeen)).toBe(true);

    // Clients that cannot set headers resume with the query parameter.
    const byQuery = await connect(f.tokens.manager, `?lastEventId=${lastSeen}`);
    await byQuery.waitFor((c) => c.events.length >= expectedIds.length);
    expect(byQuery.events.slice(0, expectedIds.length).map((e) => e.id)).toEqual(expectedIds);
  });

  it('sends a heartbeat comment while nothing happens', async () => {
    const c = await connect(f.tokens.desk, '?channel=email');
    await c.waitFor((x) => x.comments.includes('keep-alive'), 5000);
  });

  it('closing the server ends open streams, and close does not wait for them', async () => {
    const ctx = openContext({ db: f.dbPath, config: undefined });
    const app = await buildApp({ repo: ctx.repo, pipeline: ctx.pipeline, config });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const c = await SseClient.connect(`${address}/api/stream`, bearer(f.tokens.admin));
    await c.waitFor((x) => x.comments.length > 0);
    let ended = false;
    void c.ended.then(() => (ended = true));
    await app.close();
    await ctx.repo.close();
    await c.ended;
    expect(ended).toBe(true);
  });
});

describe('GET /api/stream refusals (before any streaming)', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await sampleApi({ config });
  });

  it('401 without a token, 403 for a channel the role may not read, 400 naming a bad field', async () => {
    const r401 = await f.app.inject({ url: '/api/stream' });
    expect(r401.statusCode).toBe(401);
    expect(r401.json().error.code).toBe('unauthenticated');
    const r403 = await f.app.inject({ url: '/api/stream?channel=x', headers: bearer(f.tokens.desk) });
    expect(r403.statusCode).toBe(403);
    expect(r403.json().error.code).toBe('forbidden');
    for (const [query, headers, field] of [
      ['?lastEventId=abc', {}, 'lastEventId'],
      ['?lastEventId=-1', {}, 'lastEventId'],
      ['', { 'last-event-id': '12; drop table' }, 'last-event-id'],
      ['?channel=fax', {}, 'channel'],
      ['?since=yesterday', {}, 'since'],
    ] as const) {
      const r = await f.app.inject({ url: `/api/stream${query}`, headers: { ...bearer(f.tokens.manager), ...headers } });
      expect(r.statusCode, query).toBe(400);
      expect(r.json().error.message, query).toContain(`"${field}"`);
    }
  });
});
