/**
 * The urgency engine: an explainable score. Every point comes with a short reason; the level is
 * the highest threshold the total reaches. Text signals are computed once per message; the case
 * (repeat contacts, waiting time) and the author (reach) are added when the case is known.
 */
import { execAll } from '../exec-all.js';
import { findAmounts, formatAmount, type Amount } from '../facts/amounts.js';
import type { Reason as UrgencyReason, Urgency as UrgencyResult, UrgencyLevel } from '../../../db/repository.js';
import { compileSignal, type UrgencyRules } from './rules.js';

export type { UrgencyLevel, UrgencyReason, UrgencyResult };

export interface ContactContext {
  /** 1 for the first message of a case, 2 for the second... */
  nth: number;
  /** How many of the case's contacts (this one included) fall within the burst window. */
  withinBurst: number;
  firstContactAt: Date;
  at: Date;
}

interface CompiledSignal {
  code: string;
  reason: string;
  points: number;
  negatable: boolean;
  re: RegExp;
}

const SENTENCE_END = /[.!?。！？\n]/;
/** Signals worth this many points or more mark a complaint that thanks or a question cannot undo. */
const STRONG_SIGNAL = 2;

export class UrgencyEngine {
  private readonly signals: CompiledSignal[];
  private readonly negationCues: Set<string>;
  private readonly cjkCues: string[];
  private readonly criticalNeeds: Set<string>;

  constructor(readonly rules: UrgencyRules) {
    this.signals = rules.signals.map((s) => ({
      code: s.id,
      reason: s.reason,
      points: s.points,
      negatable: s.negatable,
      // m: ^ and $ anchor at lines, so "^how do I" finds a question below an email's subject.
      re: compileSignal(Object.values(s.patterns).flat()),
    }));
    this.negationCues = new Set(rules.negation.cues.map((c) => c.toLowerCase()));
    this.cjkCues = rules.negation.cjkCues;
    this.criticalNeeds = new Set(rules.levels.criticalNeeds);
  }

  /**
   * Reasons that depend on the text alone (subject + what the customer wrote now). Signals with
   * negative points (a question, thanks) only count when nothing in the text marks a complaint:
   * "thanks, but my money is still gone" is not lowered by its politeness.
   */
  textReasons(text: string, amounts: Amount[] = findAmounts(text)): UrgencyReason[] {
    let reasons: UrgencyReason[] = [];
    for (const signal of this.signals) {
      const evidence = this.firstMatch(signal, text);
      if (evidence !== null) reasons.push({ code: signal.code, points: signal.points, text: signal.reason, evidence });
    }
    // A clear complaint signal outweighs politeness; a weak one ("can't", "need help") does not:
    // "how do I delete my account? please help" stays a question.
    if (reasons.some((r) => r.points >= STRONG_SIGNAL)) reasons = reasons.filter((r) => r.points >= 0);
    // An amount or shouting raises a complaint; on its own (a promotion, a cheer) it is none.
    if (!reasons.some((r) => r.points > 0) || reasons.reduce((sum, r) => sum + r.points, 0) <= 0) return reasons;
    const amountRule = this.rules.amount;
    const top = largestAmount(amounts, amountRule.large);
    if (top) {
      const threshold = amountRule.large[top.currency];
      const large = threshold !== undefined && top.value >= threshold;
      reasons.push({
        code: 'amount',
        points: large ? amountRule.largePoints : amountRule.points,
        text: amountRule.reason.replace('{amount}', formatAmount(top)),
        evidence: top.text,
      });
    }
    const intensity = this.intensity(text);
    if (intensity) reasons.push(intensity);
    return reasons;
  }

  /**
   * Reasons from the author and the case. Reach only raises a text that is a complaint on its own
   * (`textScore` > 0): a question from a big account is still a question.
   */
  contextReasons(textScore: number, followers: number | undefined, contact: ContactContext | undefined): UrgencyReason[] {
    const reasons: UrgencyReason[] = [];
    if (followers !== undefined && textScore > 0) {
      const tier = this.rules.reach.tiers.find((t) => followers >= t.minFollowers);
      if (tier) {
        reasons.push({
          code: 'reach',
          points: tier.points,
          text: this.rules.reach.reason.replace('{followers}', compactNumber(followers)),
        });
      }
    }
    if (contact && contact.nth >= 2) {
      const r = this.rules.repeat;
      if (contact.withinBurst >= r.burstContacts) {
        reasons.push({
          code: 'repeat_burst',
          points: r.burstPoints,
          text: r.burstReason.replace('{nth}', ordinal(contact.withinBurst)).replace('{hours}', String(r.burstHours)),
        });
      } else {
        reasons.push({ code: 'repeat_contact', points: r.contactPoints, text: r.contactReason.replace('{nth}', ordinal(contact.nth)) });
      }
      const days = Math.floor((contact.at.getTime() - contact.firstContactAt.getTime()) / 86_400_000);
      if (days >= r.waitingDays) {
        reasons.push({ code: 'waiting', points: r.waitingPoints, text: r.waitingReason.replace('{days}', String(days)) });
      }
    }
    return reasons;
  }

  /** Text reasons plus the author's reach and the case's history, scored. */
  assess(textReasons: UrgencyReason[], followers: number | undefined, contact: ContactContext | undefined): UrgencyResult {
    const textScore = textReasons.reduce((sum, r) => sum + r.points, 0);
    return this.score([...textReasons, ...this.contextReasons(textScore, followers, contact)]);
  }

  score(reasons: UrgencyReason[]): UrgencyResult {
    const score = reasons.reduce((sum, r) => sum + r.points, 0);
    let level = this.levelFor(score);
    // The score still orders the queue; the level says critical only for a critical kind of harm.
    if (level === 'critical' && this.criticalNeeds.size > 0 && !reasons.some((r) => this.criticalNeeds.has(r.code))) level = 'high';
    return { level, score, reasons: [...reasons].sort((a, b) => b.points - a.points) };
  }

  levelFor(score: number): UrgencyLevel {
    const { critical, high, normal } = this.rules.levels;
    if (score >= critical) return 'critical';
    if (score >= high) return 'high';
    if (score >= normal) return 'normal';
    return 'low';
  }

  private firstMatch(signal: CompiledSignal, text: string): string | null {
    for (const m of execAll(signal.re, text)) {
      if (signal.negatable && this.isNegated(text, m.index)) continue;
      return m[0].trim().slice(0, 80);
    }
    return null;
  }

  private isNegated(text: string, index: number): boolean {
    const before = text.slice(Math.max(0, index - 60), index);
    const cut = lastIndexOfPattern(before, SENTENCE_END);
    const clause = before.slice(cut + 1);
    const tail = clause.slice(-3);
    if (this.cjkCues.some((c) => tail.includes(c))) return true;
    const words = clause.toLowerCase().split(/[^\p{L}\p{N}']+/u).filter(Boolean);
    return words.slice(-this.rules.negation.window).some((w) => this.negationCues.has(w));
  }

  private intensity(text: string): UrgencyReason | null {
    const rule = this.rules.intensity;
    const exclamations = (text.match(/[!！]/g) ?? []).length;
    const letters = text.match(/[A-Za-z]/g) ?? [];
    const caps = letters.filter((c) => c >= 'A' && c <= 'Z').length;
    const shouting = letters.length >= rule.minLetters && caps / letters.length >= rule.capsRatio;
    const angryEmoji = rule.emoji.some((e) => text.includes(e));
    if (exclamations < rule.minExclamations && !shouting && !angryEmoji) return null;
    return { code: 'intensity', points: rule.points, text: rule.reason };
  }
}

function largestAmount(amounts: Amount[], large: Partial<Record<string, number>>): Amount | undefined {
  // Compare across currencies by how far each is towards its "large" threshold.
  let best: Amount | undefined;
  let bestRatio = -1;
  for (const a of amounts) {
    const ratio = a.value / (large[a.currency] ?? 1);
    if (ratio > bestRatio) {
      best = a;
      bestRatio = ratio;
    }
  }
  return best;
}

function lastIndexOfPattern(s: string, re: RegExp): number {
  for (let i = s.length - 1; i >= 0; i--) if (re.test(s[i]!)) return i;
  return -1;
}

export function ordinal(n: number): string {
  const mod100 = n % 100;
  const suffix = mod100 >= 11 && mod100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

export function compactNumber(n: number): string {
  if (n >= 1_000_000) return `${trimZero((n / 1_000_000).toFixed(1))}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${trimZero((n / 1000).toFixed(1))}k`;
  return String(n);
}

function trimZero(s: string): string {
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}
