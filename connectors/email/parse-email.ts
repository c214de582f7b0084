/**
 * One raw RFC 5322 message -> RawItem, with mailparser's streaming parser. Attachments are hashed
 * (sha256) and measured while streaming, never buffered. A message that cannot be parsed in time,
 * or is not an email at all, becomes a FailedItem with a reason; nothing throws.
 *
 * External id: `<message-id>#<content hash>`, or `sha256:<content hash>` without a Message-ID.
 * The content hash covers the From, Date and Subject header lines and the raw body bytes (line
 * ends normalised), not the trace headers relays add (Received, Delivered-To, ...): the same
 * message delivered to two mailboxes gets the same id (stored once), while a broken mailer that
 * reuses one Message-ID for different messages does not make us drop the second. It is computed
 * from the bytes, not from parsed text, because mailparser renders some values (the date of an
 * embedded message it cannot read) from the current time.
 */
import { createHash } from 'node:crypto';
import { MailParser, type AddressObject, type AttachmentStream, type HeaderValue, type MessageText, type StructuredHeader } from 'mailparser';
import type { FailedItem, MimeShape, RawAttachment, RawItem } from '../types.js';
import { htmlToText } from './html-to-text.js';
import { withoutTraceHeaders } from './trace-headers.js';

export interface EmailParseOptions {
  source: string;
  rawRef: string;
  /** Larger messages keep headers and attachment metadata; their text is cut with a note. */
  maxBytes: number;
  timeoutMs: number;
  /** When the message has no usable Date header: IMAP INTERNALDATE, file mtime. */
  fallbackDate: Date;
  foundInSpam?: boolean;
  /** The message's full size when `raw` is only its first bytes (a partial IMAP fetch). */
  declaredSize?: number;
  /** Attachment metadata known without the content (IMAP BODYSTRUCTURE of a partial fetch). */
  attachments?: RawAttachment[];
}

export type EmailParseResult = { ok: true; item: RawItem } | { ok: false; failure: FailedItem };

/**
 * Parser settings that keep pathological HTML from taking minutes (see NOTES-stack: mailparser).
 * HTML-only messages are converted to text by our own htmlToText (tables, no image URLs), the same
 * way whatever the MIME structure.
 */
const MAILPARSER_OPTIONS = {
  skipHtmlToText: true,
  skipTextToHtml: true,
  skipTextLinks: true,
  skipImageLinks: true,
  keepDeliveryStatus: true,
  checksumAlgo: 'sha256',
} as const;

/** HTML beyond this is not converted: a 7 MB marketing page holds no more complaint than its start. */
const MAX_HTML_CHARS = 1_000_000;

const OVERSIZE_TEXT_CHARS = 200_000;

interface Collected {
  headers: Map<string, HeaderValue>;
  headerLines: { key: string; line: string }[];
  text: MessageText | null;
  attachments: RawAttachment[];
}

export async function parseEmail(raw: Buffer, options: EmailParseOptions): Promise<EmailParseResult> {
  const fail = (reason: string, detail: string): EmailParseResult => ({
    ok: false,
    failure: { source: options.source, rawRef: options.rawRef, reason, detail },
  });
  if (raw.length === 0) return fail('empty', 'the file is empty');
  if (looksBinary(raw)) return fail('not_an_email', 'binary content, no RFC 5322 header section');

  const fullSize = Math.max(raw.length, options.declaredSize ?? 0);
  const oversize = fullSize > options.maxBytes;
  let collected: Collected;
  try {
    collected = await runParser(withoutTraceHeaders(raw), options.timeoutMs);
  } catch (err) {
    if (err instanceof ParseTimeout) return fail('parse_timeout', `not parsed within ${options.timeoutMs} ms`);
    return fail('parse_error', (err as Error).message);
  }
  const { headers } = collected;
  if (collected.headerLines.length === 0 || !hasAnyMailHeader(headers)) {
    return fail('not_an_email', 'no From, Date, Subject, Message-ID or Content-Type header');
  }

  const notes: string[] = [];
  let text = collected.text?.text;
  const html = collected.text?.html;
  if (!text?.trim() && html) {
    if (html.length > MAX_HTML_CHARS) notes.push(`HTML body is ${html.length} characters: only the first ${MAX_HTML_CHARS} were read`);
    text = htmlToText(html.slice(0, MAX_HTML_CHARS));
  }
  text ??= '';
  if (oversize) {
    notes.push(`message is ${formatBytes(fullSize)}, over the ${formatBytes(options.maxBytes)} limit: body truncated`);
    text = text.slice(0, OVERSIZE_TEXT_CHARS);
  }

  const from = firstAddress(headers.get('from'));
  const replyTo = firstAddress(headers.get('reply-to'));
  // Web forms and some providers send as no-reply with the customer in Reply-To.
  const author = from?.address && /no-?reply|do-?not-?reply/i.test(from.address) && replyTo?.address ? replyTo : from;

  // mailparser turns an unreadable Date into "now", which would make re-imports disagree: judge
  // the raw header line ourselves and fall back to the receive time the caller knows.
  const rawDate = rawHeaderValue(collected.headerLines, 'date');
  const date = headers.get('date');
  let sentAt = options.fallbackDate;
  if (date instanceof Date && !Number.isNaN(date.getTime()) && rawDate !== undefined && !Number.isNaN(Date.parse(rawDate))) {
    sentAt = date;
  } else if (rawDate !== undefined) {
    notes.push('Date header unreadable: used the time the message was received');
  }

  const subject = headerString(headers.get('subject'));
  const messageId = normaliseMessageId(headerString(headers.get('message-id')));
  const inReplyTo = normaliseMessageId(headerString(headers.get('in-reply-to')));
  const references = messageIds(headers.get('references'));

  const contentHash = createHash('sha256')
    .update(['from', 'date', 'subject'].map((k) => rawHeaderValue(collected.headerLines, k) ?? '').join('\u0000'))
    .update('\u0000')
    .update(normaliseLineEnds(bodyBytes(raw)))
    .digest('base64url')
    .slice(0, 22);

  const item: RawItem = {
    channel: 'email',
    source: options.source,
    externalId: messageId ? `${messageId}#${contentHash}` : `sha256:${contentHash}`,
    sentAt,
    author: {
      ...(author?.address ? { email: author.address.toLowerCase() } : {}),
      ...(author?.name ? { name: author.name } : {}),
    },
    text,
    headers: flattenHeaders(headers, collected.headerLines),
    mime: mimeShape(headers, collected.attachments),
    attachments: oversize && options.attachments ? options.attachments : collected.attachments,
    rawRef: options.rawRef,
    notes,
  };
  if (subject !== undefined) item.subject = subject;
  if (messageId) item.messageId = messageId;
  if (inReplyTo) item.inReplyTo = inReplyTo;
  if (references.length > 0) item.references = references;
  if (options.foundInSpam) item.foundInSpam = true;
  return { ok: true, item };
}

class ParseTimeout extends Error {}

function runParser(raw: Buffer, timeoutMs: number): Promise<Collected> {
  return new Promise<Collected>((resolve, reject) => {
    const parser = new MailParser(MAILPARSER_OPTIONS);
    const out: Collected = { headers: new Map(), headerLines: [], text: null, attachments: [] };
    let settled = false;
    const settle = (err: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (err) {
        parser.destroy();
        reject(err);
      } else resolve(out);
    };
    const timer = setTimeout(() => settle(new ParseTimeout()), timeoutMs);

    parser.on('headers', (headers: Map<string, HeaderValue>) => {
      out.headers = headers;
    });
    parser.on('headerLines', (lines: { key: string; line: string }[]) => {
      out.headerLines = lines;
    });
    // A throw inside a stream callback would crash the process: every handler reports through settle.
    const guard =
      <A extends unknown[]>(fn: (...args: A) => void) =>
      (...args: A) => {
        try {
          fn(...args);
        } catch (err) {
          settle(err instanceof Error ? err : new Error(String(err)));
        }
      };
    parser.on(
      'data',
      guard((data: AttachmentStream | MessageText) => {
        if (data.type === 'text') {
          out.text = data;
          return;
        }
        const attachment = data;
        let size = 0;
        attachment.content.on('data', (chunk: Buffer) => {
          size += chunk.length;
        });
        attachment.content.on(
          'end',
          guard(() => {
            out.attachments.push({
              name: typeof attachment.filename === 'string' ? attachment.filename : null,
              contentType: typeof attachment.contentType === 'string' ? attachment.contentType.toLowerCase() : 'application/octet-stream',
              size: attachment.size ?? size,
              sha256: attachment.checksum ?? null,
            });
            attachment.release?.();
          }),
        );
        attachment.content.on('error', (err: Error) => settle(err));
      }),
    );
    parser.on('error', (err: Error) => settle(err));
    parser.on('end', () => settle(null));
    parser.end(raw);
  });
}

/** The bytes after the header section (empty when there is no blank line). */
function bodyBytes(raw: Buffer): Buffer {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const cut = [crlf >= 0 ? crlf + 4 : -1, lf >= 0 ? lf + 2 : -1].filter((i) => i >= 0);
  return cut.length > 0 ? raw.subarray(Math.min(...cut)) : Buffer.alloc(0);
}

function normaliseLineEnds(bytes: Buffer): Buffer {
  return bytes.includes(13) ? Buffer.from(bytes.toString('latin1').replace(/\r\n?/g, '\n'), 'latin1') : bytes;
}

function rawHeaderValue(lines: { key: string; line: string }[], key: string): string | undefined {
  const line = lines.find((l) => l.key === key)?.line;
  return line?.slice(line.indexOf(':') + 1).replace(/\s+/g, ' ').trim();
}

/** More than a few NUL bytes at the start: an image, an archive, a database, not a message. */
function looksBinary(raw: Buffer): boolean {
  const head = raw.subarray(0, 4096);
  let nul = 0;
  for (let i = head.indexOf(0); i !== -1 && nul <= 8; i = head.indexOf(0, i + 1)) nul++;
  return nul > 8;
}

function hasAnyMailHeader(headers: Map<string, HeaderValue>): boolean {
  return ['from', 'date', 'subject', 'message-id', 'content-type', 'received', 'to', 'return-path'].some((h) => headers.has(h));
}

function firstAddress(value: HeaderValue | undefined): { address?: string; name?: string } | undefined {
  const obj = Array.isArray(value) ? value[0] : value;
  if (!obj || typeof obj !== 'object' || !('value' in obj) || !Array.isArray(obj.value)) return undefined;
  const first = (obj as AddressObject).value.flatMap((a) => (a.group ? a.group : [a]))[0];
  if (!first) return undefined;
  return { ...(first.address ? { address: first.address } : {}), ...(first.name ? { name: first.name } : {}) };
}

function headerString(value: HeaderValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.length > 0 ? headerString(value[0] as HeaderValue) : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toUTCString();
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('value' in value && typeof value.value === 'string') return formatStructured(value as StructuredHeader);
  return undefined;
}

function formatStructured(h: StructuredHeader): string {
  const params = Object.entries(h.params).map(([k, v]) => `; ${k}=${v}`);
  return h.value + params.join('');
}

function normaliseMessageId(value: string | undefined): string | undefined {
  const id = value?.trim().match(/<[^<>\s]+>/)?.[0] ?? value?.trim().split(/\s+/)[0];
  if (!id) return undefined;
  return id.startsWith('<') ? id : `<${id}>`;
}

function messageIds(value: HeaderValue | undefined): string[] {
  const list = Array.isArray(value) ? value : value !== undefined ? [value] : [];
  return list
    .flatMap((v) => (typeof v === 'string' ? (v.match(/<[^<>\s]+>/g) ?? [normaliseMessageId(v)]) : []))
    .filter((v): v is string => v !== undefined)
    .filter((v, i, all) => all.indexOf(v) === i);
}

// Headers whose decoded, parsed form is what a reader wants (addresses, encoded words).
const PARSED_HEADERS = new Set(['from', 'to', 'cc', 'reply-to', 'subject']);

/**
 * One string per header name (the first occurrence), from the raw lines: mailparser folds all
 * List-* headers into one object and renders some others lossily, and the recognisers of
 * automated mail need them as sent.
 */
function flattenHeaders(headers: Map<string, HeaderValue>, lines: { key: string; line: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, line } of lines) {
    if (key in out) continue;
    const parsed = PARSED_HEADERS.has(key) ? headerString(headers.get(key)) : undefined;
    out[key] = parsed ?? line.slice(line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim();
  }
  return out;
}

function mimeShape(headers: Map<string, HeaderValue>, attachments: RawAttachment[]): MimeShape {
  const ct = headers.get('content-type');
  const structured = ct && typeof ct === 'object' && !Array.isArray(ct) && 'params' in ct ? (ct as StructuredHeader) : undefined;
  const shape: MimeShape = {
    contentType: (structured?.value ?? 'text/plain').toLowerCase(),
    partTypes: [...new Set(attachments.map((a) => a.contentType))],
  };
  const reportType = structured?.params['report-type'];
  if (reportType) shape.reportType = reportType.toLowerCase();
  return shape;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
