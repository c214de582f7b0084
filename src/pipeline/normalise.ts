/**
 * Text normalisation: one canonical form for everything stored and compared, so redaction,
 * request-number recognition and urgency rules see the same characters whatever the customer's
 * keyboard (full-width digits, zero-width spaces, CRLF).
 */

// Zero-width and bidi control characters that customers' phones insert invisibly.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
// C0/C1 controls other than tab and newline.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** NFKC, LF newlines, no invisible/control characters, no trailing spaces, at most one blank line in a row. */
export function normaliseText(input: string): string {
  return input
    .replace(/\r\n?/g, '\n')
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(CONTROL, '')
    .replace(/[ \t\u00A0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A single line: whitespace collapsed. */
export function normaliseLine(input: string): string {
  return normaliseText(input).replace(/\s+/g, ' ');
}

const SUBJECT_PREFIX = /^\s*(?:(?:re|fw|fwd|aw|wg|sv|vs|antw|tr|balas|bls|tl|rv|回复|回覆|答复|转发|轉寄)\s*(?:\[\d+\])?\s*[:：]\s*)+/i;

/** Subject without reply/forward prefixes ("Re: FW: Balas:"), for display and comparison. */
export function stripSubjectPrefixes(subject: string): string {
  return subject.replace(SUBJECT_PREFIX, '').trim();
}

// Lines that start the quoted history of a reply (or a signature), in the languages our customers
// write: one expression, tested once per line.
const HISTORY_STARTS = new RegExp(
  [
    String.raw`^On .{4,200}\bwrote:?$`,
    String.raw`^Pada .{4,200}\bmenulis:?$`,
    String.raw`^在.{2,200}写道[:：]?$`,
    String.raw`^-{2,}\s*(?:Original Message|Pesan Asli|原始邮件|Forwarded message|Pesan terusan|转发的邮件)\s*-{2,}$`,
    String.raw`^_{10,}$`,
    // Outlook-style header blocks of the quoted message (an address makes them unambiguous).
    String.raw`^(?:From|Dari|发件人)\s*[:：].*[@<].*$`,
    // Signatures.
    String.raw`^-- ?$`,
    String.raw`^(?:Sent from my |Dikirim dari |发自我的|Get Outlook for )`,
  ].join('|'),
  'i',
);

/**
 * The part of a message the customer wrote now: quoted lines (">") dropped, and everything from
 * a reply header ("On ... wrote:") or signature marker on. Falls back to the whole text when the
 * customer wrote nothing above the quote (a bare forward).
 */
export function freshText(text: string): string {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (HISTORY_STARTS.test(trimmed)) break;
    if (trimmed.startsWith('>')) continue;
    out.push(line);
  }
  const fresh = out.join('\n').trim();
  return fresh.length > 0 ? fresh : text.replace(/^\s*>+ ?/gm, '').trim();
}

/**
 * Where the quoted history of a message begins (the first reply header or signature marker), or
 * the text's length: `text.slice(0, historyStart(text))` is what the customer wrote now, with its
 * character positions unchanged.
 */
export function historyStart(text: string): number {
  let at = 0;
  for (const line of text.split('\n')) {
    if (HISTORY_STARTS.test(line.trim())) return at;
    at += line.length + 1;
  }
  return text.length;
}

/** "@SakuPay @bank_x how do I..." -> "how do I...": the addressees are not what the customer says. */
export function stripLeadingMentions(text: string): string {
  return text.replace(/^(?:\s*@[\p{L}\p{N}_]{1,50})+[\s,:]*/u, '');
}
