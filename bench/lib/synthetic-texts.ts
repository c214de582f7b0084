/**
 * The message texts of a synthetic database: the real texts bundled with the project (the labelled
 * triage set in tests/fixtures/triage, en/id/zh; the sample mails and posts in samples/), varied
 * (greetings, amounts, subjects) and prepared once each through the real pipeline, so every stored
 * urgency reason, category, fact, redaction and fingerprint is what ingestion would have stored for
 * that text. A million messages then draw from a few thousand prepared templates; what changes per
 * message (author, times, ids, a sign-off with the customer's name, a quoted request number) is
 * added at the end of the body, so the facts' spans stay true.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RawItem } from '../../connectors/types.js';
import { parseEmail } from '../../connectors/email/parse-email.js';
import { parsePostLine } from '../../connectors/file/posts-jsonl.js';
import type { Pipeline } from '../../src/pipeline/pipeline.js';
import type { PipelineItem } from '../../src/pipeline/prepare.js';
import { labelledItemSchema } from '../../src/pipeline/urgency/evaluate.js';

export type Lang = 'en' | 'id' | 'zh';
export const LANGS: readonly Lang[] = ['en', 'id', 'zh'];

const ROOT = join(import.meta.dirname, '../..');
/** Every file whose content the templates come from (the cache key hashes them). */
export const TEXT_SOURCES = [join(ROOT, 'tests/fixtures/triage'), join(ROOT, 'samples/email'), join(ROOT, 'samples/posts')];

/** Longest text posted on X as is (longer ones are emails only). */
const X_MAX_CHARS = 280;

interface BaseText {
  lang: Lang;
  text: string;
  /** Sample mails carry their own subject. */
  subject?: string;
}

/** A prepared message text: what the store keeps for it, less the per-message fields. */
export interface Template {
  /** Which base text it varies (follow-ups of a case repeat the same complaint). */
  base: number;
  lang: Lang;
  item: PipelineItem;
}

export interface TemplatePools {
  email: Template[];
  x: Template[];
  /** Pool indexes by language, per channel. */
  byLang: { email: Record<Lang, number[]>; x: Record<Lang, number[]> };
  /** Pool indexes by base text, per channel. */
  byBase: { email: Map<number, number[]>; x: Map<number, number[]> };
}

const GREETINGS: Record<Lang, string[]> = {
  en: ['Hello,', 'Hi team,', 'Dear SakuPay,', 'Good morning,', ''],
  id: ['Halo min,', 'Selamat siang SakuPay,', 'Selamat pagi,', 'Dengan hormat,', ''],
  zh: ['您好，', '你好，', '客服你好，', ''],
};

const SIGN_OFFS: Record<Lang, string[]> = {
  en: ['Regards,', 'Thanks,', 'Best,', 'Sent from my phone'],
  id: ['Terima kasih,', 'Hormat saya,', 'Salam,', 'Dikirim dari HP saya'],
  zh: ['谢谢', '此致', '盼复'],
};

/** A follow-up that quotes its case's number (dedupe rule 3). `{n}`: the request number. */
const QUOTES: Record<Lang, string[]> = {
  en: ['My request number is {n} and nobody has answered yet.', 'Following up on {n}, still not solved.'],
  id: ['No. laporan saya {n}, sampai sekarang belum ada jawaban.', 'Menindaklanjuti laporan {n}, masih belum beres.'],
  zh: ['我的工单号是{n}，到现在还没有回复。', '跟进一下{n}，问题还是没有解决。'],
};

const FALLBACK_SUBJECTS: Record<Lang, string[]> = {
  en: ['Complaint', 'Need help with my account', 'Problem with a transaction'],
  id: ['Keluhan', 'Mohon bantuan', 'Masalah transaksi'],
  zh: ['投诉', '请帮忙处理', '交易问题'],
};

function langOf(value: string | undefined, fallback: Lang): Lang {
  if (value === 'in' || value === 'id') return 'id';
  if (value === 'en' || value === 'zh') return value;
  return fallback;
}

async function loadBaseTexts(): Promise<BaseText[]> {
  const out: BaseText[] = [];
  const [triage, emails, posts] = TEXT_SOURCES as [string, string, string];
  for (const file of readdirSync(triage).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(triage, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const item = labelledItemSchema.parse(JSON.parse(line));
      out.push({ lang: langOf(item.lang, 'en'), text: item.text });
    }
  }
  for (const file of readdirSync(emails).filter((f) => f.endsWith('.eml')).sort()) {
    const parsed = await parseEmail(readFileSync(join(emails, file)), {
      source: 'samples',
      rawRef: file,
      maxBytes: 25 * 1024 * 1024,
      timeoutMs: 30_000,
      fallbackDate: new Date(0),
    });
    if (!parsed.ok) throw new Error(`sample ${file} does not parse: ${parsed.failure.detail}`);
    const lang = langOf(/-(en|id|zh)\.eml$/.exec(file)?.[1], 'en');
    out.push({ lang, text: parsed.item.text, ...(parsed.item.subject ? { subject: parsed.item.subject } : {}) });
  }
  for (const file of readdirSync(posts).filter((f) => f.endsWith('.jsonl')).sort()) {
    for (const line of readFileSync(join(posts, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const parsed = parsePostLine(line, 'samples', file);
      if (!parsed.ok) throw new Error(`sample post in ${file} does not parse: ${parsed.detail}`);
      out.push({ lang: langOf(parsed.item.lang, 'en'), text: parsed.item.text });
    }
  }
  return out;
}

/** Rupiah amounts vary per variant (Rp 1.500.000 -> Rp 2.350.000); the shape of the amount stays. */
function varyAmounts(text: string, rand: () => number): string {
  return text.replace(/\b(Rp\.? ?)(\d{1,3}(?:\.\d{3})+)\b/g, (_, prefix: string, digits: string) => {
    const groups = digits.split('.').length - 1;
    const lead = 1 + Math.floor(rand() * 99);
    return prefix + [String(lead), ...Array.from({ length: groups }, (_x, i) => (i === 0 ? String(Math.floor(rand() * 10)) + '00' : '000'))].join('.');
  });
}

/** A subject the way customers write one: their first sentence, cut at a word. */
function subjectFrom(text: string, lang: Lang, rand: () => number): string {
  const first = text.replace(/^@\w+\s+/, '').split(/[\n.!?。！？]/)[0]?.trim() ?? '';
  const max = lang === 'zh' ? 20 : 60;
  if (first.length < 8 || rand() < 0.2) return pick(FALLBACK_SUBJECTS[lang], rand);
  if (first.length <= max) return first;
  const cut = lang === 'zh' ? max : first.lastIndexOf(' ', max);
  return first.slice(0, cut > 10 ? cut : max);
}

export function pick<T>(xs: readonly T[], rand: () => number): T {
  return xs[Math.floor(rand() * xs.length)]!;
}

function raw(channel: 'email' | 'x', text: string, subject: string | undefined, lang: Lang): RawItem {
  return {
    channel,
    source: 'synthetic',
    externalId: 'template',
    sentAt: new Date(Date.UTC(2026, 0, 1)),
    author: channel === 'email' ? { email: 'template@mail.example.com' } : { handle: 'template' },
    ...(subject !== undefined ? { subject } : {}),
    text,
    lang,
    attachments: [],
    rawRef: 'template',
  };
}

/**
 * `variants` prepared versions of every base text per channel (X only for texts that fit a post).
 * Texts the pipeline does not take for a complaint (a bounce, an auto-reply among the samples) are
 * left out: every synthetic message belongs to a case.
 */
export async function prepareTemplates(pipeline: Pipeline, variants: number, rand: () => number): Promise<TemplatePools> {
  const bases = await loadBaseTexts();
  const pools: TemplatePools = {
    email: [],
    x: [],
    byLang: { email: { en: [], id: [], zh: [] }, x: { en: [], id: [], zh: [] } },
    byBase: { email: new Map(), x: new Map() },
  };
  const add = (channel: 'email' | 'x', base: number, lang: Lang, item: PipelineItem) => {
    // A text quoting one of our own numbers would have joined that case: not a first message.
    if (item.kind !== 'complaint' || item.requestNumbers.some((r) => r.system === 'issued')) return;
    const pool = pools[channel];
    pools.byLang[channel][lang].push(pool.length);
    const same = pools.byBase[channel].get(base) ?? [];
    same.push(pool.length);
    pools.byBase[channel].set(base, same);
    pool.push({ base, lang, item });
  };
  bases.forEach((b, base) => {
    for (let v = 0; v < variants; v++) {
      const text = v === 0 ? b.text : varyAmounts(b.text, rand);
      const greeting = pick(GREETINGS[b.lang], rand);
      const subject = b.subject !== undefined && v === 0 ? b.subject : subjectFrom(b.text, b.lang, rand);
      add('email', base, b.lang, pipeline.prepare(raw('email', greeting ? `${greeting}\n\n${text}` : text, subject, b.lang)));
      if (b.text.length <= X_MAX_CHARS) {
        const post = /^@\w/.test(text) ? text : `@SakuPay ${text}`;
        add('x', base, b.lang, pipeline.prepare(raw('x', post, undefined, b.lang)));
      }
    }
  });
  for (const channel of ['email', 'x'] as const) {
    for (const lang of LANGS) {
      if (pools.byLang[channel][lang].length === 0) throw new Error(`no ${lang} ${channel} template: are tests/fixtures/triage and samples/ complete?`);
    }
  }
  return pools;
}

/** What a message adds after its template's body: a follow-up's quoted number, a sign-off. */
export function bodySuffix(lang: Lang, channel: 'email' | 'x', name: string, quoted: string | null, rand: () => number): string {
  const quote = quoted !== null ? pick(QUOTES[lang], rand).replace('{n}', quoted) : '';
  if (channel === 'x') return quote ? ` ${quote}` : '';
  return `${quote ? `\n\n${quote}` : ''}\n\n${pick(SIGN_OFFS[lang], rand)}\n${name}`;
}
