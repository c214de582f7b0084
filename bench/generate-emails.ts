/**
 * Deterministic, realistic complaint emails for benchmarks: English, Indonesian and Chinese,
 * plain, multipart/alternative, HTML-only, with attachments, replies, re-sends and bounces, in the
 * proportions a care inbox sees. Same seed, same bytes.
 */

export interface GeneratedEmail {
  raw: Buffer;
  author: number;
}

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ['Ana', 'Budi', 'Citra', 'Dewi', 'Eko', 'Fajar', 'Gita', 'Hadi', 'Indah', 'Joko', 'Li', 'Wei', 'Mei', 'Rina', 'Sari', 'Tono'];
const LAST = ['Putri', 'Santoso', 'Wijaya', 'Hartono', 'Lestari', 'Saputra', 'Wang', 'Chen', 'Kusuma', 'Rahman', 'Gunawan'];

const TEMPLATES: { lang: 'en' | 'id' | 'zh'; subject: string; body: string }[] = [
  { lang: 'id', subject: 'Saldo hilang Rp {amount}', body: 'Selamat siang tim SakuPay,\n\nSaldo saya sebesar Rp {amount} hilang tadi malam padahal saya tidak pernah melakukan transaksi apapun. Mohon segera dicek, ini uang gaji saya.\n\nNo HP terdaftar: 0812-{n4}-{n4}\n\nTerima kasih,\n{name}' },
  { lang: 'id', subject: 'Top up {amountK}rb belum masuk', body: 'Min, saya udh top up {amountK}rb dari BCA jam {hh}:{mm} tp saldo gak masuk2. Udah kepotong di rekening. No ref {ref}. Tolong dibantu ya.\n\n{name}' },
  { lang: 'en', subject: 'Unauthorised transaction on my account', body: 'Hello,\n\nThere is a payment of Rp {amount} on {date} that I did not make. I have not shared my PIN with anyone. Please block it and refund me as soon as possible.\n\nRegards,\n{name}' },
  { lang: 'en', subject: 'App keeps crashing', body: 'Hi team,\n\nSince the update yesterday the app crashes every time I open the transaction history. Phone: Android 14. I reinstalled it twice already.\n\nThanks,\n{name}' },
  { lang: 'en', subject: 'Refund still not received', body: 'Dear SakuPay,\n\nMy refund of ${usd} for order INV/{date8}/MPL/{n7} has still not arrived after 14 days. This is the third time I am writing. My hotline report number is CS-2611-{n4}.\n\n{name}' },
  { lang: 'zh', subject: '余额不见了，请尽快处理', body: '您好，\n\n我的账户余额{cny}元昨天晚上不见了，我没有做过任何交易。请尽快帮我查一下，工单号：{n7}。\n\n谢谢\n{name}' },
  { lang: 'zh', subject: '无法登录账户', body: '你好，我的账号从昨天开始一直登录不了，显示系统错误。账户里还有钱，请尽快处理。\n\n{name}' },
  { lang: 'id', subject: 'Akun diblokir', body: 'Selamat pagi,\n\nAkun saya tiba-tiba diblokir tanpa alasan, padahal saldo masih {amountJt}jt. Saya sudah telepon CS tapi belum ada solusi sampai sekarang.\n\nHormat saya,\n{name}' },
  { lang: 'en', subject: 'How do I change my phone number?', body: 'Hi, I got a new SIM card. How do I change the phone number on my SakuPay account?\n\n{name}' },
  { lang: 'id', subject: 'Terima kasih', body: 'Terima kasih tim SakuPay, masalah saldo saya sudah beres. Pelayanannya cepat.\n\n{name}' },
];

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

export interface GenerateOptions {
  count: number;
  /** Distinct customers the messages come from (re-sends and replies reuse them). */
  authors: number;
  seed?: number;
  /** Message-ID prefix, so two sets never collide. */
  idPrefix?: string;
  /**
   * `realistic` (default): what a care inbox receives from Gmail, Outlook and phones: relay and
   * authentication headers (Received, DKIM, ARC), HTML alternatives. `small`: bare messages with
   * minimal headers, the worst case for per-message overhead.
   */
  profile?: 'realistic' | 'small';
}

export function generateEmails({ count, authors, seed = 42, idPrefix = 'bench', profile = 'realistic' }: GenerateOptions): GeneratedEmail[] {
  const rnd = mulberry32(seed);
  realistic = profile === 'realistic';
  rand = rnd;
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const digits = (n: number) => String(Math.floor(rnd() * 10 ** n)).padStart(n, '0');
  const out: GeneratedEmail[] = [];
  const sent: { id: string; author: number; subject: string; body: string }[] = [];
  const base = Date.parse('2026-11-01T00:00:00Z');

  for (let i = 0; i < count; i++) {
    const date = new Date(base + i * 37_000 + Math.floor(rnd() * 30_000));
    const messageId = `<${idPrefix}.${i}.${digits(6)}@mail.example.com>`;
    const roll = rnd();

    if (roll < 0.03) {
      out.push({ raw: bounce(messageId, date, pick(sent.length ? sent : [{ id: '<x@y>', author: 0, subject: 'x', body: 'x' }])), author: -1 });
      continue;
    }
    let author = Math.floor(rnd() * authors);
    let subject: string;
    let body: string;
    let inReplyTo: string | undefined;
    const previous = sent.length > 0 ? sent[Math.floor(rnd() * sent.length)]! : undefined;
    if (roll < 0.13 && previous) {
      // a reply in the thread
      author = previous.author;
      subject = `Re: ${previous.subject}`;
      body = `Any update? I am still waiting.\n\nOn ${date.toUTCString()}, customer wrote:\n${previous.body.replace(/^/gm, '> ')}`;
      inReplyTo = previous.id;
    } else if (roll < 0.21 && previous) {
      // a re-send of the same complaint
      author = previous.author;
      subject = `FW: ${previous.subject}`;
      body = `Please answer, this is my second email!\n\n${previous.body}`;
    } else {
      const t = pick(TEMPLATES);
      const name = `${pick(FIRST)} ${pick(LAST)}`;
      const fill = (s: string) =>
        s
          .replace(/\{amount\}/g, `${1 + Math.floor(rnd() * 9)}.${digits(3)}.000`)
          .replace(/\{amountK\}/g, String(50 + Math.floor(rnd() * 950)))
          .replace(/\{amountJt\}/g, String(1 + Math.floor(rnd() * 20)))
          .replace(/\{usd\}/g, `${Math.floor(rnd() * 900) + 50}.00`)
          .replace(/\{cny\}/g, String(100 + Math.floor(rnd() * 5000)))
          .replace(/\{n4\}/g, () => digits(4))
          .replace(/\{n7\}/g, () => digits(7))
          .replace(/\{ref\}/g, () => digits(14))
          .replace(/\{hh\}/g, String(Math.floor(rnd() * 24)).padStart(2, '0'))
          .replace(/\{mm\}/g, String(Math.floor(rnd() * 60)).padStart(2, '0'))
          .replace(/\{date8\}/g, date.toISOString().slice(0, 10).replace(/-/g, ''))
          .replace(/\{date\}/g, date.toISOString().slice(0, 10))
          .replace(/\{name\}/g, name);
      subject = fill(t.subject);
      body = fill(t.body);
    }
    const shape = rnd();
    const raw = realistic
      ? shape < 0.45
        ? alternative(messageId, date, author, subject, body, inReplyTo, gmailHtml)
        : shape < 0.7
          ? alternative(messageId, date, author, subject, body, inReplyTo, outlookHtml)
          : shape < 0.8
            ? htmlOnly(messageId, date, author, subject, body, inReplyTo)
            : shape < 0.85
              ? withAttachment(messageId, date, author, subject, body, inReplyTo)
              : plain(messageId, date, author, subject, body, inReplyTo)
      : shape < 0.1
        ? htmlOnly(messageId, date, author, subject, body, inReplyTo)
        : shape < 0.4
          ? alternative(messageId, date, author, subject, body, inReplyTo, simpleHtml)
          : shape < 0.45
            ? withAttachment(messageId, date, author, subject, body, inReplyTo)
            : plain(messageId, date, author, subject, body, inReplyTo);
    sent.push({ id: messageId, author, subject: subject.replace(/^(Re|FW): /, ''), body });
    if (sent.length > 500) sent.shift();
    out.push({ raw, author });
  }
  return out;
}

let realistic = true;
let rand: () => number = Math.random;
const b64chars = (n: number) => Array.from({ length: n }, () => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'[Math.floor(rand() * 64)]).join('');
const fold = (s: string) => s.replace(/.{70}/g, '$&\r\n\t');

// The relay and authentication headers a message from a large provider arrives with.
function transportHeaders(author: number, date: Date): string[] {
  if (!realistic) return [];
  const d = date.toUTCString();
  return [
    `Delivered-To: care@sakupay.example`,
    `Received: by 2002:a05:7300:${(author % 9000).toString(16)}:b0:${b64chars(4)} with SMTP id x${b64chars(8)}; ${d}`,
    `X-Received: by 2002:a17:90a:${b64chars(4)} with SMTP id ${b64chars(12)}.${author % 97}.${Date.parse(d)}; ${d}`,
    `ARC-Seal: i=1; a=rsa-sha256; t=${Math.floor(date.getTime() / 1000)}; cv=none; d=google.com; s=arc-20240605;\r\n\tb=${fold(b64chars(340))}`,
    `ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20240605;\r\n\th=to:subject:message-id:date:from:mime-version:dkim-signature;\r\n\tbh=${b64chars(44)};\r\n\tb=${fold(b64chars(340))}`,
    `ARC-Authentication-Results: i=1; mx.google.com; dkim=pass header.i=@example.com header.s=20230601 header.b=${b64chars(8)}; spf=pass (google.com: domain of user${author}@example.com designates 209.85.220.41 as permitted sender) smtp.mailfrom=user${author}@example.com; dmarc=pass (p=NONE sp=QUARANTINE dis=NONE) header.from=example.com`,
    `Return-Path: <user${author}@example.com>`,
    `Received: from mail-sor-f41.google.com (mail-sor-f41.google.com. [209.85.220.41]) by mx.google.com with SMTPS id ${b64chars(20)} for <care@sakupay.example> (Google Transport Security); ${d}`,
    `Received-SPF: pass (google.com: domain of user${author}@example.com designates 209.85.220.41 as permitted sender) client-ip=209.85.220.41;`,
    `Authentication-Results: mx.google.com; dkim=pass header.i=@example.com header.s=20230601 header.b=${b64chars(8)}; spf=pass smtp.mailfrom=user${author}@example.com; dmarc=pass header.from=example.com`,
    `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=20230601; t=${Math.floor(date.getTime() / 1000)}; x=${Math.floor(date.getTime() / 1000) + 604800}; darn=sakupay.example;\r\n\th=to:subject:message-id:date:from:mime-version:from:to:cc:subject:date:message-id:reply-to;\r\n\tbh=${b64chars(44)};\r\n\tb=${fold(b64chars(344))}`,
    `X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.net; s=20230601; t=${Math.floor(date.getTime() / 1000)};\r\n\th=to:subject:message-id:date:from:mime-version:x-gm-message-state;\r\n\tbh=${b64chars(44)};\r\n\tb=${fold(b64chars(344))}`,
    `X-Gm-Message-State: AOJu0Y${b64chars(60)}`,
    `X-Google-Smtp-Source: AGHT+IH${b64chars(70)}`,
  ];
}

function headers(messageId: string, date: Date, author: number, subject: string, inReplyTo: string | undefined, contentType: string): string {
  return [
    ...transportHeaders(author, date),
    `Received: from mx${author % 7}.mail.example.com by mx.sakupay.example; ${date.toUTCString()}`,
    `From: Customer ${author} <user${author}@example.com>`,
    'To: care@sakupay.example',
    `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
    `Date: ${date.toUTCString()}`,
    `Message-ID: ${messageId}`,
    ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`, `References: ${inReplyTo}`] : []),
    'MIME-Version: 1.0',
    `Content-Type: ${contentType}`,
  ].join('\r\n');
}

const b64 = (s: string | Buffer) => (Buffer.isBuffer(s) ? s : Buffer.from(s)).toString('base64').replace(/.{76}/g, '$&\r\n');
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const paragraphs = (body: string) => escapeHtml(body).split('\n\n').map((p) => p.replace(/\n/g, '<br>'));
const toHtml = (body: string) => `<html><body>${paragraphs(body).map((p) => `<p>${p}</p>`).join('')}<img src="https://t.example.com/p.gif" width="1" height="1"></body></html>`;
const simpleHtml = toHtml;
// What Gmail's web client sends as the HTML alternative.
const gmailHtml = (body: string) =>
  `<div dir="ltr">${paragraphs(body).map((p) => `<div>${p}</div><div><br></div>`).join('')}<div><br clear="all"></div><div><br></div><span class="gmail_signature_prefix">-- </span><br><div dir="ltr" class="gmail_signature" data-smartmail="gmail_signature"><div dir="ltr"><div>Sent with care</div></div></div></div>`;
// What Outlook desktop sends: a Word-generated document with its style sheet.
const outlookHtml = (body: string) =>
  `<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40"><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="Generator" content="Microsoft Word 15 (filtered medium)"><style><!--
/* Font Definitions */
@font-face {font-family:"Cambria Math"; panose-1:2 4 5 3 5 4 6 3 2 4;}
@font-face {font-family:Calibri; panose-1:2 15 5 2 2 2 4 3 2 4;}
@font-face {font-family:Aptos;}
/* Style Definitions */
p.MsoNormal, li.MsoNormal, div.MsoNormal {margin:0cm; font-size:12.0pt; font-family:"Aptos",sans-serif; mso-ligatures:standardcontextual; mso-fareast-language:EN-US;}
a:link, span.MsoHyperlink {mso-style-priority:99; color:#467886; text-decoration:underline;}
span.EmailStyle17 {mso-style-type:personal-compose; font-family:"Aptos",sans-serif; color:windowtext;}
.MsoChpDefault {mso-style-type:export-only; font-size:11.0pt; mso-fareast-language:EN-US;}
@page WordSection1 {size:612.0pt 792.0pt; margin:72.0pt 72.0pt 72.0pt 72.0pt;}
div.WordSection1 {page:WordSection1;}
--></style><!--[if gte mso 9]><xml>
<o:shapedefaults v:ext="edit" spidmax="1026" />
</xml><![endif]--><!--[if gte mso 9]><xml>
<o:shapelayout v:ext="edit">
<o:idmap v:ext="edit" data="1" />
</o:shapelayout></xml><![endif]--></head><body lang="EN-ID" link="#467886" vlink="#96607D" style="word-wrap:break-word"><div class="WordSection1">${paragraphs(body)
    .map((p) => `<p class="MsoNormal"><span lang="EN-US" style="font-size:11.0pt">${p}<o:p></o:p></span></p><p class="MsoNormal"><span lang="EN-US" style="font-size:11.0pt"><o:p>&nbsp;</o:p></span></p>`)
    .join('')}</div></body></html>`;

function plain(id: string, date: Date, author: number, subject: string, body: string, irt?: string): Buffer {
  return Buffer.from(`${headers(id, date, author, subject, irt, 'text/plain; charset=UTF-8')}\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(body)}\r\n`);
}

function alternative(id: string, date: Date, author: number, subject: string, body: string, irt: string | undefined, html: (b: string) => string): Buffer {
  return Buffer.from(
    `${headers(id, date, author, subject, irt, 'multipart/alternative; boundary="alt"')}\r\n\r\n--alt\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(body)}\r\n--alt\r\nContent-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(html(body))}\r\n--alt--\r\n`,
  );
}

function htmlOnly(id: string, date: Date, author: number, subject: string, body: string, irt?: string): Buffer {
  return Buffer.from(`${headers(id, date, author, subject, irt, 'text/html; charset=UTF-8')}\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(toHtml(body))}\r\n`);
}

function withAttachment(id: string, date: Date, author: number, subject: string, body: string, irt?: string): Buffer {
  return Buffer.from(
    `${headers(id, date, author, subject, irt, 'multipart/mixed; boundary="mix"')}\r\n\r\n--mix\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(body)}\r\n--mix\r\nContent-Type: image/png; name="bukti.png"\r\nContent-Disposition: attachment; filename="bukti.png"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64(PNG)}\r\n--mix--\r\n`,
  );
}

function bounce(id: string, date: Date, original: { id: string; subject: string }): Buffer {
  return Buffer.from(
    [
      'Return-Path: <>',
      'From: Mail Delivery System <MAILER-DAEMON@mail.sakupay.example>',
      'To: care@sakupay.example',
      'Subject: Undelivered Mail Returned to Sender',
      `Date: ${date.toUTCString()}`,
      `Message-ID: ${id}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="rep"',
      '',
      '--rep',
      'Content-Type: text/plain',
      '',
      'This is the mail system. Your message could not be delivered to one or more recipients.',
      '--rep',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mail.sakupay.example',
      '',
      'Final-Recipient: rfc822; nobody@example.com',
      'Action: failed',
      'Status: 5.1.1',
      '--rep',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${original.id}`,
      `Subject: Re: ${original.subject}`,
      '--rep--',
      '',
    ].join('\r\n'),
  );
}

/** An mbox file body for the messages (mboxrd quoting of body lines starting with "From "). */
export function toMbox(emails: GeneratedEmail[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of emails) {
    parts.push(Buffer.from('From bench@example.com Sun Nov  1 00:00:00 2026\n'));
    parts.push(Buffer.from(e.raw.toString('latin1').replace(/\r\n/g, '\n').replace(/^(>*From )/gm, '>$1'), 'latin1'));
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}
