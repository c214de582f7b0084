/**
 * The case workflow on a real SQLite file, with messages ingested through the real pipeline:
 * changes and their events, the ingest path honouring overrides and re-opening cases, merge and
 * split, keyset pages while cases arrive, and full-text search in three languages.
 */
import { describe, expect, it } from 'vitest';
import type { CaseFilter, CaseState } from '../../db/repository.js';
import { parseConfig } from '../../src/config/config.js';
import { caseWorkflowDecider } from '../../src/cases/roll-up.js';
import { parseSearch } from '../../src/cases/search-terms.js';
import { planCaseChange, planNote, refuseMerge, refuseWrite, type Actor, type CaseChange } from '../../src/cases/workflow.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { loadRules } from '../../src/pipeline/urgency/rules.js';
import { tempDb } from '../helpers/db.js';
import { eventsOf } from '../helpers/events.js';
import { emailItem, postItem } from '../helpers/items.js';

const NOW = new Date('2026-11-25T03:00:00Z');
const admin: Actor = { name: 'ops-admin', mayChange: () => true };

function setup() {
  const db = tempDb();
  const pipeline = new Pipeline(parseConfig({ timezone: 'Asia/Jakarta' }), loadRules(), () => NOW);
  const workflow = caseWorkflowDecider(pipeline, () => NOW);
  const repo = db.repository;
  const run = (...entries: Parameters<typeof eventsOf>) => ingest(eventsOf(...entries), repo, pipeline, { batchSize: 50 });
  const rows = <T>(sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).all(...params) as T[];
  const change = (n: string, c: CaseChange) => repo.changeCase(n, (s: CaseState) => planCaseChange(s, c, admin, NOW), workflow);
  const merge = (from: string, into: string) => repo.mergeCases(from, into, (f, i) => refuseMerge(f, i, admin), admin.name, workflow);
  const split = (n: string, id: number) => repo.splitMessage(n, id, (s) => refuseWrite(s, admin), admin.name, workflow);
  const numbers = async (filter: Partial<CaseFilter> = {}) => (await repo.listCases({ limit: 200, ...filter })).map((c) => c.requestNumber);
  return { ...db, repo, pipeline, workflow, run, rows, change, merge, split, numbers };
}

function ok<T>(outcome: { ok: T } | { refused: string; message: string }): T {
  if (!('ok' in outcome)) throw new Error(`refused: ${outcome.refused}: ${outcome.message}`);
  return outcome.ok;
}

describe('changing a case', () => {
  it('writes the fields and one audited event each, in one transaction', async () => {
    const t = setup();
    await t.run(emailItem({ from: 'ana@example.com' }));
    const after = ok(await t.change('REQ-2026-000001', { status: 'open', assignee: 'rina', tags: ['vip'] }));
    expect(after).toMatchObject({ status: 'open', assignee: 'rina', tags: ['vip'], firstResponseAt: NOW, resolvedAt: null });
    const events = t.rows<{ type: string; data: string }>("select type, data from case_events where type not in ('created') order by id");
    expect(events.map((e) => [e.type, JSON.parse(e.data)])).toEqual([
      ['status_changed', { by: 'ops-admin', from: 'new', to: 'open' }],
      ['assigned', { by: 'ops-admin', from: null, to: 'rina' }],
      ['tags_changed', { by: 'ops-admin', from: [], to: ['vip'] }],
    ]);
    const resolved = ok(await t.change('REQ-2026-000001', { status: 'resolved' }));
    expect(resolved).toMatchObject({ status: 'resolved', resolvedAt: NOW, firstResponseAt: NOW });
  });

  it('a refused change writes nothing', async () => {
    const t = setup();
    await t.run(emailItem({ from: 'ana@example.com' }));
    ok(await t.change('REQ-2026-000001', { status: 'closed' }));
    const before = t.rows('select * from cases');
    expect(await t.change('REQ-2026-000001', { status: 'waiting', assignee: 'rina' })).toMatchObject({ refused: 'conflict' });
    expect(t.rows('select * from cases')).toEqual(before);
    expect(await t.change('REQ-2026-999999', { status: 'open' })).toMatchObject({ refused: 'not_found' });
  });

  it('a note records the first response once, with a note_added event', async () => {
    const t = setup();
    await t.run(emailItem({ from: 'ana@example.com' }));
    const note = ok(await t.repo.addNote('REQ-2026-000001', { author: 'rina', body: 'Called the customer.' }, (s) => planNote(s, admin, NOW), t.workflow));
    expect(note).toMatchObject({ author: 'rina', body: 'Called the customer.', at: NOW });
    const detail = (await t.repo.getCase('REQ-2026-000001'))!;
    expect(detail.firstResponseAt).toEqual(NOW);
    expect(detail.notes).toEqual([note]);
    expect(detail.events.at(-1)).toMatchObject({ type: 'note_added', data: { by: 'rina', noteId: note.id } });
  });
});

describe('ingestion and the team', () => {
  it('a message joining a resolved case re-opens it, clears resolvedAt and says so', async () => {
    const t = setup();
    const first = emailItem({ from: 'ana@example.com', text: 'My top-up failed.' });
    await t.run(first);
    ok(await t.change('REQ-2026-000001', { status: 'resolved' }));
    await t.run(emailItem({ from: 'ana@example.com', subject: 'Re: Top-up failed', text: 'It happened again!', inReplyTo: first.messageId! }));
    const c = (await t.repo.getCase('REQ-2026-000001'))!;
    expect(c).toMatchObject({ status: 'open', resolvedAt: null, contactCount: 2 });
    expect(c.events.at(-1)).toMatchObject({ type: 'status_changed', data: { by: 'ingest', from: 'resolved', to: 'open' } });
  });

  it('an override holds against a more urgent message; the event records what the rules said', async () => {
    const t = setup();
    const first = emailItem({ from: 'ana@example.com', subject: 'Question', text: 'How do I change my phone number?' });
    await t.run(first);
    const before = (await t.repo.getCase('REQ-2026-000001'))!;
    expect(before.urgency).not.toBe('critical');
    ok(await t.change('REQ-2026-000001', { urgencyOverride: { level: 'low', reason: 'a known question, answered by the FAQ' } }));
    await t.run(
      emailItem({
        from: 'ana@example.com',
        subject: 'Re: Question',
        text: 'Someone took Rp 5.000.000 from my account, a transaction I did not make! I will report you to OJK.',
        inReplyTo: first.messageId!,
      }),
    );
    const after = (await t.repo.getCase('REQ-2026-000001'))!;
    expect(after).toMatchObject({ urgency: 'low', urgencyOverride: 'low' });
    expect(after.urgencyScore).toBeGreaterThan(before.urgencyScore);
    const joined = after.events.find((e) => e.type === 'joined')!;
    expect(joined.data).toMatchObject({ urgencyOverride: { kept: 'low', computed: { from: before.urgency, to: 'critical' } } });
    expect(after.events.some((e) => e.type === 'urgency_changed')).toBe(false);

    // Clearing the override brings the computed level back.
    const cleared = ok(await t.change('REQ-2026-000001', { urgencyOverride: null }));
    expect(cleared).toMatchObject({ urgency: 'critical', urgencyOverride: null });
  });

  it('rescore keeps an overridden level', async () => {
    const t = setup();
    await t.run(emailItem({ from: 'ana@example.com', text: 'Someone took Rp 5.000.000 from my account, a transaction I did not make!' }));
    ok(await t.change('REQ-2026-000001', { urgencyOverride: { level: 'normal', reason: 'test transaction by our staff' } }));
    await t.repo.rescore(t.pipeline.rescorer);
    expect((await t.repo.getCase('REQ-2026-000001'))!.urgency).toBe('normal');
  });
});

describe('merge and split', () => {
  it('merge moves messages, references, notes and events; rolls the survivor up; the old number leads to it', async () => {
    const t = setup();
    await t.run(
      emailItem({ from: 'ana@example.com', text: 'My refund for order 1 never came, hotline report CS-2611-0042.', sentAt: new Date('2026-11-20T02:00:00Z') }),
      postItem({ handle: 'ana_w', text: '@SakuPay saldo saya hilang Rp 2.000.000, transaksi yang tidak saya lakukan', sentAt: new Date('2026-11-18T02:00:00Z') }),
    );
    ok(await t.repo.addNote('REQ-2026-000001', { author: 'rina', body: 'Asked for the bank slip.' }, (s) => planNote(s, admin, NOW), t.workflow));
    const survivor = ok(await t.merge('REQ-2026-000001', 'REQ-2026-000002'));
    expect(survivor.requestNumber).toBe('REQ-2026-000002');
    expect(survivor.messages).toHaveLength(2);
    expect(survivor.contactCount).toBe(2);
    expect(survivor.firstContactAt).toEqual(new Date('2026-11-18T02:00:00Z'));
    expect(survivor.lastContactAt).toEqual(new Date('2026-11-20T02:00:00Z'));
    expect(survivor.urgency).toBe('critical');
    expect(survivor.references.map((r) => r.value)).toEqual(expect.arrayContaining(['REQ-2026-000001', 'REQ-2026-000002', '2611-0042']));
    expect(survivor.notes.map((n) => n.body)).toEqual(['Asked for the bank slip.']);
    expect(survivor.events.filter((e) => e.type === 'created')).toHaveLength(2);
    expect(survivor.events.at(-1)).toMatchObject({ type: 'merged', data: { by: 'ops-admin', from: 'REQ-2026-000001', into: 'REQ-2026-000002', messages: 1 } });
    // The merged number finds the survivor; the merged row is closed, points at it, and leaves the list.
    expect((await t.repo.getCase('REQ-2026-000001'))!.requestNumber).toBe('REQ-2026-000002');
    expect(t.rows("select status, contact_count, merged_into is not null as merged from cases where request_number = 'REQ-2026-000001'")).toEqual([
      { status: 'closed', contact_count: 0, merged: 1 },
    ]);
    expect(t.rows("select type from case_events e join cases c on c.id = e.case_id where c.request_number = 'REQ-2026-000001'")).toEqual([{ type: 'merged_into' }]);
    expect(await t.numbers()).toEqual(['REQ-2026-000002']);
    expect(await t.numbers({ includeMerged: true })).toHaveLength(2);
    // Writes through the merged number are conflicts, as is merging into itself or into the merged case.
    expect(await t.change('REQ-2026-000001', { status: 'open' })).toMatchObject({ refused: 'conflict', message: expect.stringContaining('REQ-2026-000002') });
    expect(await t.merge('REQ-2026-000002', 'REQ-2026-000002')).toMatchObject({ refused: 'conflict' });
    expect(await t.merge('REQ-2026-000002', 'REQ-2026-000001')).toMatchObject({ refused: 'conflict' });
    // A new message quoting the merged number joins the survivor.
    await t.run(emailItem({ from: 'ana@example.com', subject: 'REQ-2026-000001', text: 'Any news on my case?' }));
    expect((await t.repo.getCase('REQ-2026-000002'))!.messages).toHaveLength(3);
  });

  it('split moves one message into a new case with a newly issued number; the last message stays', async () => {
    const t = setup();
    const first = emailItem({ from: 'ana@example.com', subject: 'Top-up failed', text: 'My top-up of Rp 500.000 failed.', sentAt: new Date('2026-11-18T02:00:00Z') });
    const other = emailItem({
      from: 'ana@example.com',
      subject: 'Re: Top-up failed',
      text: 'Also, my account was hacked and Rp 3.000.000 is gone, a transaction I did not make.',
      inReplyTo: first.messageId!,
      sentAt: new Date('2026-11-19T02:00:00Z'),
    });
    await t.run(first, other);
    const before = (await t.repo.getCase('REQ-2026-000001'))!;
    expect(before.messages).toHaveLength(2);
    const moving = before.messages[1]!;
    const created = ok(await t.split('REQ-2026-000001', moving.id));
    expect(created).toMatchObject({ requestNumber: 'REQ-2026-000002', status: 'new', contactCount: 1, urgency: moving.urgency!.level, channel: 'email' });
    expect(created.messages.map((m) => m.id)).toEqual([moving.id]);
    expect(created.messages[0]!.joinReason).toBeNull();
    expect(created.events).toEqual([expect.objectContaining({ type: 'split', data: expect.objectContaining({ from: 'REQ-2026-000001', to: 'REQ-2026-000002' }) })]);
    const rest = (await t.repo.getCase('REQ-2026-000001'))!;
    expect(rest).toMatchObject({ contactCount: 1, lastContactAt: new Date('2026-11-18T02:00:00Z') });
    expect(rest.urgencyScore).toBeLessThan(before.urgencyScore);
    expect(rest.events.at(-1)).toMatchObject({ type: 'split', data: { by: 'ops-admin', messageRowId: moving.id } });
    expect(await t.split('REQ-2026-000001', rest.messages[0]!.id)).toMatchObject({ refused: 'conflict' });
    expect(await t.split('REQ-2026-000001', moving.id)).toMatchObject({ refused: 'not_found' });
    // The next issued number follows the split's: one sequence for ingestion and the team.
    await t.run(emailItem({ from: 'someone@example.com', text: 'Transfer failed twice' }));
    expect(await t.numbers({ sort: 'oldest' })).toEqual(['REQ-2026-000001', 'REQ-2026-000002', 'REQ-2026-000003']);
  });
});

describe('case list pages', () => {
  it('walks every case exactly once while new cases arrive between pages, in every sort', async () => {
    const t = setup();
    const texts = ['saldo saya hilang Rp 1.000.000', 'aplikasi error terus', 'refund belum masuk', 'terima kasih', 'akun saya diblokir'];
    await t.run(...Array.from({ length: 45 }, (_, i) => postItem({ handle: `user${i}`, text: `@SakuPay ${texts[i % texts.length]} #${i}`, sentAt: new Date(Date.UTC(2026, 10, 1 + (i % 20), i % 24)) })));
    for (const sort of ['urgency', 'newest', 'oldest', 'updated'] as const) {
      const before = new Set(await t.numbers({ sort }));
      expect(before.size).toBe((await t.repo.counts()).cases);
      const seen: string[] = [];
      let after: readonly number[] | undefined;
      let pages = 0;
      for (;;) {
        const page = await t.repo.listCasePage({ limit: 7, sort, after });
        seen.push(...page.cases.map((c) => c.requestNumber));
        pages++;
        // Someone writes in while the agent pages.
        await t.run(postItem({ handle: `late${sort}${pages}`, text: `@SakuPay top up gagal ${sort} ${pages}`, sentAt: new Date(Date.UTC(2026, 10, 10, pages)) }));
        if (page.nextAfter === null) break;
        after = page.nextAfter;
      }
      expect(new Set(seen).size).toBe(seen.length);
      for (const n of before) expect(seen).toContain(n);
    }
  });

  it('orders the queue by level, then score, then oldest first contact', async () => {
    const t = setup();
    await t.run(
      postItem({ handle: 'a', text: '@SakuPay terima kasih' }),
      postItem({ handle: 'b', text: '@SakuPay saldo saya hilang Rp 2.000.000, transaksi yang tidak saya lakukan' }),
      postItem({ handle: 'c', text: '@SakuPay aplikasi error' }),
    );
    const cases = await t.repo.listCases({ limit: 10 });
    expect(cases[0]!.customerKey).toBe('x:b');
    ok(await t.change(cases[2]!.requestNumber, { urgencyOverride: { level: 'critical', reason: 'press enquiry' } }));
    const again = await t.repo.listCases({ limit: 10 });
    expect(again.slice(0, 2).map((c) => c.urgency)).toEqual(['critical', 'critical']);
    expect(again.map((c) => c.requestNumber)).toContain(cases[2]!.requestNumber);
    expect(again.findIndex((c) => c.requestNumber === cases[2]!.requestNumber)).toBeLessThan(2);
    expect((await t.repo.listCases({ limit: 10, urgency: 'critical' })).map((c) => c.urgency)).toEqual(['critical', 'critical']);
  });

  it('filters by source, assignee, unassigned, tag and time ranges', async () => {
    const t = setup();
    await t.run(emailItem({ from: 'a@example.com', text: 'top up gagal' }), postItem({ handle: 'b', text: '@SakuPay refund belum masuk' }));
    ok(await t.change('REQ-2026-000001', { assignee: 'rina', tags: ['vip', 'press'] }));
    expect(await t.numbers({ source: 'care-inbox' })).toEqual(['REQ-2026-000001']);
    expect(await t.numbers({ assignee: 'rina' })).toEqual(['REQ-2026-000001']);
    expect(await t.numbers({ assignee: null })).toEqual(['REQ-2026-000002']);
    expect(await t.numbers({ tag: 'press' })).toEqual(['REQ-2026-000001']);
    expect(await t.numbers({ tag: 'pres' })).toEqual([]);
    expect(await t.numbers({ createdFrom: NOW })).toHaveLength(2);
    expect(await t.numbers({ createdTo: NOW })).toEqual([]);
    expect(await t.numbers({ updatedFrom: new Date(NOW.getTime() + 1) })).toEqual([]);
  });
});

describe('full-text search', () => {
  const search = (q: string) => {
    const parsed = parseSearch(q);
    if ('error' in parsed) throw new Error(parsed.error);
    return parsed.ok;
  };

  it('finds English, Indonesian and Chinese text in subjects and bodies, any case, by substring', async () => {
    const t = setup();
    await t.run(
      emailItem({ from: 'a@example.com', subject: 'Refund missing', text: 'The merchant promised a refund two weeks ago.' }),
      postItem({ handle: 'b', text: '@SakuPay saldo saya hilang setelah top up' }),
      postItem({ handle: 'c', text: '@SakuPay 退款失败，钱还没到账' }),
    );
    expect(await t.numbers({ search: search('REFUND') })).toEqual(['REQ-2026-000001']);
    expect(await t.numbers({ search: search('merch promis') })).toEqual(['REQ-2026-000001']);
    expect(await t.numbers({ search: search('hilang') })).toEqual(['REQ-2026-000002']);
    expect(await t.numbers({ search: search('退款失败') })).toEqual(['REQ-2026-000003']);
    // A two-character word narrows what a longer one found.
    expect(await t.numbers({ search: search('退款失败 到账') })).toEqual(['REQ-2026-000003']);
    expect(await t.numbers({ search: search('退款失败 余额') })).toEqual([]);
    expect(await t.numbers({ search: search('"top up" saldo') })).toEqual(['REQ-2026-000002']);
    expect(await t.numbers({ search: search('top hilang refund') })).toEqual([]);
  });

  it('a term in thousands of messages of few cases: each case once, short words narrowing, filters applied', async () => {
    const t = setup();
    await t.run(
      postItem({ handle: 'a', text: '@SakuPay aplikasi error' }),
      postItem({ handle: 'b', text: '@SakuPay saldo saya hilang Rp 2.000.000, transaksi yang tidak saya lakukan' }),
      postItem({ handle: 'c', text: '@SakuPay refund belum masuk' }),
    );
    // Thousands of matching messages, all in case 1 and 2.
    const insert = t.sqlite.prepare(
      `insert into messages (case_id, source, external_id, channel, kind, author_key, subject, body, text_hash, fingerprint, sent_at, ingested_at, raw_ref)
       values (?, 'x-mentions', ?, 'x', 'complaint', 'x:a', null, ?, 'h', x'00', 0, 0, 'r')`,
    );
    t.sqlite.transaction(() => {
      for (let i = 0; i < 4500; i++) insert.run(1 + (i % 2), `bulk${i}`, `zzcommon message ${i} ${i % 2 === 0 ? 'ok' : ''}`);
    })();
    expect(await t.numbers({ search: search('zzcommon') })).toEqual(['REQ-2026-000002', 'REQ-2026-000001']);
    expect(await t.numbers({ search: search('zzcommon ok') })).toEqual(['REQ-2026-000001']);
    expect(await t.numbers({ search: search('zzcommon "message 4499"') })).toEqual(['REQ-2026-000002']);
    expect(await t.numbers({ search: search('zzcommon'), channels: ['email'] })).toEqual([]);
  });

  it('treats FTS5 syntax in the input as text', async () => {
    const t = setup();
    await t.run(postItem({ handle: 'b', text: '@SakuPay error: "NEAR(" code -1 * OR fail' }));
    for (const q of ['"', '*', 'OR', 'NEAR(', '-', ':', 'saldo"', 'a:b', '"NEAR("', 'error:', '^abc', 'NOT AND OR', '(((']) {
      const parsed = parseSearch(q);
      if ('error' in parsed) continue;
      await expect(t.repo.listCases({ limit: 10, search: parsed.ok })).resolves.toBeInstanceOf(Array);
    }
    expect(await t.numbers({ search: search('NEAR(') })).toEqual(['REQ-2026-000001']);
    expect(await t.numbers({ search: search('error:') })).toEqual(['REQ-2026-000001']);
  });
});
