import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEmail, type EmailParseOptions } from '../../../connectors/email/parse-email.js';
import { ParseWorkerPool } from '../../../connectors/email/parse-pool.js';

const CORPUS = join(import.meta.dirname, '../../fixtures/email-corpus');
const FILES = [
  'jhillyerd-enmime/testdata/mail/html-only-inline.raw',
  'mailgun-flanker/tests/fixtures/messages/bilingual-simple.eml',
  'mikel-mail/spec/fixtures/emails/multi_charset/japanese.eml',
  'nodemailer-mailparser/test/fixtures/delivery-status.eml',
  'sisimai-set-of-emails/maildir/bsd/lhost-postfix-02.eml',
];
const MISBEHAVING = new URL('../../helpers/misbehaving.worker.mjs', import.meta.url);
const opts = (rawRef: string, timeoutMs = 10_000): EmailParseOptions => ({
  source: 'test',
  rawRef,
  maxBytes: 25 << 20,
  timeoutMs,
  fallbackDate: new Date('2026-11-20T00:00:00Z'),
});
const mail = (n: number, body: string) => Buffer.from(`From: a${n}@example.com\r\nSubject: s${n}\r\nMessage-ID: <p${n}@x>\r\n\r\n${body}\r\n`);

let pool: ParseWorkerPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('ParseWorkerPool', () => {
  it('gives the same results as parsing in this thread', async () => {
    pool = new ParseWorkerPool(2);
    const raws = FILES.map((f) => readFileSync(join(CORPUS, f)));
    const inPool = await Promise.all(raws.map((raw, i) => pool!.parse(raw, opts(FILES[i]!))));
    const inThread = await Promise.all(raws.map((raw, i) => parseEmail(raw, opts(FILES[i]!))));
    expect(inPool).toEqual(inThread);
  });

  it('a message that blocks its worker fails as parse_timeout; the worker is replaced and the queue goes on', async () => {
    pool = new ParseWorkerPool(1, MISBEHAVING, 200);
    const results = await Promise.all([
      pool.parse(mail(1, 'first'), opts('m1', 300)),
      pool.parse(mail(2, 'HANG'), opts('m2', 300)),
      pool.parse(mail(3, 'third'), opts('m3', 300)),
      pool.parse(mail(4, 'fourth'), opts('m4', 300)),
    ]);
    expect(results.map((r) => (r.ok ? r.item.subject : r.failure.reason))).toEqual(['s1', 'parse_timeout', 's3', 's4']);
    expect(results[1]).toMatchObject({ ok: false, failure: { rawRef: 'm2', source: 'test' } });
  });

  it('a worker that dies takes only the message it was on', async () => {
    pool = new ParseWorkerPool(1, MISBEHAVING, 200);
    const results = await Promise.all([
      pool.parse(mail(1, 'CRASH'), opts('m1')),
      pool.parse(mail(2, 'fine'), opts('m2')),
    ]);
    expect(results[0]).toMatchObject({ ok: false, failure: { reason: 'parse_error', detail: expect.stringContaining('exited (code 3)') } });
    expect(results[1]).toMatchObject({ ok: true, item: { subject: 's2' } });
  });

  it('closing resolves what is still queued as failures, never leaving a promise hanging', async () => {
    pool = new ParseWorkerPool(1, MISBEHAVING, 60_000);
    const pending = [pool.parse(mail(1, 'HANG'), opts('m1', 60_000)), pool.parse(mail(2, 'x'), opts('m2'))];
    await new Promise((r) => setTimeout(r, 200));
    await pool.close();
    const results = await Promise.all(pending);
    expect(results.every((r) => !r.ok && r.failure.reason === 'parse_error')).toBe(true);
  });
});
