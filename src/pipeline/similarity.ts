/**
 * Near-duplicate text comparison for dedupe rule 5. Texts are reduced to word shingles (for CJK,
 * character shingles, since Chinese has no spaces) and compared by Jaccard similarity, or by
 * containment when one text holds the other (a re-send with "please answer!" added on top).
 */
import { createHash } from 'node:crypto';
import { stripSubjectPrefixes } from './normalise.js';

const CJK_CHAR = /[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]/u;
const MIN_SHINGLES_FOR_CONTAINMENT = 8;

/** The words of a text, lower-cased, punctuation dropped; each CJK character is a word. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!word) continue;
    if (!CJK_CHAR.test(word)) {
      out.push(word);
      continue;
    }
    let latin = '';
    for (const ch of word) {
      if (CJK_CHAR.test(ch)) {
        if (latin) out.push(latin);
        latin = '';
        out.push(ch);
      } else latin += ch;
    }
    if (latin) out.push(latin);
  }
  return out;
}

/**
 * The words a re-send is compared on: subject without Re:/FW: and the whole body with quote
 * markers removed. A forward ("please answer!" above the original) then contains the original,
 * which containment recognises.
 */
export function comparableTokens(body: string, subject?: string): string[] {
  return tokens(`${subject ? stripSubjectPrefixes(subject) : ''}\n${body.replace(/^[ \t]*(?:>[ \t]?)+/gm, '')}`);
}

export function shingles(words: readonly string[], size = 2): Set<string> {
  const out = new Set<string>();
  if (words.length < size) {
    if (words.length > 0) out.add(words.join(' '));
    return out;
  }
  for (let i = 0; i + size <= words.length; i++) out.add(words.slice(i, i + size).join(' '));
  return out;
}

export function similarity(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const s of small) if (large.has(s)) common++;
  const jaccard = common / (a.size + b.size - common);
  const containment = small.size >= MIN_SHINGLES_FOR_CONTAINMENT ? common / small.size : 0;
  return Math.max(jaccard, containment);
}

/** Equal for texts whose comparable words are equal: an exact re-send. */
export function textHash(words: readonly string[]): string {
  return createHash('sha256').update(words.join(' ')).digest('base64url').slice(0, 22);
}
