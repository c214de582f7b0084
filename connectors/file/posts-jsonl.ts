/**
 * JSON Lines of social posts: one object per line with the fields the X connector produces.
 * Required: id, created_at (ISO 8601), author (handle), text. Optional: author_name, followers,
 * conversation_id, in_reply_to, lang, url, channel (default x).
 */
import { z } from 'zod';
import type { Channel, RawItem } from '../types.js';

// Post ids (X snowflakes) exceed 2^53: as JSON numbers they would silently lose digits.
const id = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v) && v >= 0) return String(v);
    ctx.addIssue({ code: 'custom', message: 'ids above 2^53 lose digits as JSON numbers: write them as strings' });
    return z.NEVER;
  }
  if (/^[A-Za-z0-9_:.-]{1,128}$/.test(v)) return v;
  ctx.addIssue({ code: 'custom', message: 'use 1-128 letters, digits and _:.-' });
  return z.NEVER;
});

export const postSchema = z.object({
  id,
  created_at: z.iso.datetime({ offset: true }),
  author: z
    .string()
    .min(1)
    .transform((h) => h.replace(/^@/, '')),
  text: z.string(),
  author_name: z.string().optional(),
  followers: z.number().int().nonnegative().optional(),
  conversation_id: id.optional(),
  in_reply_to: id.optional(),
  lang: z.string().max(16).optional(),
  url: z.url().optional(),
  channel: z.enum(['x', 'form', 'app', 'email']).default('x'),
});

export type Post = z.output<typeof postSchema>;

export type PostParseResult = { ok: true; item: RawItem } | { ok: false; reason: string; detail: string };

export function parsePostLine(line: string, source: string, rawRef: string): PostParseResult {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: 'invalid_json', detail: (err as Error).message };
  }
  const parsed = postSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
    return { ok: false, reason: 'invalid_post', detail };
  }
  return { ok: true, item: postToRawItem(parsed.data, source, rawRef) };
}

export function postToRawItem(post: Post, source: string, rawRef: string): RawItem {
  const channel: Channel = post.channel;
  const item: RawItem = {
    channel,
    source,
    externalId: post.id,
    sentAt: new Date(post.created_at),
    author: {
      handle: post.author,
      ...(post.author_name !== undefined ? { name: post.author_name } : {}),
      ...(post.followers !== undefined ? { followers: post.followers } : {}),
    },
    text: post.text,
    attachments: [],
    rawRef,
  };
  if (post.conversation_id !== undefined) item.conversationId = post.conversation_id;
  if (post.in_reply_to !== undefined) item.inReplyToId = post.in_reply_to;
  if (post.lang !== undefined) item.lang = post.lang;
  if (post.url !== undefined) item.url = post.url;
  return item;
}
