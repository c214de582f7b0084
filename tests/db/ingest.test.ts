/**
 * The pipeline and the SQLite store together, on a real database file: what ends up in the rows.
 */
import { describe, expect, it } from 'vitest';
import type { IngestDecider } from '../../db/repository.js';
import { prepareIngestStatements } from '../../db/sqlite/sqlite.repository.js';
import { parseConfig } from '../../src/config/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import type { PipelineItem } from '../../src/pipeline/prepare.js';
import { loadRules } from '../../src/pipeline/urgency/rules.js';
import { tempDb } from '../helpers/db.js';
import { eventsOf } from '../helpers/events.js';
import { emailItem, postItem } from '../helpers/items.js';

const NOW = new Date('2026-11-25T03:00:00Z');

function setup() {
  const db = tempDb();
  const pipeline = new Pipeline(parseConfig({ timezone: 'Asia/Jakarta' }), loadRules(), () => NOW);
  const run = (...entries: Parameters<typeof eventsOf>) => ingest(eventsOf(...entries), db.repository, pipeline, { batchSize: 50 });
  const rows = <T>(sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).all(...params) as T[];
  return { ...db, pipeline, run, rows };
}

describe('dedupe rules, as stored', () => {
  it('rule 1: re-importing the same items stores nothing new', async () => {
    const { run, rows } = setup();
    const items = [emailItem(), postItem()];
    const first = await run(...items);
    expect(first).toMatchObject({ read: 2, stored: 2, duplicates: 0, cases_created: 2 });
    const again = await run(...items);
    expect(again).toMatchObject({ read: 2, stored: 0, duplicates: 2, cases_created: 0 });
    expect(rows('select id from messages')).toHaveLength(2);
  });

  it('rule 1: the same email delivered to two monitored mailboxes is stored once', async () => {
    const { run } = setup();
    const original = emailItem({ source: 'care-inbox' });
    const summary = await run(original, { ...original, source: 'complaints-inbox', rawRef: 'other' });
    expect(summary).toMatchObject({ stored: 1, duplicates: 1 });
  });

  it('rule 2: a reply naming a stored Message-ID joins its case with reason "thread"', async () => {
    const { run, rows } = setup();
    const first = emailItem({ text: 'My balance of Rp 2.000.000 is gone.' });
    const reply = emailItem({ subject: 'Re: Top-up failed', text: 'Any news? I am still waiting.', inReplyTo: first.messageId!, references: [first.messageId!] });
    const summary = await run(first, reply);
    expect(summary).toMatchObject({ cases_created: 1, threaded: { thread: 1 } });
    const [m] = rows<{ join_reason: string; join_detail: string }>('select join_reason, join_detail from messages where message_id = ?', reply.messageId);
    expect(m).toEqual({ join_reason: 'thread', join_detail: `reply to ${first.messageId}` });
    const events = rows<{ type: string; data: string }>('select type, data from case_events order by id');
    expect(events.map((e) => e.type)).toEqual(['created', 'joined']);
    expect(JSON.parse(events[1]!.data)).toEqual({ reason: 'thread', detail: `reply to ${first.messageId}` });
  });

  it('rule 3: a quoted issued number joins that case, from another channel and another identity', async () => {
    const { run, rows } = setup();
    await run(emailItem({ from: 'budi@example.com', text: 'Saldo saya hilang Rp 750.000' }));
    const [c] = rows<{ request_number: string }>('select request_number from cases');
    expect(c!.request_number).toBe('REQ-2026-000001');
    const summary = await run(postItem({ handle: 'budi_s', text: `@SakuPay my complaint ${c!.request_number.toLowerCase()} is not answered` }));
    expect(summary).toMatchObject({ cases_created: 0, threaded: { request_number: 1 } });
    const [m] = rows<{ join_reason: string; join_detail: string }>("select join_reason, join_detail from messages where channel = 'x'");
    expect(m).toEqual({ join_reason: 'request_number', join_detail: 'quotes REQ-2026-000001' });
  });

  it('rule 3: an unknown number opens a case carrying it; the next message quoting it joins', async () => {
    const { run, rows } = setup();
    const first = await run(emailItem({ from: 'c1@example.com', text: 'I called the hotline, report number CS-2611-0042, saldo hilang' }));
    expect(first.cases_created).toBe(1);
    expect(rows('select system, value from case_references order by id')).toEqual([
      { system: 'issued', value: 'REQ-2026-000001' },
      { system: 'hotline', value: '2611-0042' },
    ]);
    const second = await run(emailItem({ from: 'c1.work@example.com', subject: 'CS-2611-0042', text: 'Following up, nobody called me back.' }));
    expect(second).toMatchObject({ cases_created: 0, threaded: { request_number: 1 } });
  });

  it('rule 4: a post in the same X conversation joins with reason "conversation"', async () => {
    const { run, rows } = setup();
    const start = postItem({ handle: 'dewi', text: '@SakuPay top up 200rb belum masuk' });
    const followUp = postItem({ handle: 'dewi', conversationId: start.conversationId!, inReplyToId: start.externalId, text: 'udah 3 jam, tolong dicek' });
    expect(await run(start, followUp)).toMatchObject({ cases_created: 1, threaded: { conversation: 1 } });
    expect(rows<{ join_reason: string | null }>('select join_reason from messages order by id').map((r) => r.join_reason)).toEqual([null, 'conversation']);
  });

  it('rule 5: the same customer re-sending near-identical text within the window joins as "near_duplicate"', async () => {
    const { run, rows } = setup();
    const text = 'My top-up of Rp 500.000 on 18 November failed but the money was deducted from my bank account. Please refund it.';
    const first = emailItem({ from: 'eko@example.com', text });
    const resend = emailItem({ from: 'EKO@example.com', subject: 'FW: Top-up failed', sentAt: new Date('2026-11-20T02:00:00Z'), text: `Second email, please answer!\n\n${text}` });
    const tooLate = emailItem({ from: 'eko@example.com', sentAt: new Date('2026-12-20T02:00:00Z'), text });
    const otherCustomer = emailItem({ from: 'someone.else@example.com', text });
    expect(await run(first, resend, tooLate, otherCustomer)).toMatchObject({ cases_created: 3, threaded: { near_duplicate: 1 } });
    const joined = rows<{ join_detail: string }>("select join_detail from messages where join_reason = 'near_duplicate'");
    expect(joined[0]!.join_detail).toMatch(/^\d+% similar to message #\d+$/);
  });

  it('rule 5 spans linked identities', async () => {
    const { run, repository } = setup();
    await repository.linkIdentities('email:fajar@example.com', 'x:fajar_id');
    const text = 'Saldo saya hilang 1 juta padahal tidak ada transaksi apapun, tolong dicek segera';
    const summary = await run(emailItem({ from: 'fajar@example.com', text }), postItem({ handle: 'fajar_id', text: `@SakuPay ${text}` }));
    expect(summary).toMatchObject({ cases_created: 1, threaded: { near_duplicate: 1 } });
  });

  it('rule 6: otherwise a new case with the next request number', async () => {
    const { run, rows } = setup();
    await run(emailItem({ from: 'a@example.com' }), emailItem({ from: 'b@example.com', text: 'I cannot log in' }));
    expect(rows<{ request_number: string }>('select request_number from cases order by id').map((r) => r.request_number)).toEqual([
      'REQ-2026-000001',
      'REQ-2026-000002',
    ]);
  });

  it('never issues a number a customer already quoted for another case', async () => {
    const { run, rows } = setup();
    await run(emailItem({ from: 'x@example.com', text: 'about REQ-2026-000001 from your other office: my balance is gone' }));
    expect(rows('select system, value from case_references order by id')).toEqual([
      { system: 'issued', value: 'REQ-2026-000002' },
      { system: 'issued', value: 'REQ-2026-000001' },
    ]);
    expect(rows<{ request_number: string }>('select request_number from cases')[0]!.request_number).toBe('REQ-2026-000002');
  });
});

describe('what the store keeps', () => {
  it('nothing secret reaches the database', async () => {
    const { run, sqlite } = setup();
    const secrets = ['4111 1111 1111 1111', '4111111111111111', '482913', '739204', 'Hunter2!', '321'];
    await run(
      emailItem({
        subject: 'kartu 4111 1111 1111 1111 ditolak',
        text: 'Kartu 4111 1111 1111 1111, CVV 321, OTP saya 482913. My password is Hunter2! 验证码是739204',
        headers: { from: 'Ana <ana@example.com>', subject: 'kartu 4111111111111111' },
      }),
      postItem({ text: '@SakuPay my OTP is 482913 why was 4111-1111-1111-1111 charged' }),
    );
    const tables = (sqlite.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name);
    const everything = tables
      .flatMap((t) => sqlite.prepare(`select * from "${t}"`).all() as Record<string, unknown>[])
      .map((row) => JSON.stringify(row))
      .join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).toContain('[card ****1111]');
    expect(everything).toContain('[code removed]');
  });

  it('urgency reasons reach the stored case, and a repeat contact raises it with an event', async () => {
    const { run, rows } = setup();
    const first = emailItem({ from: 'gita@example.com', text: 'The app keeps crashing when I open it.', sentAt: new Date('2026-11-20T01:00:00Z') });
    await run(first);
    const [before] = rows<{ urgency: string; urgency_reasons: string }>('select urgency, urgency_reasons from cases');
    expect(before!.urgency).toBe('normal');
    expect(JSON.parse(before!.urgency_reasons).map((r: { text: string }) => r.text)).toEqual(['app or service problem', 'reports a problem']);

    const again = emailItem({
      from: 'gita@example.com',
      inReplyTo: first.messageId!,
      sentAt: new Date('2026-11-20T05:00:00Z'),
      text: 'Hello? Nobody answered and the app still crashes.',
    });
    await run(again);
    const [after] = rows<{ urgency: string; urgency_reasons: string; contact_count: number }>('select urgency, urgency_reasons, contact_count from cases');
    expect(after!.contact_count).toBe(2);
    expect(after!.urgency).toBe('high');
    expect(JSON.parse(after!.urgency_reasons).map((r: { text: string }) => r.text)).toEqual([
      'no answer from us or the seller',
      'app or service problem',
      'reports a problem',
      '2nd contact about this case',
    ]);
    const changed = rows<{ data: string }>("select data from case_events where type = 'urgency_changed'");
    expect(changed.map((e) => JSON.parse(e.data))).toEqual([expect.objectContaining({ from: 'normal', to: 'high', score: 8 })]);
  });

  it('a later, calmer message does not lower the case urgency', async () => {
    const { run, rows } = setup();
    const first = emailItem({ from: 'hadi@example.com', text: 'Saldo saya hilang Rp 3.000.000!' });
    await run(first, emailItem({ from: 'hadi@example.com', inReplyTo: first.messageId!, text: 'ok, terima kasih' }));
    expect(rows('select urgency from cases')).toEqual([{ urgency: 'critical' }]);
    expect(rows("select id from case_events where type = 'urgency_changed'")).toEqual([]);
  });

  it('author reach feeds urgency', async () => {
    const { run, rows } = setup();
    await run(postItem({ handle: 'bigjournalist', followers: 210_000, text: '@SakuPay my balance of Rp 4.200.000 vanished overnight' }));
    const [c] = rows<{ urgency_reasons: string }>('select urgency_reasons from cases');
    expect(JSON.parse(c!.urgency_reasons).map((r: { text: string }) => r.text)).toContain('author has 210k followers');
  });

  it('auto-replies and bounces are stored without a case', async () => {
    const { run, rows } = setup();
    const summary = await run(
      emailItem({ subject: 'Automatic reply: Top-up failed', headers: { 'auto-submitted': 'auto-replied' } }),
      emailItem({ from: 'mailer-daemon@mail.example.com', subject: 'Undelivered Mail Returned to Sender', mime: { contentType: 'multipart/report', reportType: 'delivery-status', partTypes: [] } }),
    );
    expect(summary).toMatchObject({ read: 2, stored: 2, non_complaints: 2, cases_created: 0 });
    expect(rows('select kind, case_id from messages order by id')).toEqual([
      { kind: 'auto_reply', case_id: null },
      { kind: 'bounce', case_id: null },
    ]);
    expect(rows('select id from cases')).toEqual([]);
  });

  it('complaints are stored with their category; a case labelled "other" takes a later message\'s', async () => {
    const { run, rows } = setup();
    const first = emailItem({ from: 'ika@example.com', subject: 'Hello', text: 'Hello, I have a question about my order.' });
    const reply = emailItem({ from: 'ika@example.com', subject: 'Re: Hello', text: 'My refund has still not arrived after two weeks.', inReplyTo: first.messageId!, references: [first.messageId!] });
    const bounce = emailItem({ from: 'mailer-daemon@mail.example.com', subject: 'Undelivered Mail Returned to Sender', mime: { contentType: 'multipart/report', reportType: 'delivery-status', partTypes: [] } });
    await run(first, reply, bounce);
    const messages = rows<{ kind: string; category: string | null; category_confidence: number | null; categories: string | null }>(
      'select kind, category, category_confidence, categories from messages order by id',
    );
    expect(messages.map((m) => [m.kind, m.category])).toEqual([
      ['complaint', 'other'],
      ['complaint', 'refund'],
      ['bounce', null],
    ]);
    expect(messages[1]!.category_confidence).toBeGreaterThan(0);
    expect(JSON.parse(messages[1]!.categories!)).toEqual([expect.objectContaining({ category: 'refund', evidence: expect.arrayContaining(['refund']) })]);
    expect(rows('select category from cases')).toEqual([{ category: 'refund' }]);
    // Once the case says what it is about, a later message does not change it.
    await run(emailItem({ from: 'ika@example.com', subject: 'Re: Hello', text: 'And now the app keeps crashing.', inReplyTo: reply.messageId!, references: [reply.messageId!] }));
    expect(rows('select category from cases')).toEqual([{ category: 'refund' }]);
  });

  it('facts are stored with spans into the stored subject and body, and roll up to the case', async () => {
    const { run, rows } = setup();
    const first = emailItem({
      from: 'joko@example.com',
      subject: 'Top up Rp 250.000 gagal',
      text: 'Kemarin jam 10 saya top up via transfer bank, no. transaksi TRX88123456, kartu berakhiran 4321.\n\nPada 17 Nov 2026 CS menulis:\n> Rp 999.000',
      sentAt: new Date('2026-11-18T03:00:00Z'),
    });
    const reply = emailItem({ from: 'joko@example.com', subject: 'Re: Top up Rp 250.000 gagal', text: 'Sudah 2 hari, Rp 250.000 belum kembali. Ref TRX88123456.', inReplyTo: first.messageId!, references: [first.messageId!] });
    await run(first, reply);
    const messages = rows<{ id: number; subject: string; body: string; facts: string }>('select id, subject, body, facts from messages order by id');
    const facts = JSON.parse(messages[0]!.facts) as Record<string, { text: string; start: number; end: number; field: string; value: Record<string, unknown> }[]>;
    for (const list of Object.values(facts)) {
      for (const f of list) expect((f.field === 'subject' ? messages[0]!.subject : messages[0]!.body).slice(f.start, f.end)).toBe(f.text);
    }
    expect(facts.amounts!.map((f) => f.value)).toEqual([{ value: 250000, currency: 'IDR' }]); // not the quoted history's
    expect(facts.datetimes!.map((f) => f.value)).toEqual([{ date: '2026-11-17', time: '10:00', relative: true }]);
    expect(facts.ids!.map((f) => f.value.value)).toEqual(['TRX88123456']);
    expect(facts.channels!.map((f) => f.value.channel)).toEqual(['bank_transfer']);
    expect(facts.accountHints!.map((f) => f.value.last4)).toEqual(['4321']);
    // The case keeps each value once, naming the message that first stated it.
    const [c] = rows<{ facts: string }>('select facts from cases');
    const caseFacts = JSON.parse(c!.facts) as Record<string, { message: number; value: Record<string, unknown> }[]>;
    expect(caseFacts.amounts!.map((f) => [f.value.value, f.message])).toEqual([[250000, messages[0]!.id]]);
    expect(caseFacts.ids!.map((f) => f.message)).toEqual([messages[0]!.id]);
    expect(caseFacts.datetimes!.length).toBeGreaterThanOrEqual(1);
  });

  it('attachments keep name, type, size and sha256', async () => {
    const { run, rows } = setup();
    await run(emailItem({ attachments: [{ name: 'screenshot.png', contentType: 'image/png', size: 68, sha256: 'abc' }] }));
    expect(rows('select name, content_type, size, sha256 from attachments')).toEqual([{ name: 'screenshot.png', content_type: 'image/png', size: 68, sha256: 'abc' }]);
  });
});

describe('one transaction per batch', () => {
  it('items, quarantine entries and the cursor are stored together', async () => {
    const { run, repository, rows } = setup();
    const summary = await run(
      emailItem(),
      { source: 'care-inbox', rawRef: 'imap:INBOX/7', reason: 'parse_error', detail: 'bad MIME' },
      { source: 'care-inbox', key: 'INBOX', value: '12345:7' },
    );
    expect(summary).toMatchObject({ read: 2, stored: 1, quarantined: 1 });
    expect(await repository.getCursor('care-inbox', 'INBOX')).toBe('12345:7');
    expect(rows('select raw_ref, reason from quarantine')).toEqual([{ raw_ref: 'imap:INBOX/7', reason: 'parse_error' }]);
  });

  it('a failure mid-batch stores nothing of it: no item, no quarantine entry, no cursor', async () => {
    const { repository, pipeline, rows } = setup();
    const items = [emailItem({ from: 'a@example.com' }), emailItem({ from: 'b@example.com' })].map((i) => pipeline.prepare(i));
    let calls = 0;
    const failing: IngestDecider<PipelineItem> = {
      now: () => NOW,
      nearDuplicateWindowMs: pipeline.nearDuplicateWindowMs,
      burstWindowMs: pipeline.burstWindowMs,
      otherCategory: pipeline.otherCategory,
      caseFacts: (current, item, rowId) => pipeline.caseFacts(current, item, rowId),
      resolve: (item, ev) => {
        if (++calls === 2) throw new Error('crash while deciding the second item');
        return pipeline.resolve(item, ev);
      },
      urgency: (item, ctx) => pipeline.urgency(item, ctx),
      requestNumberScope: (d) => pipeline.requestNumberScope(d),
      formatRequestNumber: (n, d) => pipeline.formatRequestNumber(n, d),
      statusOnCustomerMessage: (status) => pipeline.statusOnCustomerMessage(status),
    };
    await expect(
      repository.ingestBatch(
        { items, failures: [{ source: 's', rawRef: 'r', reason: 'x', detail: 'y' }], cursors: [{ source: 's', key: 'INBOX', value: '1:2' }] },
        failing,
      ),
    ).rejects.toThrow(/second item/);
    expect(rows('select id from messages')).toEqual([]);
    expect(rows('select id from cases')).toEqual([]);
    expect(rows('select id from quarantine')).toEqual([]);
    expect(await repository.getCursor('s', 'INBOX')).toBeNull();
    expect(rows('select * from request_sequences')).toEqual([]);
  });

  it('quarantining the same item again counts attempts instead of adding rows', async () => {
    const { run, rows } = setup();
    const bad = { source: 'file', rawRef: '/x/broken.eml', reason: 'not_an_email', detail: 'no headers' };
    await run(bad);
    await run(bad);
    expect(rows('select attempts from quarantine')).toEqual([{ attempts: 2 }]);
  });
});

describe('indexes', () => {
  // Each lookup by the index that narrows it to a few rows. An index search alone is not enough: the
  // planner once took the feed's (channel, sent_at) index for the lookup by external id, an "index
  // search" that read every post of the channel once per retweet.
  const expected = {
    existing: 'messages_external_uq',
    caseByMessageId: 'messages_message_id_idx',
    caseByReference: 'case_references_uq',
    repostsOf: 'messages_repost_of_idx',
    caseByExternalId: 'messages_external_uq',
    caseByConversation: 'messages_conversation_idx',
    // Is there any link at all: the first entry of the index answers.
    anyIdentityLink: 'identity_links_customer_idx',
    linkedIdentities: 'identity_links_customer_idx',
    recentByAuthor: 'messages_author_recent_idx',
    caseForJoin: 'INTEGER PRIMARY KEY',
    topMessageLevel: 'messages_case_sent_idx',
    contactsBetween: 'messages_case_sent_idx',
    getCursor: 'sqlite_autoindex_connector_cursors_1',
  } as const;

  it('every ingest lookup uses the index that narrows it to a few rows', () => {
    const { db, sqlite } = setup();
    const statements = prepareIngestStatements(db);
    expect(Object.keys(statements).sort()).toEqual(Object.keys(expected).sort());
    for (const [name, index] of Object.entries(expected)) {
      const { sql, params } = statements[name as keyof typeof expected].getQuery();
      const plan = (sqlite.prepare(`explain query plan ${sql}`).all(...params.map(() => 1)) as { detail: string }[]).map((r) => r.detail);
      expect(plan[0], name).toContain(index);
      if (name !== 'anyIdentityLink') expect(plan.join(' | '), name).not.toMatch(/\bSCAN\b/);
    }
  });
});
