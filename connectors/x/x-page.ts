/**
 * One page of GET /2/users/:id/mentions or GET /2/tweets/search/recent (same envelope), checked
 * against a schema, and the pure mapping from a post to a RawItem. A page that does not match is a
 * clear error naming the field, never a crash half-way through a page.
 */
import { z } from 'zod';
import type { RawItem } from '../types.js';

// Ids exceed 2^53: strings of digits, no leading zeros (the connector orders them as such).
const id = z.string().regex(/^(?:0|[1-9]\d{0,19})$/, 'an id of digits');

const publicMetrics = z.object({ followers_count: z.number().int().nonnegative() }).loose();

export const xUserSchema = z.object({
  id,
  username: z.string().min(1),
  name: z.string().optional(),
  verified: z.boolean().optional(),
  public_metrics: publicMetrics.optional(),
});

const referencedTweet = z.object({ type: z.enum(['retweeted', 'quoted', 'replied_to']), id });

export const xTweetSchema = z.object({
  id,
  text: z.string(),
  author_id: id.optional(),
  created_at: z.iso.datetime({ offset: true }).optional(),
  conversation_id: id.optional(),
  in_reply_to_user_id: id.optional(),
  referenced_tweets: z.array(referencedTweet).optional(),
  lang: z.string().max(16).optional(),
  public_metrics: z.record(z.string(), z.number()).optional(),
});

export const xPageSchema = z.object({
  data: z.array(xTweetSchema).optional(),
  includes: z
    .object({
      users: z.array(xUserSchema).optional(),
      tweets: z.array(xTweetSchema.partial({ text: true })).optional(),
    })
    .optional(),
  /** Partial errors beside the data (a suspended mentioned user, a deleted referenced post). */
  errors: z.array(z.object({ title: z.string().optional(), detail: z.string().optional() }).loose()).optional(),
  meta: z.object({
    result_count: z.number().int().nonnegative(),
    newest_id: id.optional(),
    oldest_id: id.optional(),
    next_token: z.string().min(1).optional(),
  }),
});

export type XTweet = z.output<typeof xTweetSchema>;
export type XUser = z.output<typeof xUserSchema>;
export type XPage = z.output<typeof xPageSchema>;

export class XPageError extends Error {
  override name = 'XPageError';
}

/** Parses a response body; throws XPageError naming the first fields that do not fit. */
export function parsePage(body: unknown): XPage {
  const parsed = xPageSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
  throw new XPageError(`unexpected response shape: ${issues.join('; ')}`);
}

/** What a post is to us. */
export type PostVerdict =
  | { kind: 'item'; item: RawItem }
  /** The brand's own post (a reply to a customer, an announcement): not a complaint. */
  | { kind: 'own'; rawRef: string };

export interface MapContext {
  source: string;
  /** Which timeline or query found it, for rawRef. */
  key: string;
  brandUserIds: ReadonlySet<string>;
  users: ReadonlyMap<string, XUser>;
}

/**
 * Maps a post to a RawItem (pure). Reach (followers) feeds urgency; conversation_id feeds dedupe
 * rule 4; a retweet carries `repostOf` so the pipeline counts it as amplification of the original
 * instead of opening a case.
 */
export function mapPost(tweet: XTweet, ctx: MapContext): PostVerdict {
  const rawRef = `x://${ctx.source}/${ctx.key}/${tweet.id}`;
  if (tweet.author_id !== undefined && ctx.brandUserIds.has(tweet.author_id)) return { kind: 'own', rawRef };
  const user = tweet.author_id !== undefined ? ctx.users.get(tweet.author_id) : undefined;
  const item: RawItem = {
    channel: 'x',
    source: ctx.source,
    externalId: tweet.id,
    // created_at is requested; without it, the id's snowflake timestamp is the time it was posted.
    sentAt: tweet.created_at !== undefined ? new Date(tweet.created_at) : snowflakeTime(tweet.id),
    author: {
      ...(user ? { handle: user.username } : {}),
      ...(tweet.author_id !== undefined ? { id: tweet.author_id } : {}),
      ...(user?.name !== undefined ? { name: user.name } : {}),
      ...(user?.public_metrics ? { followers: user.public_metrics.followers_count } : {}),
      ...(user?.verified !== undefined ? { verified: user.verified } : {}),
    },
    text: tweet.text,
    attachments: [],
    rawRef,
    url: `https://x.com/${user?.username ?? 'i/web'}/status/${tweet.id}`,
  };
  if (tweet.conversation_id !== undefined) item.conversationId = tweet.conversation_id;
  if (tweet.lang !== undefined) item.lang = tweet.lang;
  for (const ref of tweet.referenced_tweets ?? []) {
    if (ref.type === 'replied_to') item.inReplyToId = ref.id;
    else if (ref.type === 'quoted') item.quotedId = ref.id;
    else item.repostOf = ref.id;
  }
  if (!user && tweet.author_id !== undefined) item.notes = [`author ${tweet.author_id} missing from the response's includes`];
  return { kind: 'item', item };
}

/** Users of a page's includes, by id. */
export function usersOf(page: XPage): Map<string, XUser> {
  return new Map((page.includes?.users ?? []).map((u) => [u.id, u]));
}

// Snowflake ids carry milliseconds since X's epoch in their top 42 bits.
const X_EPOCH_MS = 1288834974657n;

export function snowflakeTime(tweetId: string): Date {
  return new Date(Number((BigInt(tweetId) >> 22n) + X_EPOCH_MS));
}
