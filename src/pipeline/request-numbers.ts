/**
 * Request numbers: the ones we issue (format configurable, default REQ-YYYY-NNNNNN) and the
 * numbers of other systems that customers quote (legacy helpdesk, hotline). Recognition is
 * anchored on the format's prefix or on a word naming the number, so amounts, phone numbers,
 * dates, card numbers and order ids are never taken for request numbers.
 */
import { execAll } from './exec-all.js';

export const ISSUED_SYSTEM = 'issued';

export interface RecognisedNumber {
  /** `issued` for our own format, else the pattern's system name. */
  system: string;
  /** Canonical form: REQ-2026-000123 for issued numbers, the `id` group for others. */
  value: string;
  /** Offset in the text it was found in (for highlighting). */
  index: number;
}

export interface ReferencePattern {
  system: string;
  regex: string;
}

interface FormatPart {
  kind: 'literal' | 'year4' | 'year2' | 'seq';
  text: string;
  width: number;
}

/** A compiled request-number format: issues numbers and recognises them in text. */
export class RequestNumberFormat {
  private readonly parts: FormatPart[];
  private readonly recogniser: RegExp;

  constructor(readonly format: string) {
    this.parts = parseFormat(format);
    if (this.parts.filter((p) => p.kind === 'seq').length !== 1) {
      throw new Error(`request number format "${format}" must contain exactly one {SEQ:n}`);
    }
    this.recogniser = buildRecogniser(this.parts);
  }

  /** The sequence scope a number issued at `date` belongs to: the format without its sequence. */
  scope(date: Date, timeZone: string): string {
    const year = yearIn(date, timeZone);
    return this.parts.map((p) => (p.kind === 'seq' ? '#' : render(p, year, 0))).join('');
  }

  issue(sequence: number, date: Date, timeZone: string): string {
    const year = yearIn(date, timeZone);
    return this.parts.map((p) => render(p, year, sequence)).join('');
  }

  /** Our own numbers in `text`, canonicalised (REQ 2026 123 -> REQ-2026-000123). */
  recognise(text: string): RecognisedNumber[] {
    const out: RecognisedNumber[] = [];
    for (const m of execAll(this.recogniser, text)) {
      const groups = m.groups ?? {};
      const year = groups.y4 ? Number(groups.y4) : groups.y2 ? 2000 + Number(groups.y2) : 0;
      const seq = Number(groups.seq);
      if (!Number.isSafeInteger(seq) || seq === 0) continue;
      out.push({ system: ISSUED_SYSTEM, value: this.parts.map((p) => render(p, year, seq)).join(''), index: m.index });
    }
    return out;
  }
}

export class ReferenceRecogniser {
  private readonly compiled: { system: string; re: RegExp }[];

  constructor(
    private readonly format: RequestNumberFormat,
    patterns: readonly ReferencePattern[],
  ) {
    this.compiled = patterns.map((p) => ({ system: p.system, re: new RegExp(p.regex, 'giu') }));
  }

  /** All request numbers in the texts, in order of appearance, each (system, value) once. */
  recognise(...texts: (string | undefined)[]): RecognisedNumber[] {
    const found: RecognisedNumber[] = [];
    const seen = new Set<string>();
    let offset = 0;
    for (const text of texts) {
      if (!text) continue;
      const inText = [...this.format.recognise(text)];
      for (const { system, re } of this.compiled) {
        for (const m of execAll(re, text)) {
          const raw = m.groups?.id ?? m[0];
          inText.push({ system, value: raw.replace(/\s+/g, ' ').trim().toUpperCase(), index: m.index });
        }
      }
      inText.sort((a, b) => a.index - b.index);
      for (const n of inText) {
        const key = `${n.system}\u0000${n.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ ...n, index: n.index + offset });
      }
      offset += text.length + 1;
    }
    return found;
  }
}

function parseFormat(format: string): FormatPart[] {
  const parts: FormatPart[] = [];
  const token = /\{(YYYY|YY|SEQ:(\d))\}/g;
  let last = 0;
  for (const m of format.matchAll(token)) {
    if (m.index > last) parts.push({ kind: 'literal', text: format.slice(last, m.index), width: 0 });
    if (m[1] === 'YYYY') parts.push({ kind: 'year4', text: '', width: 4 });
    else if (m[1] === 'YY') parts.push({ kind: 'year2', text: '', width: 2 });
    else parts.push({ kind: 'seq', text: '', width: Number(m[2]) });
    last = m.index + m[0].length;
  }
  if (last < format.length) parts.push({ kind: 'literal', text: format.slice(last), width: 0 });
  return parts;
}

function render(part: FormatPart, year: number, seq: number): string {
  switch (part.kind) {
    case 'literal':
      return part.text;
    case 'year4':
      return String(year).padStart(4, '0');
    case 'year2':
      return String(year % 100).padStart(2, '0');
    case 'seq':
      return String(seq).padStart(part.width, '0');
  }
}

/**
 * Customers retype numbers loosely: "req 2026 123", "REQ2026000123", "Req-2026-000123". Letters
 * match case-insensitively, separators (- _ / . space) are optional, the sequence may lose its
 * leading zeros. The number must stand alone: no Latin letter or digit glued on either side
 * (Chinese text has no spaces, so a CJK character next to it is fine).
 */
function buildRecogniser(parts: FormatPart[]): RegExp {
  const src = parts
    .map((p) => {
      switch (p.kind) {
        case 'literal':
          return [...p.text]
            .map((ch) => (/[-_/. ]/.test(ch) ? '[-_/. ]?' : escapeRegex(ch)))
            .join('');
        case 'year4':
          return '(?<y4>\\d{4})';
        case 'year2':
          return '(?<y2>\\d{2})';
        case 'seq':
          return `(?<seq>\\d{1,${p.width + 2}})`;
      }
    })
    .join('');
  return new RegExp(`(?<![\\p{Script=Latin}\\p{N}])${src}(?![\\p{Script=Latin}\\p{N}])`, 'giu');
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const yearFormatters = new Map<string, Intl.DateTimeFormat>();
function yearIn(date: Date, timeZone: string): number {
  let f = yearFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en', { timeZone, year: 'numeric' });
    yearFormatters.set(timeZone, f);
  }
  return Number(f.format(date));
}
