/**
 * The X connector (the real twitter-api-v2 client) against the fake X server on 127.0.0.1,
 * storing into a real SQLite file: once-only ingestion, since_id, bounded runs over a burst.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FakeTweet, FakeUser } from '../../fake-x/fake-x-server.js';
import { syntheticPosts } from '../../fake-x/synthetic-posts.js';
import { BRAND_ID, fakeXPerTest, xStore } from '../../helpers/x.js';

const fixture = <T>(name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/x', name), 'utf8')) as T;
type Page = { data: FakeTweet[]; includes: { users: FakeUser[]; tweets?: FakeTweet[] }; meta: { newest_id: string } };

const fakeX = fakeXPerTest();
const QUERY = 'sakupay (saldo OR hilang OR gagal) -is:retweet';

describe('X connector', () => {
  it('ingests mentions and a search once from recorded pages; re-polling stores nothing; since_id advances', async () => {
    const server = await fakeX();
    const mentions = fixture<{ json: Page }>('tweepy-mentions.json').json;
    const kpop = fixture<Page>('twarc-search-recent-kpop.json');
    server.seedPage(mentions, { mentionsOf: BRAND_ID });
    server.seedPage(kpop, { query: QUERY });
    // The real kpop page came with partial errors beside its data: they must not cost the data.
    server.inject({ kind: 'partial-errors' }, { after: 1 });
    const store = xStore();
    const source = { queries: [{ name: 'saldo', query: QUERY }], pageSize: 100 };

    const first = await store.run(store.connector(server, source));
    expect(first.error).toBeNull();
    expect(first.summary).toMatchObject({ read: 110, stored: 110, duplicates: 0, quarantined: 0 });
    const retweets = kpop.data.filter((t) => t.referenced_tweets?.some((r) => r.type === 'retweeted')).length;
    expect(retweets).toBeGreaterThan(0);
    expect(first.summary.non_complaints).toBe(retweets);
    expect(store.rows("select count(*) as n from messages where kind = 'repost' and case_id is null")).toEqual([{ n: retweets }]);
    expect(store.rows("select count(*) as n from messages where lang = 'in'")).toEqual([{ n: kpop.data.filter((t) => t.lang === 'in').length }]);
    const withReach = store.rows<{ author_handle: string; author_followers: number; url: string }>(
      'select author_handle, author_followers, url from messages where external_id = ?',
      kpop.data[0]!.id,
    )[0]!;
    const author = kpop.includes.users.find((u) => u.id === kpop.data[0]!.author_id)!;
    expect(withReach).toEqual({
      author_handle: author.username,
      author_followers: author.public_metrics!.followers_count,
      url: `https://x.com/${author.username}/status/${kpop.data[0]!.id}`,
    });
    const newestMention = mentions.data.map((t) => BigInt(t.id)).reduce((a, b) => (b > a ? b : a));
    expect(JSON.parse(store.cursor(`mentions:${BRAND_ID}`)!)).toEqual({ since: String(newestMention) });
    expect(JSON.parse(store.cursor('search:saldo')!)).toEqual({ since: kpop.meta.newest_id });
    expect(server.requests[0]!.query).toMatchObject({
      expansions: 'author_id,referenced_tweets.id',
      'user.fields': 'public_metrics,verified,username,name',
      max_results: '100',
    });
    expect(server.requests[0]!.query['tweet.fields']!.split(',')).toEqual(
      expect.arrayContaining(['created_at', 'conversation_id', 'referenced_tweets', 'lang', 'public_metrics', 'in_reply_to_user_id']),
    );

    const before = server.requests.length;
    const again = await store.run(store.connector(server, source));
    expect(again.summary).toMatchObject({ read: 0, stored: 0 });
    const second = server.requests.slice(before);
    expect(second.map((r) => r.query.since_id)).toEqual([String(newestMention), kpop.meta.newest_id]);

    const { tweets, users } = syntheticPosts(3, { after: BigInt(kpop.meta.newest_id) });
    server.addUsers(users);
    server.addPosts(tweets, { mentionsOf: BRAND_ID });
    const third = await store.run(store.connector(server, source));
    expect(third.summary).toMatchObject({ read: 3, stored: 3, duplicates: 0 });
    expect(JSON.parse(store.cursor(`mentions:${BRAND_ID}`)!)).toEqual({ since: tweets[2]!.id });
    expect(store.rows('select count(*) as n from messages')).toEqual([{ n: 113 }]);
  });

  it('reads a burst larger than one run\'s page budget over several runs, with new posts arriving, losing nothing', async () => {
    const server = await fakeX();
    const burst = syntheticPosts(250, { authors: 60 });
    server.addUsers(burst.users);
    server.addPosts(burst.tweets, { mentionsOf: BRAND_ID });
    const store = xStore();
    const options = { pageSize: 10, maxPagesPerRun: 4 };

    const reads: number[] = [];
    let late: FakeTweet[] = [];
    for (let run = 1; run <= 20; run++) {
      const result = await store.run(store.connector(server, options));
      expect(result.error).toBeNull();
      expect(result.summary.duplicates).toBe(0);
      reads.push(result.summary.read);
      if (run === 2) {
        // Newer posts arrive while the backlog is still being read.
        const more = syntheticPosts(15, { after: burst.lastId, authorPrefix: 'late' });
        server.addUsers(more.users);
        server.addPosts(more.tweets, { mentionsOf: BRAND_ID });
        late = more.tweets;
      }
      if (result.summary.read === 0) break;
    }
    expect(reads.slice(0, 2)).toEqual([40, 40]);
    expect(Math.max(...reads)).toBeLessThanOrEqual(40);
    expect(reads[reads.length - 1]).toBe(0);
    const stored = new Set(store.rows<{ external_id: string }>('select external_id from messages').map((r) => r.external_id));
    expect(stored.size).toBe(265);
    for (const t of [...burst.tweets, ...late]) expect(stored.has(t.id)).toBe(true);
    expect(JSON.parse(store.cursor(`mentions:${BRAND_ID}`)!)).toEqual({ since: late[late.length - 1]!.id });
  });

  it('a run cut by its page budget keeps a resumable window: since stays, until is the oldest post stored', async () => {
    const server = await fakeX();
    const posts = syntheticPosts(35);
    server.addUsers(posts.users);
    server.addPosts(posts.tweets, { mentionsOf: BRAND_ID });
    const store = xStore();
    const seed = syntheticPosts(1, { startMs: Date.now() - 86_400_000, authorPrefix: 'early' });
    server.addUsers(seed.users);
    server.addPosts(seed.tweets, { mentionsOf: BRAND_ID });
    await store.run(store.connector(server, { pageSize: 10, maxPagesPerRun: 1 }));
    // That first run read the newest 10 of 36: the window is open below them.
    const sorted = [...posts.tweets].map((t) => t.id).sort((a, b) => (BigInt(a) > BigInt(b) ? -1 : 1));
    expect(JSON.parse(store.cursor(`mentions:${BRAND_ID}`)!)).toEqual({ until: sorted[9], newest: sorted[0] });
    for (let i = 0; i < 3; i++) await store.run(store.connector(server, { pageSize: 10, maxPagesPerRun: 1 }));
    expect(JSON.parse(store.cursor(`mentions:${BRAND_ID}`)!)).toEqual({ since: sorted[0] });
    expect(store.rows('select count(*) as n from messages')).toEqual([{ n: 36 }]);
    const untils = server.requests.map((r) => r.query.until_id ?? null);
    expect(untils).toEqual([null, sorted[9], sorted[19], sorted[29]]);
  });
});
