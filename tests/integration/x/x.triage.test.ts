/**
 * What posts read through the X connector become: replies and request numbers join their case,
 * retweets amplify the original instead of opening cases, the brand's own posts are skipped, and
 * reach ranks the same complaint from a big account above a small one.
 */
import { describe, expect, it } from 'vitest';
import type { FakeTweet, FakeUser } from '../../fake-x/fake-x-server.js';
import { snowflake } from '../../fake-x/synthetic-posts.js';
import { BRAND_ID, fakeXPerTest, xStore } from '../../helpers/x.js';

const fakeX = fakeXPerTest();
const SEARCH = { queries: [{ name: 'saldo', query: 'sakupay saldo' }] };

let clock = Date.now() - 3_600_000;
function post(author: FakeUser, text: string, over: Partial<FakeTweet> = {}): FakeTweet {
  clock += 1_000;
  const id = String(snowflake(clock));
  return { id, text, author_id: author.id, created_at: new Date(clock).toISOString(), conversation_id: id, lang: 'in', ...over };
}
const user = (n: number, followers: number): FakeUser => ({ id: String(4_000_000 + n), username: `pelanggan${n}`, name: `Pelanggan ${n}`, public_metrics: { followers_count: followers } });
const brand: FakeUser = { id: BRAND_ID, username: 'SakuPay', name: 'SakuPay', verified: true, public_metrics: { followers_count: 250_000 } };

describe('X posts in triage', () => {
  it('a reply in an existing conversation joins that case; a post quoting its request number joins it too', async () => {
    const server = await fakeX();
    const ana = user(1, 300);
    const budi = user(2, 80);
    const citra = user(3, 45);
    server.addUsers([ana, budi, citra, brand]);
    const store = xStore();

    const root = post(ana, '@SakuPay saldo saya hilang Rp 500.000 setelah top up, tolong dicek');
    server.addPosts([root], { mentionsOf: BRAND_ID });
    const first = await store.run(store.connector(server));
    expect(first.summary).toMatchObject({ stored: 1, cases_created: 1 });
    const number = store.rows<{ request_number: string }>('select request_number from cases')[0]!.request_number;

    const reply = post(budi, '@pelanggan1 @SakuPay aku juga sama, saldo kepotong tapi top up gak masuk', {
      conversation_id: root.id,
      in_reply_to_user_id: ana.id,
      referenced_tweets: [{ type: 'replied_to', id: root.id }],
    });
    const quoting = post(citra, `@SakuPay sudah 2 hari belum ada kabar soal ${number} ini, tolong`);
    server.addPosts([reply, quoting], { mentionsOf: BRAND_ID });
    const second = await store.run(store.connector(server));
    expect(second.summary).toMatchObject({ stored: 2, cases_created: 0, threaded: { conversation: 1, request_number: 1 } });
    const joined = store.rows<{ external_id: string; join_reason: string; request_number: string }>(
      'select m.external_id, m.join_reason, c.request_number from messages m join cases c on c.id = m.case_id order by m.id',
    );
    expect(joined).toEqual([
      { external_id: root.id, join_reason: null, request_number: number },
      { external_id: reply.id, join_reason: 'conversation', request_number: number },
      { external_id: quoting.id, join_reason: 'request_number', request_number: number },
    ]);
  });

  it('a page is stored oldest first by 64-bit id, also when ids differ in length', async () => {
    const server = await fakeX();
    const ana = user(1, 300);
    const budi = user(2, 80);
    server.addUsers([ana, budi]);
    const store = xStore();
    // '999' < '1000' as numbers, '1000' < '999' as text.
    const root = post(ana, '@SakuPay transfer gagal tapi saldo terpotong', { id: '999', conversation_id: '999' });
    const reply = post(budi, '@pelanggan1 @SakuPay sama, saya juga', { id: '1000', conversation_id: '999', referenced_tweets: [{ type: 'replied_to', id: '999' }] });
    server.addPosts([root, reply], { mentionsOf: BRAND_ID });
    await store.run(store.connector(server));
    expect(store.rows('select external_id, join_reason from messages order by id')).toEqual([
      { external_id: '999', join_reason: null },
      { external_id: '1000', join_reason: 'conversation' },
    ]);
  });

  it('a retweet counts as amplification of the original, not as a new case; the brand\'s own posts are skipped', async () => {
    const server = await fakeX();
    const ana = user(1, 300);
    const fans = [user(5, 20), user(6, 15_000)];
    server.addUsers([ana, brand, ...fans]);
    const store = xStore();

    const original = post(ana, '@SakuPay saldo saya hilang Rp 500.000, transaksi yang tidak saya lakukan');
    const retweets = fans.map((f) =>
      post(f, `RT @pelanggan1: ${original.text}`, { referenced_tweets: [{ type: 'retweeted', id: original.id }] }),
    );
    const answer = post(brand, '@pelanggan1 Hai Kak, mohon maaf atas kendalanya. Silakan cek DM ya.', {
      conversation_id: original.id,
      in_reply_to_user_id: ana.id,
      referenced_tweets: [{ type: 'replied_to', id: original.id }],
    });
    server.addPosts([original, ...retweets], { query: 'sakupay saldo' });
    server.addPosts([answer], { query: 'sakupay saldo' });

    const result = await store.run(store.connector(server, SEARCH));
    expect(result.error).toBeNull();
    expect(result.summary).toMatchObject({ read: 3, stored: 3, cases_created: 1, non_complaints: 2, skipped: 1 });
    expect(store.rows('select count(*) as n from cases')).toEqual([{ n: 1 }]);
    expect(store.rows<{ kind: string; kind_reason: string }>("select kind, kind_reason from messages where kind = 'repost'")).toEqual(
      retweets.map(() => ({ kind: 'repost', kind_reason: `repost of ${original.id}` })),
    );
    expect(store.rows<{ n: number }>("select count(*) as n from messages where external_id = ?", answer.id)).toEqual([{ n: 0 }]);
    const amplified = store.rows<{ data: string }>("select data from case_events where type = 'amplified' order by id").map((e) => JSON.parse(e.data));
    expect(amplified).toEqual([
      { repost: retweets[0]!.id, by: 'x:pelanggan5', followers: 20 },
      { repost: retweets[1]!.id, by: 'x:pelanggan6', followers: 15_000 },
    ]);

    // Read again (a crash before the cursor was stored): nothing is counted twice.
    store.sqlite.prepare('delete from connector_cursors').run();
    const again = await store.run(store.connector(server, SEARCH));
    expect(again.summary).toMatchObject({ duplicates: 3, stored: 0 });
    expect(store.rows("select count(*) as n from case_events where type = 'amplified'")).toEqual([{ n: 2 }]);
  });

  it('a retweet stored before the post it amplifies (an earlier run, another feed) counts once the original arrives', async () => {
    const server = await fakeX();
    const ana = user(1, 300);
    const fan = user(5, 20);
    server.addUsers([ana, fan]);
    const store = xStore();
    const original = post(ana, '@SakuPay top up 300rb gagal tapi saldo kepotong');
    const retweet = post(fan, `RT @pelanggan1: ${original.text}`, { referenced_tweets: [{ type: 'retweeted', id: original.id }] });
    server.addPosts([retweet], { mentionsOf: BRAND_ID });
    await store.run(store.connector(server));
    expect(store.rows('select count(*) as n from case_events')).toEqual([{ n: 0 }]);

    server.addPosts([original], { query: 'sakupay saldo' });
    const later = await store.run(store.connector(server, SEARCH));
    expect(later.summary).toMatchObject({ stored: 1, cases_created: 1 });
    const events = store.rows<{ type: string; data: string }>('select type, data from case_events order by id');
    expect(events.map((e) => e.type)).toEqual(['created', 'amplified']);
    expect(JSON.parse(events[1]!.data)).toEqual({ repost: retweet.id, by: 'x:pelanggan5', followers: 20 });
  });

  it('the same complaint from an author with many followers ranks above the one from a small account', async () => {
    const server = await fakeX();
    const small = user(7, 40);
    const big = user(8, 210_000);
    server.addUsers([small, big]);
    const text = '@SakuPay saldo saya hilang Rp 1.500.000, ada transaksi yang tidak saya lakukan';
    // The small account posts first: order of arrival must not decide the ranking.
    server.addPosts([post(small, text), post(big, text)], { mentionsOf: BRAND_ID });
    const store = xStore();

    await store.run(store.connector(server));
    const cases = await store.repository.listCases({ limit: 10 });
    expect(cases.map((c) => c.customerKey)).toEqual(['x:pelanggan8', 'x:pelanggan7']);
    expect(cases[0]!.urgencyScore).toBeGreaterThan(cases[1]!.urgencyScore);
    expect(cases[0]!.urgencyReasons.map((r) => r.code)).toContain('reach');
    expect(cases[1]!.urgencyReasons.map((r) => r.code)).not.toContain('reach');
  });
});
