/**
 * The urgency rules file: its schema, loading, and compilation of its patterns. The rules are data
 * (rules.default.json beside this file, or the file named by `urgency.rulesFile` in the config).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { compilePattern } from '../patterns.js';

export { compilePattern, compileSignal } from '../patterns.js';

const patternsByLanguage = z
  .object({
    en: z.array(z.string()).default([]),
    id: z.array(z.string()).default([]),
    zh: z.array(z.string()).default([]),
  })
  .catchall(z.array(z.string()));

const signalSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  reason: z.string().min(1).max(60),
  points: z.number().int(),
  negatable: z.boolean().default(false),
  patterns: patternsByLanguage,
});

const currencies = ['IDR', 'USD', 'SGD', 'MYR', 'PHP', 'CNY', 'EUR', 'GBP'] as const;

export const rulesSchema = z.object({
  version: z.literal(1),
  about: z.string().optional(),
  levels: z.object({
    critical: z.number(),
    high: z.number(),
    normal: z.number(),
    /**
     * Signals that can make a message critical. A score that reaches the critical threshold
     * without one of them (a pile of "high" signals: blocked, no answer, for days) stays high.
     * Empty or absent: the score alone decides.
     */
    criticalNeeds: z.array(z.string()).default([]),
  }),
  negation: z.object({
    about: z.string().optional(),
    window: z.number().int().min(1).max(10),
    cues: z.array(z.string()),
    cjkCues: z.array(z.string()),
  }),
  signals: z.array(signalSchema),
  amount: z.object({
    reason: z.string(),
    points: z.number().int(),
    largePoints: z.number().int(),
    large: z.partialRecord(z.enum(currencies), z.number().positive()),
  }),
  reach: z.object({
    about: z.string().optional(),
    reason: z.string(),
    tiers: z.array(z.object({ minFollowers: z.number().int().nonnegative(), points: z.number().int() })),
  }),
  repeat: z.object({
    contactReason: z.string(),
    contactPoints: z.number().int(),
    burstReason: z.string(),
    burstContacts: z.number().int().min(2),
    burstHours: z.number().positive(),
    burstPoints: z.number().int(),
    waitingReason: z.string(),
    waitingDays: z.number().positive(),
    waitingPoints: z.number().int(),
  }),
  intensity: z.object({
    reason: z.string(),
    points: z.number().int(),
    minExclamations: z.number().int().min(1),
    capsRatio: z.number().gt(0).max(1),
    minLetters: z.number().int().min(1),
    emoji: z.array(z.string()),
  }),
});

export type UrgencyRules = z.infer<typeof rulesSchema>;

/** What the schema alone cannot say: names that must refer to a signal of the same file. */
function crossCheck(rules: UrgencyRules): string[] {
  const ids = new Set(rules.signals.map((s) => s.id));
  const problems = rules.levels.criticalNeeds.filter((id) => !ids.has(id)).map((id) => `levels.criticalNeeds: no signal "${id}"`);
  const seen = new Set<string>();
  for (const s of rules.signals) {
    if (seen.has(s.id)) problems.push(`signals: "${s.id}" is defined twice`);
    seen.add(s.id);
  }
  return problems;
}

export class RulesError extends Error {
  override name = 'RulesError';
  readonly code = 'rules_invalid';
}

const DEFAULT_RULES_FILE = new URL('./rules.default.json', import.meta.url);

export function loadRules(file: string | URL = DEFAULT_RULES_FILE): UrgencyRules {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RulesError(`cannot read urgency rules ${String(file)}: ${(err as Error).message}`, { cause: err });
  }
  return parseRules(raw, String(file));
}

export function parseRules(raw: unknown, origin = 'rules'): UrgencyRules {
  const result = rulesSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new RulesError(`invalid urgency rules (${origin}):\n${lines.join('\n')}`);
  }
  const rules = result.data;
  const problems = crossCheck(rules);
  if (problems.length > 0) throw new RulesError(`invalid urgency rules (${origin}):\n${problems.map((p) => `  ${p}`).join('\n')}`);
  for (const signal of rules.signals) {
    for (const [lang, patterns] of Object.entries(signal.patterns)) {
      patterns.forEach((p, i) => {
        try {
          compilePattern(p);
        } catch (err) {
          throw new RulesError(
            `invalid urgency rules (${origin}): signals.${signal.id}.patterns.${lang}[${i}]: ${(err as Error).message}`,
          );
        }
      });
    }
  }
  return rules;
}
