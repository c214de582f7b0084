/**
 * The category rules file: a taxonomy with a lexicon per category (en/id/zh), as data like the
 * urgency rules (rules.default.json beside this file, or `categories.rulesFile` in the config).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { compilePattern } from '../patterns.js';

const patternsByLanguage = z
  .object({ en: z.array(z.string()).default([]), id: z.array(z.string()).default([]), zh: z.array(z.string()).default([]) })
  .catchall(z.array(z.string()));

const categorySchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9_]*$/),
  /** Short, human, in the team's language: shown as the reason's name. */
  label: z.string().min(1).max(40),
  strong: patternsByLanguage,
  weak: patternsByLanguage.prefault({}),
});

export const categoryRulesSchema = z.object({
  version: z.literal(1),
  about: z.string().optional(),
  /** Below this score a message is `other`: no guess is better than a wrong one. */
  minScore: z.number().positive(),
  /** A second category is kept when it scores at least this share of the primary's score. */
  secondaryShare: z.number().gt(0).max(1),
  points: z.object({ strong: z.number().positive(), weak: z.number().nonnegative(), maxMatchesPerTier: z.number().int().min(1) }),
  other: z.object({ id: z.string().regex(/^[a-z][a-z0-9_]*$/), label: z.string().min(1).max(40) }),
  /** In order of precedence: on a tied score the earlier category wins. */
  categories: z.array(categorySchema).min(1),
});

export type CategoryRules = z.infer<typeof categoryRulesSchema>;

export class CategoryRulesError extends Error {
  override name = 'CategoryRulesError';
  readonly code = 'rules_invalid';
}

const DEFAULT_FILE = new URL('./rules.default.json', import.meta.url);

export function loadCategoryRules(file: string | URL = DEFAULT_FILE): CategoryRules {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CategoryRulesError(`cannot read category rules ${String(file)}: ${(err as Error).message}`, { cause: err });
  }
  return parseCategoryRules(raw, String(file));
}

export function parseCategoryRules(raw: unknown, origin = 'category rules'): CategoryRules {
  const result = categoryRulesSchema.safeParse(raw);
  const fail = (lines: string[]) => new CategoryRulesError(`invalid category rules (${origin}):\n${lines.map((l) => `  ${l}`).join('\n')}`);
  if (!result.success) throw fail(result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  const rules = result.data;
  const problems: string[] = [];
  const seen = new Set<string>([rules.other.id]);
  rules.categories.forEach((c, i) => {
    if (seen.has(c.id)) problems.push(`categories.${i}.id: "${c.id}" is used twice`);
    seen.add(c.id);
    for (const tier of ['strong', 'weak'] as const) {
      for (const [lang, patterns] of Object.entries(c[tier])) {
        patterns.forEach((p, j) => {
          try {
            compilePattern(p);
          } catch (err) {
            problems.push(`categories.${c.id}.${tier}.${lang}[${j}]: ${(err as Error).message}`);
          }
        });
      }
    }
  });
  if (problems.length > 0) throw fail(problems);
  return rules;
}
