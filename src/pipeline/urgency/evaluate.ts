/**
 * Scoring the urgency rules against labelled text: per-level precision, recall and F1, macro-F1,
 * a confusion matrix, and the misses a rules author should read first. Pure: the caller scores
 * the items and prints the result.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { evaluateLabels } from '../evaluation.js';
import type { UrgencyLevel, UrgencyReason } from './engine.js';

export const LEVELS: readonly UrgencyLevel[] = ['critical', 'high', 'normal', 'low'];

const level = z.enum(['critical', 'high', 'normal', 'low']);

/** One line of a labelled set (tests/fixtures/triage/*.jsonl). */
export const labelledItemSchema = z.object({
  id: z.string().min(1),
  lang: z.string().min(2),
  /** Where the text comes from: `owner/repo@commit:path#row`. */
  src: z.string().min(1),
  text: z.string().min(1),
  subject: z.string().optional(),
  /** The settled label. */
  urgency: level,
  split: z.enum(['dev', 'heldout']),
  /** Each annotator's label before settling (see the set's README). */
  labels: z.record(z.string(), level).optional(),
  /** The settled primary complaint category (category-rubric.md), and a second one if any. */
  category: z.string().regex(/^[a-z][a-z0-9_]*$/).optional(),
  also: z.array(z.string()).optional(),
  /** Each annotator's category before settling. */
  categoryLabels: z.record(z.string(), z.object({ category: z.string(), also: z.array(z.string()) })).optional(),
});
export type LabelledItem = z.infer<typeof labelledItemSchema>;

/**
 * The held-out part: three in ten items, chosen by a hash of the id, so the split is stable,
 * independent of file order, and owes nothing to the text.
 */
export function splitFor(id: string): 'dev' | 'heldout' {
  const h = createHash('sha256').update(id).digest().readUInt16BE(0);
  return h % 10 < 3 ? 'heldout' : 'dev';
}

export interface Scored {
  item: LabelledItem;
  predicted: UrgencyLevel;
  score: number;
  reasons: UrgencyReason[];
}

export interface LevelScore {
  level: UrgencyLevel;
  precision: number;
  recall: number;
  f1: number;
  /** Items labelled with this level. */
  support: number;
  /** Items predicted at this level. */
  predicted: number;
}

export interface Evaluation {
  n: number;
  accuracy: number;
  macroF1: number;
  levels: LevelScore[];
  /** confusion[expected][predicted], both in LEVELS order. */
  confusion: number[][];
  /** Wrong predictions, the worst first: furthest apart, then missed urgency before false alarms. */
  misses: Scored[];
}

const rank = (l: UrgencyLevel): number => LEVELS.indexOf(l);

export function evaluate(scored: Scored[]): Evaluation {
  const e = evaluateLabels(
    scored.map((s) => ({ expected: s.item.urgency, predicted: s.predicted })),
    LEVELS,
  );
  const misses = scored
    .filter((s) => s.predicted !== s.item.urgency)
    .sort((a, b) => severity(b) - severity(a) || a.item.id.localeCompare(b.item.id));
  return {
    n: e.n,
    accuracy: e.accuracy,
    macroF1: e.macroF1,
    levels: e.labels.map(({ label, ...rest }) => ({ level: label, ...rest })),
    confusion: e.confusion,
    misses,
  };
}

/** Distance between the levels; an under-rating (urgent text shown late) weighs more. */
function severity(s: Scored): number {
  const d = rank(s.predicted) - rank(s.item.urgency);
  return d > 0 ? d * 2 + 1 : -d * 2;
}

export interface FormatOptions {
  title: string;
  /** How many misses to list (0: none). */
  misses: number;
}

export function formatEvaluation(e: Evaluation, opts: FormatOptions): string {
  const pct = (x: number) => x.toFixed(2);
  const out: string[] = [];
  out.push(`${opts.title}: ${e.n} items, accuracy ${pct(e.accuracy)}, macro-F1 ${pct(e.macroF1)}`);
  out.push('');
  out.push('  level      precision  recall  F1     labelled  predicted');
  for (const l of e.levels) {
    out.push(
      `  ${l.level.padEnd(9)}  ${pct(l.precision).padStart(9)}  ${pct(l.recall).padStart(6)}  ${pct(l.f1).padStart(4)}  ${String(l.support).padStart(8)}  ${String(l.predicted).padStart(9)}`,
    );
  }
  out.push('');
  out.push('  confusion (rows: label, columns: predicted)');
  out.push(`  ${''.padEnd(9)}  ${LEVELS.map((l) => l.padStart(8)).join('')}`);
  LEVELS.forEach((l, i) => out.push(`  ${l.padEnd(9)}  ${e.confusion[i]!.map((c) => String(c).padStart(8)).join('')}`));
  if (opts.misses > 0 && e.misses.length > 0) {
    out.push('');
    out.push(`  worst misses (${Math.min(opts.misses, e.misses.length)} of ${e.misses.length})`);
    for (const m of e.misses.slice(0, opts.misses)) {
      const why = m.reasons.length > 0 ? m.reasons.map((r) => `${r.code}${r.points >= 0 ? '+' : ''}${r.points}${r.evidence ? ` "${r.evidence}"` : ''}`).join(', ') : 'no signal';
      out.push(`  - ${m.item.id}  label ${m.item.urgency}, got ${m.predicted} (score ${m.score}): ${why}`);
      out.push(`      ${oneLine(m.item.text, 160)}`);
    }
  }
  return out.join('\n');
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
