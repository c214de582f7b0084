/**
 * Scoring a classifier against labelled text, for any label set: per-label precision, recall and
 * F1, macro-F1, micro-F1 (accuracy, for one label per item), and a confusion matrix.
 */

export interface LabelScore<L extends string = string> {
  label: L;
  precision: number;
  recall: number;
  f1: number;
  /** Items labelled with this label. */
  support: number;
  /** Items predicted with this label. */
  predicted: number;
}

export interface LabelEvaluation<L extends string = string> {
  n: number;
  /** Correct / all: for one label per item this is micro-F1. */
  accuracy: number;
  /** Mean F1 over the labels that occur (labelled or predicted). */
  macroF1: number;
  labels: LabelScore<L>[];
  /** confusion[expected][predicted], in `order`. */
  confusion: number[][];
  order: readonly L[];
}

export function evaluateLabels<L extends string>(pairs: readonly { expected: L; predicted: L }[], order: readonly L[]): LabelEvaluation<L> {
  const index = new Map(order.map((l, i) => [l, i]));
  const at = (l: L) => {
    const i = index.get(l);
    if (i === undefined) throw new Error(`label "${l}" is not one of ${order.join(', ')}`);
    return i;
  };
  const confusion = order.map(() => order.map(() => 0));
  for (const p of pairs) confusion[at(p.expected)]![at(p.predicted)]!++;
  const labels = order.map((label, i): LabelScore<L> => {
    const tp = confusion[i]![i]!;
    const support = confusion[i]!.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + row[i]!, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label, precision, recall, f1, support, predicted };
  });
  const present = labels.filter((l) => l.support > 0 || l.predicted > 0);
  const correct = order.reduce((a, _, i) => a + confusion[i]![i]!, 0);
  return {
    n: pairs.length,
    accuracy: pairs.length === 0 ? 0 : correct / pairs.length,
    macroF1: present.length === 0 ? 0 : present.reduce((a, l) => a + l.f1, 0) / present.length,
    labels,
    confusion,
    order,
  };
}

/** The per-label table and the confusion matrix as text (labels abbreviated in the matrix). */
export function formatLabelEvaluation(e: LabelEvaluation, title: string, opts: { microName?: string } = {}): string[] {
  const f = (x: number) => x.toFixed(2);
  const width = Math.max(9, ...e.order.map((l) => l.length));
  const out = [`${title}: ${e.n} items, ${opts.microName ?? 'accuracy'} ${f(e.accuracy)}, macro-F1 ${f(e.macroF1)}`, ''];
  out.push(`  ${'label'.padEnd(width)}  precision  recall  F1     labelled  predicted`);
  for (const l of e.labels) {
    if (l.support === 0 && l.predicted === 0) continue;
    out.push(`  ${l.label.padEnd(width)}  ${f(l.precision).padStart(9)}  ${f(l.recall).padStart(6)}  ${f(l.f1).padStart(4)}  ${String(l.support).padStart(8)}  ${String(l.predicted).padStart(9)}`);
  }
  const short = e.order.map((l) => (l.length > 8 ? l.slice(0, 7) + '.' : l));
  out.push('', '  confusion (rows: label, columns: predicted)');
  out.push(`  ${''.padEnd(width)}  ${short.map((l) => l.padStart(9)).join('')}`);
  e.order.forEach((l, i) => {
    if (e.confusion[i]!.every((c) => c === 0) && e.confusion.every((row) => row[i] === 0)) return;
    out.push(`  ${l.padEnd(width)}  ${e.confusion[i]!.map((c) => String(c).padStart(9)).join('')}`);
  });
  return out;
}
