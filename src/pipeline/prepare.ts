/**
 * The pure steps every RawItem goes through before the store decides its case, in order:
 * normalise -> redact -> classify (non-complaints) -> recognise request numbers -> extract facts
 * -> urgency text signals -> comparison fingerprint. Same input, same output; no I/O.
 */
import type { RawItem } from '../../connectors/types.js';
import type { MessageKind, PreparedItem, ReferenceValue } from '../../db/repository.js';
import { findAmounts } from './facts/amounts.js';
import { classifyNonComplaint } from './non-complaints.js';
import { messageFacts } from './facts/stored-facts.js';
import { freshText, historyStart, normaliseLine, normaliseText, stripLeadingMentions } from './normalise.js';
import { mergeCounts, redactSecrets, type RedactionCounts } from './redact.js';
import type { ReferenceRecogniser } from './request-numbers.js';
import { comparableTokens, encodeFingerprint, fingerprint, textHash, type Fingerprint } from './similarity.js';
import type { CategoryClassifier } from './categories/classifier.js';
import type { UrgencyEngine, UrgencyReason } from './urgency/engine.js';

/** A prepared item plus what the pipeline's own decisions need later. */
export interface PipelineItem extends PreparedItem {
  /** What dedupe rule 5 compares (also stored, as PreparedItem.fingerprint). */
  shingles: Fingerprint;
  /** Urgency reasons that depend on the text alone. */
  textReasons: UrgencyReason[];
}

export interface PrepareDeps {
  references: ReferenceRecogniser;
  urgency: UrgencyEngine;
  /** Absent: categories are not assigned (category stays null). */
  categories?: CategoryClassifier;
  /** Absent: no facts are extracted. */
  facts?: { timeZone: string };
  maxBodyChars: number;
}

// Headers kept with the message: what the desk needs to read it and what explains a
// non-complaint verdict. Everything else stays in the original.
const KEPT_HEADERS = [
  'from',
  'to',
  'cc',
  'reply-to',
  'date',
  'delivered-to',
  'return-path',
  'content-type',
  'auto-submitted',
  'precedence',
  'list-id',
  'x-autoreply',
  'x-failed-recipients',
];

export function prepareItem(raw: RawItem, deps: PrepareDeps): PipelineItem {
  const notes = [...(raw.notes ?? [])];

  // 1. normalise
  const subjectNorm = raw.subject !== undefined ? normaliseLine(raw.subject) : null;
  let bodyNorm = normaliseText(raw.text);
  if (bodyNorm.length > deps.maxBodyChars) {
    notes.push(`body cut at ${deps.maxBodyChars} characters (was ${bodyNorm.length})`);
    bodyNorm = bodyNorm.slice(0, deps.maxBodyChars);
  }

  // 2. redact: nothing after this line sees a secret
  let redactions: RedactionCounts = {};
  const redactField = (value: string): string => {
    const r = redactSecrets(value);
    redactions = mergeCounts(redactions, r.counts);
    return r.text;
  };
  const subject = subjectNorm !== null ? redactField(subjectNorm) : null;
  const body = redactField(bodyNorm);
  const headers = raw.headers ? pickHeaders(raw.headers, redactField) : null;
  // Connector notes can carry what a sender typed (webhook metadata): redacted like the rest.
  const redactedNotes = notes.map(redactField);

  // 3. classify
  const nonComplaint = classifyNonComplaint({
    channel: raw.channel,
    headers: raw.headers,
    mime: raw.mime,
    fromAddress: raw.author.email,
    fromName: raw.author.name,
    subject: subject ?? undefined,
  });
  // A repost says nothing new: it amplifies the original (counted on the original's case).
  const kind: MessageKind = raw.repostOf !== undefined ? 'repost' : (nonComplaint?.kind ?? 'complaint');
  const kindReason = raw.repostOf !== undefined ? `repost of ${raw.repostOf}` : (nonComplaint?.reason ?? null);

  // 4. request numbers (after redaction: a masked card number cannot be mistaken for one)
  const requestNumbers: ReferenceValue[] = deps.references
    .recognise(subject ?? undefined, body)
    .map(({ system, value }) => ({ system, value }));

  // 5-6. facts and urgency text signals, on what the customer wrote now (not the quoted history)
  const scored = scoringText(subject, body);
  const textReasons = kind === 'complaint' ? deps.urgency.textReasons(scored, findAmounts(scored)) : [];
  const category = kind === 'complaint' && deps.categories ? deps.categories.classify(scored) : null;
  const facts =
    kind === 'complaint' && deps.facts
      ? messageFacts(subject, body, historyStart(body), { sentAt: raw.sentAt, timeZone: deps.facts.timeZone, references: deps.references })
      : null;

  // 7. comparison fingerprint
  const words = comparableTokens(body, subject ?? undefined);
  const shingles = fingerprint(words);

  return {
    source: raw.source,
    externalId: raw.externalId,
    channel: raw.channel,
    kind,
    kindReason,
    messageId: raw.messageId ?? null,
    inReplyTo: raw.inReplyTo ?? null,
    references: raw.references ?? [],
    conversationId: raw.conversationId ?? null,
    repostOf: raw.repostOf ?? null,
    authorKey: authorKey(raw),
    authorName: raw.author.name ? redactField(normaliseLine(raw.author.name)) : null,
    authorHandle: raw.author.handle ?? null,
    authorFollowers: raw.author.followers ?? null,
    subject,
    body,
    textHash: textHash(words),
    fingerprint: encodeFingerprint(shingles),
    lang: raw.lang ?? null,
    url: raw.url ?? null,
    sentAt: raw.sentAt,
    requestNumbers,
    redactions,
    headers,
    notes: redactedNotes,
    foundInSpam: raw.foundInSpam ?? false,
    rawRef: raw.rawRef,
    attachments: raw.attachments.map((a) => ({ ...a, name: a.name !== null ? redactField(a.name) : null })),
    shingles,
    textReasons,
    category,
    facts,
  };
}

/** What urgency reads: the subject and what the customer wrote now (not the quoted history). */
export function scoringText(subject: string | null, body: string): string {
  const fresh = stripLeadingMentions(freshText(body));
  return subject ? `${subject}\n${fresh}` : fresh;
}

/** The customer's identity for dedupe rule 5: `email:ana@example.com`, `x:ana_w`. */
export function authorKey(raw: RawItem): string {
  const a = raw.author;
  if (raw.channel === 'email') return `email:${(a.email ?? 'unknown').toLowerCase()}`;
  const id = a.handle ?? a.email ?? a.id;
  return `${raw.channel}:${(id ?? 'anonymous').toLowerCase()}`;
}

// Headers with free text (display names) where a customer could type a secret.
const FREE_TEXT_HEADERS = new Set(['from', 'to', 'cc', 'reply-to']);

function pickHeaders(all: Record<string, string>, redact: (v: string) => string): Record<string, string> | null {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = all[name];
    if (value !== undefined) out[name] = FREE_TEXT_HEADERS.has(name) ? redact(value) : value;
  }
  return Object.keys(out).length > 0 ? out : null;
}
