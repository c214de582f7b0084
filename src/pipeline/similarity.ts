/**
 * Near-duplicate text comparison for dedupe rule 5. Texts are reduced to word shingles (for CJK,
 * character shingles, since Chinese has no spaces) and compared by Jaccard similarity, or by
 * containment when one text holds the other (a re-send with "please answer!" added on top).
 *
 * What is stored per message is a fingerprint: the 32-bit hashes of its shingles, the smallest
 * FINGERPRINT_SIZE of them (a bottom-k sketch). Texts with fewer shingles than that (nearly every
 * complaint) keep all of them and compare exactly; longer texts compare by the sketch estimate.
 * Comparing fingerprints needs neither the other message's body nor re-tokenising it.
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

export const FINGERPRINT_SIZE = 256;

export interface Fingerprint {
  /** Ascending, distinct shingle hashes: all of them, or the FINGERPRINT_SIZE smallest. */
  hashes: Uint32Array;
  /** How many distinct shingles the text has. */
  total: number;
}

/** Word pairs (a single word for one-word texts), hashed, bottom-k. */
export function fingerprint(words: readonly string[]): Fingerprint {
  const set = new Set<number>();
  if (words.length === 1) set.add(fnv1a(words[0]!));
  for (let i = 0; i + 1 < words.length; i++) set.add(fnv1a(`${words[i]} ${words[i + 1]}`));
  const all = Uint32Array.from(set).sort();
  return { hashes: all.length > FINGERPRINT_SIZE ? all.slice(0, FINGERPRINT_SIZE) : all, total: all.length };
}

export function similarity(a: Fingerprint, b: Fingerprint): number {
  if (a.total === 0 || b.total === 0) return 0;
  const exact = a.hashes.length === a.total && b.hashes.length === b.total;
  let common: number;
  let union: number;
  if (exact) {
    common = countCommon(a.hashes, b.hashes);
    union = a.total + b.total - common;
  } else {
    // Bottom-k estimate: of the k smallest hashes of the union, the share present in both.
    const k = Math.min(FINGERPRINT_SIZE, a.hashes.length + b.hashes.length);
    const { inBoth, seen } = bottomKOfUnion(a.hashes, b.hashes, k);
    const jaccardEstimate = seen > 0 ? inBoth / seen : 0;
    union = (a.total + b.total) / (1 + jaccardEstimate);
    common = jaccardEstimate * union;
  }
  const jaccard = common / union;
  const smaller = Math.min(a.total, b.total);
  const containment = smaller >= MIN_SHINGLES_FOR_CONTAINMENT ? common / smaller : 0;
  return Math.min(1, Math.max(jaccard, containment));
}

/** Stored form: total (uint32) then the hashes, little-endian. */
export function encodeFingerprint(f: Fingerprint): Buffer {
  const buf = Buffer.alloc(4 + f.hashes.length * 4);
  buf.writeUInt32LE(f.total, 0);
  for (let i = 0; i < f.hashes.length; i++) buf.writeUInt32LE(f.hashes[i]!, 4 + i * 4);
  return buf;
}

export function decodeFingerprint(buf: Uint8Array): Fingerprint {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const hashes = new Uint32Array((buf.byteLength - 4) / 4);
  for (let i = 0; i < hashes.length; i++) hashes[i] = view.getUint32(4 + i * 4, true);
  return { total: view.getUint32(0, true), hashes };
}

function countCommon(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      common++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return common;
}

function bottomKOfUnion(a: Uint32Array, b: Uint32Array, k: number): { inBoth: number; seen: number } {
  let i = 0;
  let j = 0;
  let seen = 0;
  let inBoth = 0;
  while (seen < k && (i < a.length || j < b.length)) {
    const x = i < a.length ? a[i]! : Infinity;
    const y = j < b.length ? b[j]! : Infinity;
    if (x === y) {
      inBoth++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
    seen++;
  }
  return { inBoth, seen };
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Equal for texts whose comparable words are equal: an exact re-send. */
export function textHash(words: readonly string[]): string {
  return createHash('sha256').update(words.join(' ')).digest('base64url').slice(0, 22);
}
