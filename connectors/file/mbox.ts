/**
 * Streams the messages of an mbox file one at a time: memory holds one message, whatever the size
 * of the file. Handles mboxo and mboxrd (">From " unquoting) with LF or CRLF line ends.
 */
import { createReadStream } from 'node:fs';

export interface MboxMessage {
  /** Byte offset of the message's "From " separator line in the file. */
  offset: number;
  /** 1-based position in the file. */
  index: number;
  /** The date on the separator line ("From sender Tue Nov 24 09:12:03 2026"), if readable. */
  envelopeDate: Date | null;
  raw: Buffer;
}

const FROM_ = Buffer.from('From ');
const ASCTIME_SEPARATOR = /^From \S+ +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) /;

export async function* readMbox(path: string): AsyncGenerator<MboxMessage> {
  let lines: Buffer[] = [];
  let messageOffset = -1;
  let envelope: string | null = null;
  let index = 0;
  let position = 0;
  let previousBlank = true;
  let partial: Buffer | null = null;

  const finish = (): MboxMessage | null => {
    if (messageOffset < 0) return null;
    // The blank line before the next separator belongs to the mbox format, not the message.
    let end = lines.length;
    if (end > 0 && isBlank(lines[end - 1]!)) end--;
    const msg: MboxMessage = { offset: messageOffset, index: ++index, envelopeDate: envelopeDate(envelope), raw: Buffer.concat(lines.slice(0, end)) };
    lines = [];
    return msg;
  };

  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const data: Buffer = partial ? Buffer.concat([partial, chunk]) : chunk;
    partial = null;
    let start = 0;
    for (;;) {
      const nl = data.indexOf(10, start);
      if (nl < 0) break;
      const line = data.subarray(start, nl + 1);
      const lineOffset = position + start;
      start = nl + 1;
      if (startsWith(line, FROM_) && (previousBlank || ASCTIME_SEPARATOR.test(line.toString('latin1')))) {
        const done = finish();
        if (done) yield done;
        messageOffset = lineOffset;
        envelope = line.toString('latin1').trim();
        previousBlank = false;
        continue;
      }
      previousBlank = isBlank(line);
      if (messageOffset >= 0) lines.push(unquoteFrom(line));
    }
    position += start;
    partial = start < data.length ? Buffer.from(data.subarray(start)) : null;
  }
  if (partial && messageOffset >= 0) lines.push(unquoteFrom(partial));
  const last = finish();
  if (last) yield last;
}

/** True when the file starts like an mbox ("From " separator line). */
export function looksLikeMbox(head: Buffer): boolean {
  return startsWith(head, FROM_);
}

function startsWith(buf: Buffer, prefix: Buffer): boolean {
  return buf.length >= prefix.length && buf.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;
}

function isBlank(line: Buffer): boolean {
  return line.length === 0 || (line.length === 1 && line[0] === 10) || (line.length === 2 && line[0] === 13 && line[1] === 10);
}

// mboxrd: ">From " -> "From ", ">>From " -> ">From ".
function unquoteFrom(line: Buffer): Buffer {
  if (line[0] !== 0x3e) return line;
  let i = 0;
  while (line[i] === 0x3e) i++;
  return startsWith(line.subarray(i), FROM_) ? line.subarray(1) : line;
}

function envelopeDate(separator: string | null): Date | null {
  const m = separator?.match(/^From \S+\s+(.+)$/);
  if (!m) return null;
  const d = new Date(m[1]!);
  return Number.isNaN(d.getTime()) ? null : d;
}
