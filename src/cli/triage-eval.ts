/**
 * `complaint-monitor triage --eval FILE...`: scores labelled JSON Lines with the configured rules
 * and prints per-level precision/recall/F1, macro-F1, the confusion matrix and the worst misses.
 * The development split and the held-out split are reported separately; misses are listed for
 * the development split only, so the held-out text stays unread while rules are written.
 */
import { readFileSync } from 'node:fs';
import type { RawItem } from '../../connectors/types.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { evaluate, formatEvaluation, labelledItemSchema, type Evaluation, type LabelledItem, type Scored } from '../pipeline/urgency/evaluate.js';
import { CliUsageError } from './command.js';
import type { SplitChoice } from './scoring.js';

export function loadLabelled(files: string[]): LabelledItem[] {
  const items: LabelledItem[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (err) {
      throw new CliUsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    content.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${file}:${i + 1}`;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (err) {
        throw new CliUsageError(`${where}: not JSON (${(err as Error).message})`);
      }
      const parsed = labelledItemSchema.safeParse(json);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((p) => `${p.path.join('.') || '(line)'}: ${p.message}`).join('; ');
        throw new CliUsageError(`${where}: ${problems}`);
      }
      const other = seen.get(parsed.data.id);
      if (other) throw new CliUsageError(`${where}: id "${parsed.data.id}" is also at ${other}`);
      seen.set(parsed.data.id, where);
      items.push(parsed.data);
    });
  }
  return items;
}

export function scoreLabelled(pipeline: Pipeline, items: LabelledItem[], at = new Date()): Scored[] {
  return items.map((item) => {
    const raw: RawItem = {
      channel: item.subject !== undefined ? 'email' : 'x',
      source: 'eval',
      externalId: item.id,
      sentAt: at,
      author: {},
      text: item.text,
      attachments: [],
      rawRef: item.src,
      lang: item.lang,
    };
    if (item.subject !== undefined) raw.subject = item.subject;
    const urgency = pipeline.urgency(pipeline.prepare(raw), null);
    return { item, predicted: urgency.level, score: urgency.score, reasons: urgency.reasons };
  });
}

export interface EvalReport {
  dev: Evaluation;
  heldout: Evaluation;
  byLanguage: Record<string, { dev: Evaluation; heldout: Evaluation }>;
}

export function evalReport(scored: Scored[]): EvalReport {
  const part = (list: Scored[]) => ({
    dev: evaluate(list.filter((s) => s.item.split === 'dev')),
    heldout: evaluate(list.filter((s) => s.item.split === 'heldout')),
  });
  const langs = [...new Set(scored.map((s) => s.item.lang))].sort();
  return {
    ...part(scored),
    byLanguage: Object.fromEntries(langs.map((l) => [l, part(scored.filter((s) => s.item.lang === l))])),
  };
}

export function formatReport(report: EvalReport, split: SplitChoice, misses: number): string {
  const out: string[] = [];
  const line = (label: string, e: Evaluation) =>
    `  ${label.padEnd(4)} ${String(e.n).padStart(5)} items  macro-F1 ${e.macroF1.toFixed(2)}  critical P ${e.levels[0]!.precision.toFixed(2)} R ${e.levels[0]!.recall.toFixed(2)}`;
  if (split !== 'heldout') out.push(formatEvaluation(report.dev, { title: 'development split', misses }));
  if (split !== 'dev') {
    if (out.length > 0) out.push('');
    out.push(formatEvaluation(report.heldout, { title: 'held-out split (misses not listed)', misses: 0 }));
  }
  out.push('', 'by language');
  for (const [lang, parts] of Object.entries(report.byLanguage)) {
    if (split !== 'heldout') out.push(line(lang, parts.dev) + '   (dev)');
    if (split !== 'dev') out.push(line(lang, parts.heldout) + '   (held-out)');
  }
  return out.join('\n');
}

/** The figures as JSON (misses reduced to ids, and absent for the held-out split). */
export function reportJson(report: EvalReport, split: SplitChoice): Record<string, unknown> {
  const brief = (e: Evaluation, withMisses: boolean) => ({
    n: e.n,
    accuracy: e.accuracy,
    macroF1: e.macroF1,
    levels: e.levels,
    confusion: e.confusion,
    ...(withMisses ? { misses: e.misses.map((m) => ({ id: m.item.id, label: m.item.urgency, predicted: m.predicted, score: m.score, reasons: m.reasons.map((r) => r.code) })) } : {}),
  });
  return {
    ...(split !== 'heldout' ? { dev: brief(report.dev, true) } : {}),
    ...(split !== 'dev' ? { heldout: brief(report.heldout, false) } : {}),
    byLanguage: Object.fromEntries(
      Object.entries(report.byLanguage).map(([lang, p]) => [
        lang,
        { ...(split !== 'heldout' ? { dev: brief(p.dev, false) } : {}), ...(split !== 'dev' ? { heldout: brief(p.heldout, false) } : {}) },
      ]),
    ),
  };
}
