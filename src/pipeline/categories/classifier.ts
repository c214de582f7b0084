/**
 * What a complaint is about: a score per category from its lexicon (strong and weak patterns,
 * each distinct match counted, up to a cap), the best one as the primary, a close second kept,
 * and `other` when nothing scores enough. Every assignment carries the words that made it.
 */
import type { CategoryAssignment } from '../../../db/repository.js';
import { execAll } from '../exec-all.js';
import { compileTiers } from '../patterns.js';
import type { CategoryRules } from './rules.js';

/** A category that scored, with the words that made it (stored with the message). */
export type CategoryScore = CategoryAssignment['labels'][number];

/** The primary category, its confidence, and the primary (unless other) with a close second. */
export type Categorisation = CategoryAssignment;

export class CategoryClassifier {
  /** Every category's strong (group 2i) and weak (group 2i+1) patterns in one expression. */
  private readonly scan: { re: RegExp; tierOf(m: RegExpExecArray): number };

  constructor(readonly rules: CategoryRules) {
    this.scan = compileTiers(rules.categories.flatMap((c) => [Object.values(c.strong).flat(), Object.values(c.weak).flat()]));
  }

  /** Every category that scored, best first (ties: the rules' order). */
  scores(text: string): CategoryScore[] {
    const { strong, weak, maxMatchesPerTier } = this.rules.points;
    const categories = this.rules.categories;
    // found[2i] strong words of category i, found[2i+1] its weak words
    const found: string[][] = [];
    for (const m of execAll(this.scan.re, text)) {
      const group = this.scan.tierOf(m);
      if (group < 0) continue;
      const words = (found[group] ??= []);
      const word = m[0].trim().toLowerCase();
      if (word && words.length < maxMatchesPerTier && !words.includes(word)) words.push(word);
    }
    const out: CategoryScore[] = [];
    categories.forEach((c, i) => {
      const s = found[2 * i] ?? [];
      const w = found[2 * i + 1] ?? [];
      const score = s.length * strong + w.length * weak;
      if (score > 0) out.push({ category: c.id, label: c.label, score, evidence: [...s, ...w].slice(0, 3) });
    });
    // Array.prototype.sort is stable: equal scores keep the rules' order of precedence.
    return out.sort((a, b) => b.score - a.score);
  }

  classify(text: string): Categorisation {
    const scored = this.scores(text);
    const top = scored[0];
    const other = this.rules.other.id;
    if (!top || top.score < this.rules.minScore) {
      return { primary: other, confidence: top ? round2(1 - top.score / this.rules.minScore) : 1, labels: [] };
    }
    const second = scored[1];
    const labels = [top];
    if (second && second.score >= this.rules.minScore && second.score >= top.score * this.rules.secondaryShare) labels.push(second);
    return { primary: top.category, confidence: round2(top.score / (top.score + (second?.score ?? 0))), labels };
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
