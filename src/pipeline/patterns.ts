/**
 * Text patterns as rule files write them (urgency signals, category lexicons): regular
 * expressions with a few conveniences for rule authors, compiled once.
 */
const CJK = /[\u3000-\u9fff\uac00-\ud7af\uf900-\ufaff]/;
// Letters and digits of the scripts our Latin-alphabet patterns are written in (ASCII and the
// Latin-1/Extended-A/B accents), for whole-word matching without the slower unicode mode.
const WORD_CHAR = String.raw`A-Za-z0-9\u00C0-\u024F`;
const REGEX_FLAGS = 'gim';

/**
 * Rule patterns are regular expressions with three conveniences for rule authors: a space matches
 * any run of whitespace (" ?" an optional one), an apostrophe matches the typographic one too, and
 * a pattern without CJK characters only matches whole words.
 */
export function compilePattern(pattern: string): string {
  const out = expandSpaces(pattern);
  new RegExp(out, REGEX_FLAGS); // throws SyntaxError with the position for a bad pattern
  return out;
}

function isCjkPattern(pattern: string): boolean {
  return CJK.test(pattern);
}

/**
 * One expression for a signal's patterns: the Latin ones share a single whole-word guard (one
 * lookbehind instead of one per alternative keeps the scan fast), CJK ones match anywhere.
 */
export function compileSignal(patterns: readonly string[]): RegExp {
  const latin = patterns.filter((p) => !isCjkPattern(p)).map(compilePattern);
  const cjk = patterns.filter(isCjkPattern).map(compilePattern);
  const parts: string[] = [];
  if (latin.length > 0) parts.push(`(?<![${WORD_CHAR}])(?:${latin.map((p) => `(?:${p})`).join('|')})(?![${WORD_CHAR}])`);
  parts.push(...cjk.map((p) => `(?:${p})`));
  return new RegExp(parts.join('|') || '(?!)', REGEX_FLAGS);
}

/**
 * One expression for several groups of patterns (every category's strong and weak words),
 * scanned once: `tierOf(match)` says which group matched. Same word guard as compileSignal. In
 * one scan a match consumes its words: where two groups' patterns would match the same words, the
 * earlier group's wins.
 */
export function compileTiers(tiers: readonly (readonly string[])[]): { re: RegExp; tierOf(m: RegExpExecArray): number } {
  const latin: string[] = [];
  const cjk: string[] = [];
  tiers.forEach((patterns, t) => {
    const l = patterns.filter((p) => !isCjkPattern(p)).map(compilePattern);
    const c = patterns.filter(isCjkPattern).map(compilePattern);
    if (l.length > 0) latin.push(`(?<t${t}>${l.map((p) => `(?:${p})`).join('|')})`);
    if (c.length > 0) cjk.push(`(?<c${t}>${c.map((p) => `(?:${p})`).join('|')})`);
  });
  const parts: string[] = [];
  if (latin.length > 0) parts.push(`(?<![${WORD_CHAR}])(?:${latin.join('|')})(?![${WORD_CHAR}])`);
  parts.push(...cjk);
  const re = new RegExp(parts.join('|') || '(?!)', REGEX_FLAGS);
  const latinNames = tiers.map((_, t) => `t${t}`);
  const cjkNames = tiers.map((_, t) => `c${t}`);
  return {
    re,
    tierOf(m) {
      const g = m.groups ?? {};
      for (let t = 0; t < tiers.length; t++) if (g[latinNames[t]!] !== undefined || g[cjkNames[t]!] !== undefined) return t;
      return -1;
    },
  };
}

function expandSpaces(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '[') inClass = true;
    else if (ch === ']') inClass = false;
    // "can't" also matches the typographic "can’t" phones type.
    if (ch === "'") {
      out += inClass ? "'\u2019" : "['\u2019]";
      continue;
    }
    if (ch !== ' ' || inClass) {
      out += ch;
      continue;
    }
    // "top ?up" means an optional space: the quantifier applies to the whitespace run.
    const next = pattern[i + 1];
    if (next === '?' || next === '*') {
      out += '\\s*';
      i++;
    } else out += '\\s+';
  }
  return out;
}
