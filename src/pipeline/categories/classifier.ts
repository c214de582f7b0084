/**
 * What a complaint is about: a score per category from its lexicon (strong and weak patterns,
 * each distinct match counted, up to a cap), the best one as the primary, a close second kept,
 * and `other` when nothing scores enough. Every assignment carries the words that made it.
 */
import { execAll } from '../exec-all.js';
import { compileSignal } from '../patterns.js';
import type { CategoryRules } from './rules.js';

export interface CategoryScore {
  category: string;
  label: string;
  score: number;
  /** The words that matched, strongest first (at most 3). */
  evidence: string[];
}

export interface Categorisation {
  /** The primary category, or the rules' `other`. */
  primary: string;
  /** 0..1: how far the primary stands above the rest (1 when nothing else scored). */
  confidence: number;
  /** The primary (unless other) and a close second, each with its evidence. */
  labels: CategoryScore[];
}

interface CompiledCategory {
  id: string;
  label: string;
  strong: RegExp;
  weak: RegExp;
}

export class CategoryClassifier {
  private readonly categories: CompiledCategory[];

  constructor(readonly rules: CategoryRules) {
    this.categories = rules.categories.map((c) => ({
      id: c.id,
      label: c.label,
      strong: compileSignal(Object.values(c.strong).flat()),
      weak: compileSignal(Object.values(c.weak).flat()),
    }));
  }

  /** Every category that scored, best first (ties: the rules' order). */
  scores(text: string): CategoryScore[] {
    const { strong, weak, maxMatchesPerTier } = this.rules.points;
    const out: CategoryScore[] = [];
    for (const c of this.categories) {
      const s = distinctMatches(c.strong, text, maxMatchesPerTier);
      const w = distinctMatches(c.weak, text, maxMatchesPerTier);
      const score = s.length * strong + w.length * weak;
      if (score > 0) out.push({ category: c.id, label: c.label, score, evidence: [...s, ...w].slice(0, 3) });
    }
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

function distinctMatches(re: RegExp, text: string, max: number): string[] {
  const found: string[] = [];
  for (const m of execAll(re, text)) {
    const word = m[0].trim().toLowerCase();
    if (word && !found.includes(word)) found.push(word);
    if (found.length >= max) break;
  }
  return found;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
