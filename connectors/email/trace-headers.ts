/**
 * Relay and signature headers (Received, DKIM-Signature, ARC-*, X-Google-*, ...): on mail from the
 * large providers they are two thirds of the header section, and triage uses none of them. They
 * are cut from the bytes before parsing, which makes parsing such mail about a third faster; the
 * original (mailbox, file) keeps them.
 */

const TRACE_HEADER =
  /^(?:received|x-received|received-spf|dkim-signature|domainkey-signature|x-google-[\w-]+|x-gm-[\w-]+|arc-[\w-]+|x-ms-exchange-[\w-]+|x-microsoft-[\w-]+|x-forefront-[\w-]+|x-mailgun-[\w-]+|x-ses-[\w-]+)$/i;

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;
const COLON = 0x3a;

/** The message with trace headers (and their folded continuation lines) removed; bytes otherwise untouched. */
export function withoutTraceHeaders(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let keptFrom = 0;
  let skipping = false;
  let removed = false;
  let pos = 0;
  while (pos < raw.length) {
    const nl = raw.indexOf(LF, pos);
    const lineEnd = nl < 0 ? raw.length : nl + 1;
    const first = raw[pos];
    // A blank line ends the header section.
    if (first === LF || (first === CR && raw[pos + 1] === LF)) break;
    const continuation = first === SPACE || first === TAB;
    if (!continuation) {
      const colon = raw.indexOf(COLON, pos);
      const name = colon > pos && colon < lineEnd ? raw.toString('latin1', pos, colon).trim() : '';
      const trace = name !== '' && TRACE_HEADER.test(name);
      if (trace && !skipping) {
        parts.push(raw.subarray(keptFrom, pos));
        removed = true;
      } else if (!trace && skipping) {
        keptFrom = pos;
      }
      skipping = trace;
    }
    pos = lineEnd;
  }
  if (!removed) return raw;
  if (skipping) keptFrom = pos;
  parts.push(raw.subarray(keptFrom));
  return Buffer.concat(parts);
}
