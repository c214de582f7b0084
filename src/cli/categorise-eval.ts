/**
 * `complaint-monitor categorise --eval FILE...`: the category rules scored on the labelled set's
 * primary categories, development and held-out splits apart; misses listed for development only.
 */
import type { CategoryClassifier } from '../pipeline/categories/classifier.js';
import { evaluateLabels, formatLabelEvaluation, type LabelEvaluation } from '../pipeline/evaluation.js';
import type { LabelledItem } from '../pipeline/urgency/evaluate.js';
import { CliUsageError } from './command.js';

export interface CategoryMiss {
  id: string;
  expected: string;
  predicted: string;
  confidence: number;
  evidence: string[];
  text: string;
}

export interface CategoryReport {
  dev: LabelEvaluation;
  heldout: LabelEvaluation;
  byLanguage: Record<string, { dev: LabelEvaluation; heldout: LabelEvaluation }>;
  /** Development misses, the most confident first. */
  misses: CategoryMiss[];
}

export function categoryReport(classifier: CategoryClassifier, items: LabelledItem[]): CategoryReport {
  const order = [...classifier.rules.categories.map((c) => c.id), classifier.rules.other.id];
  const known = new Set(order);
  const scored = items.map((item) => {
    if (item.category === undefined) throw new CliUsageError(`item ${item.id} has no "category" label`);
    if (!known.has(item.category)) throw new CliUsageError(`item ${item.id}: category "${item.category}" is not in the rules (${order.join(', ')})`);
    const text = item.subject ? `${item.subject}\n${item.text}` : item.text;
    return { item, result: classifier.classify(text), expected: item.category };
  });
  const part = (list: typeof scored) => ({
    dev: evaluateLabels(list.filter((s) => s.item.split === 'dev').map((s) => ({ expected: s.expected, predicted: s.result.primary })), order),
    heldout: evaluateLabels(list.filter((s) => s.item.split === 'heldout').map((s) => ({ expected: s.expected, predicted: s.result.primary })), order),
  });
  const langs = [...new Set(items.map((i) => i.lang))].sort();
  const misses = scored
    .filter((s) => s.item.split === 'dev' && s.result.primary !== s.expected)
    .map((s) => ({
      id: s.item.id,
      expected: s.expected,
      predicted: s.result.primary,
      confidence: s.result.confidence,
      evidence: s.result.labels[0]?.evidence ?? [],
      text: s.item.text,
    }))
    .sort((a, b) => b.confidence - a.confidence || a.id.localeCompare(b.id));
  return { ...part(scored), byLanguage: Object.fromEntries(langs.map((l) => [l, part(scored.filter((s) => s.item.lang === l))])), misses };
}

export function formatCategoryReport(r: CategoryReport, split: 'dev' | 'heldout' | 'both', misses: number): string {
  const out: string[] = [];
  if (split !== 'heldout') out.push(...formatLabelEvaluation(r.dev, 'development split', { microName: 'micro-F1 (primary)' }));
  if (split !== 'dev') {
    if (out.length > 0) out.push('');
    out.push(...formatLabelEvaluation(r.heldout, 'held-out split (misses not listed)', { microName: 'micro-F1 (primary)' }));
  }
  if (split !== 'heldout' && misses > 0 && r.misses.length > 0) {
    out.push('', `  worst development misses (${Math.min(misses, r.misses.length)} of ${r.misses.length})`);
    for (const m of r.misses.slice(0, misses)) {
      const flat = m.text.replace(/\s+/g, ' ').trim();
      out.push(`  - ${m.id}  label ${m.expected}, got ${m.predicted} (confidence ${m.confidence.toFixed(2)}${m.evidence.length ? `: ${m.evidence.map((e) => `"${e}"`).join(', ')}` : ''})`);
      out.push(`      ${flat.length > 160 ? flat.slice(0, 159) + '…' : flat}`);
    }
  }
  out.push('', 'by language (micro-F1 of the primary category)');
  for (const [lang, p] of Object.entries(r.byLanguage)) {
    const parts = [split !== 'heldout' ? `dev ${p.dev.accuracy.toFixed(2)} (${p.dev.n})` : '', split !== 'dev' ? `held-out ${p.heldout.accuracy.toFixed(2)} (${p.heldout.n})` : ''].filter(Boolean);
    out.push(`  ${lang.padEnd(4)} ${parts.join('   ')}`);
  }
  return out.join('\n');
}
