import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEmail, type EmailParseOptions } from '../../../connectors/email/parse-email.js';
import type { RawItem } from '../../../connectors/types.js';

const CORPUS = join(import.meta.dirname, '../../fixtures/email-corpus');
const fixture = (path: string) => readFileSync(join(CORPUS, path));
const RECEIVED = new Date('2026-11-20T00:00:00Z');
const opts = (over: Partial<EmailParseOptions> = {}): EmailParseOptions => ({
  source: 'test',
  rawRef: 'test.eml',
  maxBytes: 25 * 1024 * 1024,
  timeoutMs: 10_000,
  fallbackDate: RECEIVED,
  ...over,
});

async function parseOk(raw: Buffer | string, over: Partial<EmailParseOptions> = {}): Promise<RawItem> {
  const r = await parseEmail(Buffer.isBuffer(raw) ? raw : Buffer.from(raw), opts(over));
  if (!r.ok) throw new Error(`expected a message, got ${r.failure.reason}: ${r.failure.detail}`);
  return r.item;
}

const mail = (headers: string, body: string) => `${headers.trim().replace(/\n/g, '\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}`;

describe('parseEmail', () => {
  it('reads the fields the pipeline needs', async () => {
    const item = await parseOk(
      mail(
        `From: Ana Putri <Ana@Example.com>
To: care@sakupay.example
Subject: =?UTF-8?B?U2FsZG8gaGlsYW5n?=
Date: Wed, 18 Nov 2026 09:15:02 +0700
Message-ID: <abc@mail.example.com>
In-Reply-To: <prev@mail.example.com>
References: <first@mail.example.com> <prev@mail.example.com>
Content-Type: text/plain; charset=UTF-8`,
        'Saldo saya hilang.\n',
      ),
    );
    expect(item).toMatchObject({
      channel: 'email',
      source: 'test',
      subject: 'Saldo hilang',
      text: 'Saldo saya hilang.\n',
      author: { email: 'ana@example.com', name: 'Ana Putri' },
      messageId: '<abc@mail.example.com>',
      inReplyTo: '<prev@mail.example.com>',
      references: ['<first@mail.example.com>', '<prev@mail.example.com>'],
      mime: { contentType: 'text/plain', partTypes: [] },
    });
    expect(item.sentAt.toISOString()).toBe('2026-11-18T02:15:02.000Z');
    expect(item.externalId).toMatch(/^<abc@mail\.example\.com>#[\w-]{22}$/);
  });

  it('keeps, as sent, the headers that tell automated mail apart', async () => {
    const item = await parseOk(
      mail(
        `Return-Path: <>
From: Deals <news@shop.example>
Subject: =?UTF-8?B?UHJvbW8gYWtoaXIgYnVsYW4=?=
Message-ID: <n@x>
List-Id: Deals <deals.shop.example>
List-Unsubscribe: <mailto:u@shop.example>,
 <https://shop.example/u>
Auto-Submitted: auto-generated
DKIM-Signature: v=1; a=rsa-sha256; d=shop.example; b=abc`,
        'hello',
      ),
    );
    expect(item.headers).toMatchObject({
      'return-path': '<>',
      from: '"Deals" <news@shop.example>',
      subject: 'Promo akhir bulan',
      'list-id': 'Deals <deals.shop.example>',
      'list-unsubscribe': '<mailto:u@shop.example>, <https://shop.example/u>',
      'auto-submitted': 'auto-generated',
    });
    expect(item.headers).not.toHaveProperty('dkim-signature');
  });

  it('HTML-only emails still yield body text', async () => {
    const item = await parseOk(fixture('jhillyerd-enmime/testdata/mail/html-only-inline.raw'));
    expect(item.text).toContain('Test of HTML section');
    const mixed = await parseOk(
      mail(
        `From: a@example.com
Subject: html only
Date: Wed, 18 Nov 2026 09:15:02 +0700
Message-ID: <h@x>
Content-Type: multipart/mixed; boundary="b"`,
        `--b
Content-Type: text/html; charset=utf-8

<html><body><p>Saldo saya <b>hilang</b> Rp&nbsp;1.500.000</p><img src="cid:x"></body></html>
--b--
`,
      ),
    );
    // &nbsp; arrives as U+00A0; the pipeline's NFKC normalisation turns it into a space.
    expect(mixed.text.replace(/\u00a0/g, ' ')).toContain('Saldo saya hilang Rp 1.500.000');
  });

  it('decodes legacy Chinese charsets', async () => {
    const item = await parseOk(fixture('mailgun-flanker/tests/fixtures/messages/bilingual-simple.eml'));
    expect(item.text.length).toBeGreaterThan(0);
    const gb = await parseOk(
      mail(
        `From: li@example.com
Subject: =?GB2312?B?0+C27rK7vPvByw==?=
Date: Wed, 18 Nov 2026 09:15:02 +0800
Message-ID: <gb@x>
Content-Type: text/plain; charset=GB2312
Content-Transfer-Encoding: base64`,
        Buffer.from([0xce, 0xd2, 0xb5, 0xc4, 0xc7, 0xae, 0xc3, 0xbb, 0xc1, 0xcb]).toString('base64'),
      ),
    );
    expect(gb.subject).toBe('余额不见了');
    expect(gb.text).toBe('我的钱没了');
  });

  it('keeps attachment metadata with the sha256 of the decoded content, not the content', async () => {
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
    const item = await parseOk(
      mail(
        `From: a@example.com
Subject: screenshot
Date: Wed, 18 Nov 2026 09:15:02 +0700
Message-ID: <att@x>
Content-Type: multipart/mixed; boundary="b"`,
        `--b
Content-Type: text/plain

see attached
--b
Content-Type: image/png; name="bukti transfer.png"
Content-Disposition: attachment; filename="bukti transfer.png"
Content-Transfer-Encoding: base64

${png.toString('base64')}
--b--
`,
      ),
    );
    expect(item.attachments).toEqual([
      { name: 'bukti transfer.png', contentType: 'image/png', size: png.length, sha256: createHash('sha256').update(png).digest('hex') },
    ]);
  });

  it('an unreadable Date header falls back to the receive time, with a note', async () => {
    const item = await parseOk(mail('From: a@example.com\nSubject: x\nDate: sometime last week\nMessage-ID: <d@x>', 'hello'));
    expect(item.sentAt).toEqual(RECEIVED);
    expect(item.notes).toContain('Date header unreadable: used the time the message was received');
    const noDate = await parseOk(mail('From: a@example.com\nSubject: x\nMessage-ID: <d2@x>', 'hello'));
    expect(noDate.sentAt).toEqual(RECEIVED);
  });

  it('uses Reply-To when a form sends as no-reply', async () => {
    const item = await parseOk(mail('From: Web Form <no-reply@sakupay.example>\nReply-To: Budi <budi@example.com>\nSubject: form\nMessage-ID: <f@x>', 'complaint'));
    expect(item.author).toEqual({ email: 'budi@example.com', name: 'Budi' });
  });

  it('gives one message delivered twice one external id, and two messages sharing a Message-ID two ids', async () => {
    const body = 'Saldo saya hilang';
    const headers = 'From: a@example.com\nSubject: x\nDate: Wed, 18 Nov 2026 09:15:02 +0700\nMessage-ID: <same@x>';
    const a = await parseOk(mail(`Received: from mx1 by inbox-a\nDelivered-To: care@sakupay.example\n${headers}`, body));
    const b = await parseOk(mail(`Received: from mx2 by inbox-b\nDelivered-To: complaints@sakupay.example\n${headers}`, body));
    const c = await parseOk(mail(headers, 'a different complaint, same broken Message-ID'));
    expect(a.externalId).toBe(b.externalId);
    expect(c.externalId).not.toBe(a.externalId);
    const noId = await parseOk(mail('From: a@example.com\nSubject: x\nDate: Wed, 18 Nov 2026 09:15:02 +0700', body));
    expect(noId.externalId).toMatch(/^sha256:/);
  });

  it('sees the MIME shape of delivery reports', async () => {
    const item = await parseOk(fixture('nodemailer-mailparser/test/fixtures/delivery-status.eml'));
    expect(item.mime?.contentType).toBe('multipart/report');
    expect(item.mime?.reportType).toBe('delivery-status');
  });

  it('truncates a message over the size limit, keeping headers and attachment metadata', async () => {
    const raw = fixture('mailgun-flanker/tests/fixtures/messages/mailgun-pic.eml');
    const item = await parseOk(raw, { maxBytes: 10_000 });
    expect(item.notes?.some((n) => n.includes('over the 10 KB limit: body truncated'))).toBe(true);
    expect(item.attachments.length).toBeGreaterThan(0);
    expect(item.subject).toBeDefined();
  });

  it.each([
    ['an empty file', '', 'empty'],
    ['plain prose', 'Dear team,\nthis is not an email, just notes.\n', 'not_an_email'],
    ['binary data', Buffer.from(Array.from({ length: 2000 }, (_, i) => i % 7)), 'not_an_email'],
  ])('%s is a failure with a reason, not a crash', async (_label, raw, reason) => {
    const r = await parseEmail(Buffer.isBuffer(raw) ? raw : Buffer.from(raw), opts());
    expect(r).toMatchObject({ ok: false, failure: { reason, source: 'test', rawRef: 'test.eml' } });
  });

  it('a parse that overruns its time limit fails with parse_timeout', async () => {
    const huge = mail(
      'From: a@example.com\nSubject: big\nMessage-ID: <big@x>\nContent-Type: text/html',
      `<div>${'<p>saldo <b>hilang</b> '.repeat(60_000)}</div>`,
    );
    const r = await parseEmail(Buffer.from(huge), opts({ timeoutMs: 1 }));
    expect(r).toMatchObject({ ok: false, failure: { reason: 'parse_timeout' } });
  });
});
