/**
 * POST /api/ingest (the website form and in-app feedback webhook) through `inject` on a real
 * SQLite file: HMAC signatures over the raw body, idempotency, the same pipeline as the
 * connectors, and every refusal with its status and field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/app.js';
import { parseConfig } from '../../src/config/config.js';
import { bearer, sampleApi, type ApiFixture } from '../helpers/api.js';
import { signedHeaders, WEBHOOK_SECRET } from '../helpers/webhook.js';

const SECRET = WEBHOOK_SECRET;
const NOW = new Date('2026-11-26T03:00:00Z');
const nowSeconds = String(Math.floor(NOW.getTime() / 1000));
const config = parseConfig({ webhook: { maxBodyBytes: 4096 } });
const signed = (body: string, opts: Parameters<typeof signedHeaders>[2] = {}) => signedHeaders(body, NOW, opts);

let serial = 0;
const entry = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    channel: 'form',
    id: `form-${++serial}`,
    author: { email: `Customer${serial}@Example.com`, name: 'Dewi' },
    subject: 'Saldo terpotong',
    text: `Top up Rp 250.000 gagal tapi saldo saya terpotong, mohon dibantu (${serial})`,
    ...over,
  });

describe('POST /api/ingest', () => {
  let f: ApiFixture;
  beforeAll(async () => {
    f = await sampleApi({ config, env: { CM_WEBHOOK_SECRET: SECRET }, now: () => NOW });
  });
  const post = (payload: string, headers: Record<string, string>) => f.app.inject({ method: 'POST', url: '/api/ingest', payload, headers });

  it('stores a signed form entry as a case through the pipeline (201), visible in the API', async () => {
    const body = entry({ metadata: { page: '/help/topup', appVersion: '5.2.1', otp: 'my OTP is 482913' } });
    const r = await post(body, signed(body));
    expect(r.statusCode).toBe(201);
    const answer = r.json();
    expect(answer).toMatchObject({ status: 'stored', requestNumber: expect.stringMatching(/^REQ-\d{4}-\d{6}$/), joined: null });
    expect(answer.urgency.level).toMatch(/critical|high|normal|low/);
    const detail = (await f.app.inject({ url: `/api/cases/${answer.requestNumber}`, headers: bearer(f.tokens.manager) })).json();
    expect(detail).toMatchObject({ channel: 'form', source: 'webhook', subject: 'Saldo terpotong', customerKey: expect.stringContaining('customer') });
    expect(detail.messages[0].body).toContain('Top up Rp 250.000 gagal');
    // Sender metadata is kept as a note, redacted like the text.
    const note = detail.messages[0].notes.join('\n');
    expect(note).toContain('page=/help/topup');
    expect(note).not.toContain('482913');
  });

  it('the same key again stores nothing and answers 200 with what the first stored', async () => {
    const body = entry();
    const first = await post(body, signed(body));
    expect(first.statusCode).toBe(201);
    const counts = await f.ctx.repo.counts();
    for (let i = 0; i < 3; i++) {
      const again = await post(body, signed(body));
      expect(again.statusCode).toBe(200);
      expect(again.json()).toEqual({ ...first.json(), status: 'duplicate' });
    }
    expect(await f.ctx.repo.counts()).toEqual(counts);
  });

  it('the Idempotency-Key header is the key when the body has no id; both must agree when both are sent', async () => {
    const body = entry({ id: undefined, channel: 'app', author: { customerId: 'u-7781' } });
    const first = await post(body, signed(body, { key: 'app-feedback-7781-1' }));
    expect(first.statusCode).toBe(201);
    const again = await post(body, signed(body, { key: 'app-feedback-7781-1' }));
    expect(again.statusCode).toBe(200);
    expect(again.json().requestNumber).toBe(first.json().requestNumber);

    const withId = entry({ id: 'form-abc' });
    const r = await post(withId, signed(withId, { key: 'something-else' }));
    expect(r.statusCode).toBe(400);
    expect(r.json().error.message).toContain('"idempotency-key"');
    const noKey = entry({ id: undefined });
    const r2 = await post(noKey, signed(noKey));
    expect(r2.statusCode).toBe(400);
    expect(r2.json().error.message).toContain('"id"');
  });

  it('a key reused for a different entry is 409 and stores nothing (the entry is not silently dropped)', async () => {
    const body = entry({ id: 'form-reused' });
    expect((await post(body, signed(body))).statusCode).toBe(201);
    const counts = await f.ctx.repo.counts();
    const other = entry({ id: 'form-reused', text: 'A completely different complaint about a refund of Rp 80.000' });
    const r = await post(other, signed(other));
    expect(r.statusCode).toBe(409);
    expect(r.json().error.code).toBe('idempotency_conflict');
    expect(await f.ctx.repo.counts()).toEqual(counts);
  });

  it('a re-sent complaint under a new key joins its case (dedupe rules apply as for connectors)', async () => {
    const text = 'Transfer ke BCA Rp 1.000.000 gagal tapi saldo sudah terpotong sejak kemarin, tolong segera dicek';
    const a = entry({ author: { email: 'rina@example.com' }, text });
    const b = entry({ author: { email: 'rina@example.com' }, text });
    const first = (await post(a, signed(a))).json();
    const second = await post(b, signed(b));
    expect(second.statusCode).toBe(201);
    expect(second.json()).toMatchObject({ status: 'stored', requestNumber: first.requestNumber, joined: { reason: 'near_duplicate' } });
  });

  it('401 for a missing, malformed, wrong or stale signature, or a body changed after signing; a bearer token is no substitute', async () => {
    const body = entry();
    const good = signed(body);
    const cases: [string, Record<string, string>, string?][] = [
      ['no signature', { 'content-type': 'application/json' }],
      ['no timestamp', { 'content-type': 'application/json', 'x-signature': good['x-signature']! }],
      ['malformed', { ...good, 'x-signature': 'md5=abc' }],
      ['wrong secret', signed(body, { secret: 'another-secret-of-enough-length' })],
      ['stale', signed(body, { timestamp: String(Number(nowSeconds) - 301) })],
      ['from the future', signed(body, { timestamp: String(Number(nowSeconds) + 301) })],
      ['body changed', good, body.replace('250.000', '950.000')],
      ['timestamp changed', { ...good, 'x-signature-timestamp': String(Number(nowSeconds) + 1) }],
      ['bearer only', { 'content-type': 'application/json', ...bearer(f.tokens.admin) }],
    ];
    const counts = await f.ctx.repo.counts();
    for (const [label, headers, payload] of cases) {
      const r = await post(payload ?? body, headers);
      expect(r.statusCode, label).toBe(401);
      expect(r.json().error.code, label).toBe('unauthenticated');
    }
    expect(await f.ctx.repo.counts()).toEqual(counts);
  });

  it.each([
    ['not JSON', '{"channel": "form", ', 'body'],
    ['unknown field', entry({ txt: 'typo' }), '"txt"'],
    ['no text', entry({ text: undefined }), '"text"'],
    ['blank text', entry({ text: '   ' }), '"text"'],
    ['bad channel', entry({ channel: 'email' }), '"channel"'],
    ['no identity', entry({ author: { name: 'Anon' } }), '"author"'],
    ['bad email', entry({ author: { email: 'not-an-email' } }), '"author.email"'],
    ['bad sentAt', entry({ sentAt: 'yesterday' }), '"sentAt"'],
    ['sentAt in the future', entry({ sentAt: '2027-01-01T00:00:00Z' }), '"sentAt"'],
    ['id with spaces', entry({ id: 'a b' }), '"id"'],
    ['metadata nested', entry({ metadata: { a: { b: 1 } } }), '"metadata.a"'],
    ['metadata __proto__', '{"channel":"form","id":"p1","author":{"email":"a@b.co"},"text":"x","metadata":{"__proto__":"x"}}', '__proto__'],
    ['an array', '[1,2]', 'body'],
  ])('signed but invalid (%s): 400 naming the field, nothing stored', async (_label, body, field) => {
    const counts = await f.ctx.repo.counts();
    const r = await post(body, signed(body));
    expect(r.statusCode).toBe(400);
    expect(r.json().error).toEqual({ code: 'invalid_request', message: expect.stringContaining(field) });
    expect(await f.ctx.repo.counts()).toEqual(counts);
  });

  it('413 for a body over webhook.maxBodyBytes, 415 for another content type', async () => {
    const big = entry({ text: 'x'.repeat(5000) });
    const r = await post(big, signed(big));
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('payload_too_large');
    const body = entry();
    const r2 = await post(body, { ...signed(body), 'content-type': 'text/plain' });
    expect(r2.statusCode).toBe(415);
    expect(r2.json().error.code).toBe('unsupported_media_type');
  });

  it('other routes keep the ordinary JSON parser', async () => {
    const r = await f.app.inject({ method: 'POST', url: '/api/cases', payload: '{"a":1}', headers: { 'content-type': 'application/json', ...bearer(f.tokens.admin) } });
    expect(r.statusCode).toBe(404);
  });

  it('without a configured secret (or a short one) the webhook answers 503 and stores nothing', async () => {
    for (const env of [{}, { CM_WEBHOOK_SECRET: 'short' }]) {
      const app = await buildApp({ repo: f.ctx.repo, pipeline: f.ctx.pipeline, config, env, now: () => NOW });
      const body = entry();
      const r = await app.inject({ method: 'POST', url: '/api/ingest', payload: body, headers: signed(body, { secret: 'short' }) });
      expect(r.statusCode).toBe(503);
      expect(r.json().error).toEqual({ code: 'webhook_not_configured', message: expect.stringContaining('CM_WEBHOOK_SECRET') });
      await app.close();
    }
  });
});
