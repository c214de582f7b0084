/**
 * Many posts for bursts and benchmarks, shaped like real mentions: the texts of the bundled sample
 * mentions (samples/posts/mentions.jsonl: en/id/zh, complaints, questions, thanks) with varied
 * amounts and a serial, authors with a long-tailed follower count, some replies in a conversation
 * and some retweets. Ids are snowflakes (time in the top bits), increasing, as strings.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeTweet, FakeUser } from './fake-x-server.js';

const SAMPLE_TEXTS: string[] = readFileSync(join(import.meta.dirname, '../../samples/posts/mentions.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => (JSON.parse(l) as { text: string }).text);

const X_EPOCH_MS = 1288834974657n;

/** The snowflake id of a post made at `ms` (sequence `seq` within that millisecond). */
export function snowflake(ms: number, seq = 0): bigint {
  return ((BigInt(ms) - X_EPOCH_MS) << 22n) | BigInt(seq & 0xfff);
}

export interface SyntheticOptions {
  /** Ids start above this (exclusive): keep successive batches newer than the last. */
  after?: bigint;
  /** The first post's time; later posts follow 10 ms apart. */
  startMs?: number;
  /** Distinct authors (default n / 4). */
  authors?: number;
  /** Share of retweets of an earlier post in the batch (default 0). */
  retweetShare?: number;
  /** Share of replies to an earlier post (same conversation) (default 0). */
  replyShare?: number;
  /** Prefix of author ids/handles, so two batches can have distinct authors. */
  authorPrefix?: string;
}

export function syntheticPosts(n: number, options: SyntheticOptions = {}): { tweets: FakeTweet[]; users: FakeUser[]; lastId: bigint } {
  const authors = Math.max(1, options.authors ?? Math.ceil(n / 4));
  const prefix = options.authorPrefix ?? 'cust';
  const users: FakeUser[] = [];
  for (let a = 0; a < authors; a++) {
    // Long tail: most have hundreds of followers, a few tens of thousands.
    const followers = a % 97 === 0 ? 50_000 + a * 13 : 20 + ((a * 7919) % 2_000);
    users.push({ id: String(9_000_000_000 + a), username: `${prefix}_${a}`, name: `Customer ${a}`, verified: false, public_metrics: { followers_count: followers } });
  }
  const start = options.startMs ?? Date.now() - n * 10;
  let id = snowflake(start);
  if (options.after !== undefined && id <= options.after) id = options.after + 1n;
  const tweets: FakeTweet[] = [];
  for (let i = 0; i < n; i++) {
    id += 1n + BigInt(i % 7) * 4_194_304n; // a few ms apart
    const idText = String(id);
    const author = users[(i * 31) % authors]!;
    const created = new Date(Number((id >> 22n) + X_EPOCH_MS)).toISOString().replace(/Z$/, 'Z');
    const base = SAMPLE_TEXTS[i % SAMPLE_TEXTS.length]!;
    const roll = ((i * 2654435761) >>> 0) / 2 ** 32;
    const earlier = i > 0 ? tweets[(i * 17) % i] : undefined;
    if (earlier && roll < (options.retweetShare ?? 0)) {
      tweets.push({
        id: idText,
        text: `RT @${users.find((u) => u.id === earlier.author_id)?.username ?? 'someone'}: ${earlier.text}`.slice(0, 140),
        author_id: author.id,
        created_at: created,
        conversation_id: idText,
        referenced_tweets: [{ type: 'retweeted', id: earlier.id }],
        lang: earlier.lang ?? 'und',
        public_metrics: { retweet_count: 0, reply_count: 0, like_count: 0, quote_count: 0 },
      });
      continue;
    }
    const reply = earlier && roll < (options.retweetShare ?? 0) + (options.replyShare ?? 0);
    tweets.push({
      id: idText,
      text: vary(base, i),
      author_id: author.id,
      created_at: created,
      conversation_id: reply ? (earlier.conversation_id ?? earlier.id) : idText,
      ...(reply ? { referenced_tweets: [{ type: 'replied_to' as const, id: earlier.id }], in_reply_to_user_id: earlier.author_id } : {}),
      lang: /[\u4e00-\u9fff]/.test(base) ? 'zh' : /\b(?:saya|gak|udah|min|tolong|kenapa|aplikasi)\b/i.test(base) ? 'in' : 'en',
      public_metrics: { retweet_count: i % 5, reply_count: i % 3, like_count: i % 11, quote_count: 0 },
    });
  }
  return { tweets, users, lastId: id };
}

/** Same shape, different post: amounts change and a short serial makes each text unique. */
function vary(text: string, i: number): string {
  const amount = `Rp ${((i % 90) + 10) * 25}.000`;
  return `${text.replace(/Rp\s?[\d.]+/g, amount)} #${(i + 1).toString(36)}`;
}
