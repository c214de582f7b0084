import { describe, expect, it } from 'vitest';
import type { Evidence } from '../../db/repository.js';
import { parseConfig } from '../../src/config/config.js';
import { resolveCase } from '../../src/pipeline/dedupe.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { emailItem, postItem } from '../helpers/items.js';

const pipeline = new Pipeline(parseConfig({}));
const settings = { nearDuplicateSimilarity: 0.8 };
const none: Evidence = { existing: null, threadMatches: [], references: [], conversationCaseId: null, recentByAuthor: [] };

describe('resolveCase: the six rules in order', () => {
  const item = pipeline.prepare(
    emailItem({ text: 'My ticket REQ-2026-000007 is still open and my refund never came', conversationId: 'c1' }),
  );
  const all: Evidence = {
    existing: null,
    threadMatches: [{ messageId: '<a@x>', caseId: 2 }],
    references: [{ system: 'issued', value: 'REQ-2026-000007', caseId: 3 }],
    conversationCaseId: 4,
    recentByAuthor: [{ messageRowId: 9, caseId: 5, sentAt: new Date(), textHash: item.textHash, fingerprint: item.fingerprint }],
  };

  it('1. already stored from the same source: duplicate', () => {
    expect(resolveCase(item, { ...all, existing: { messageRowId: 1, source: item.source } }, settings)).toEqual({
      kind: 'duplicate',
      reason: 'same_external_id',
    });
    expect(resolveCase(item, { ...all, existing: { messageRowId: 1, source: 'other-mailbox' } }, settings)).toEqual({
      kind: 'duplicate',
      reason: 'same_message_other_mailbox',
    });
  });

  it('2. a reply names a stored Message-ID: thread', () => {
    expect(resolveCase(item, all, settings)).toEqual({ kind: 'join', caseId: 2, reason: 'thread', detail: 'reply to <a@x>' });
  });

  it('3. a quoted number that belongs to a case: request_number', () => {
    expect(resolveCase(item, { ...all, threadMatches: [] }, settings)).toEqual({
      kind: 'join',
      caseId: 3,
      reason: 'request_number',
      detail: 'quotes REQ-2026-000007',
    });
  });

  it('3. a quoted number nobody knows does not decide by itself', () => {
    const unknown = { ...all, threadMatches: [], references: [{ system: 'issued', value: 'REQ-2026-000007', caseId: null }] };
    expect(resolveCase(item, unknown, settings)).toMatchObject({ kind: 'join', caseId: 4, reason: 'conversation' });
  });

  it('4. the same conversation: conversation', () => {
    expect(resolveCase(item, { ...all, threadMatches: [], references: [] }, settings)).toMatchObject({
      kind: 'join',
      caseId: 4,
      reason: 'conversation',
    });
  });

  it('5. the same customer with near-identical text: near_duplicate', () => {
    expect(resolveCase(item, { ...none, recentByAuthor: all.recentByAuthor }, settings)).toEqual({
      kind: 'join',
      caseId: 5,
      reason: 'near_duplicate',
      detail: '100% similar to message #9',
    });
  });

  it('5. a forward of the same complaint with a line on top is near-identical', () => {
    const forward = pipeline.prepare(emailItem({ subject: 'FW: Top-up failed', text: `Please answer!\n\n---------- Forwarded message ---------\n${item.body}` }));
    const candidate = { messageRowId: 9, caseId: 5, sentAt: new Date(), textHash: item.textHash, fingerprint: item.fingerprint };
    expect(resolveCase(forward, { ...none, recentByAuthor: [candidate] }, settings)).toMatchObject({ kind: 'join', reason: 'near_duplicate' });
  });

  it('5. the same customer with a different problem is a new case', () => {
    const login = pipeline.prepare(emailItem({ subject: 'Login', text: 'I cannot log in since the update, error 504 every time.' }));
    const other = { messageRowId: 9, caseId: 5, sentAt: new Date(), textHash: login.textHash, fingerprint: login.fingerprint };
    expect(resolveCase(item, { ...none, recentByAuthor: [other] }, settings)).toEqual({ kind: 'new_case' });
  });

  it('6. nothing matches: a new case', () => {
    expect(resolveCase(item, none, settings)).toEqual({ kind: 'new_case' });
  });

  it('a non-complaint opens no case (but is still checked for rule 1)', () => {
    const bounce = pipeline.prepare(emailItem({ headers: { 'auto-submitted': 'auto-replied' } }));
    expect(resolveCase(bounce, all, settings)).toEqual({ kind: 'non_complaint' });
    expect(resolveCase(bounce, { ...all, existing: { messageRowId: 1, source: bounce.source } }, settings).kind).toBe('duplicate');
  });

  it('posts go through the same rules', () => {
    const post = pipeline.prepare(postItem());
    expect(resolveCase(post, { ...none, conversationCaseId: 8 }, settings)).toMatchObject({ caseId: 8, reason: 'conversation' });
  });
});
