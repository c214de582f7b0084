/**
 * What an X source is (its options, with defaults), and the small function turning it into a
 * twitter-api-v2 client. The bearer token comes from the environment variable the source names;
 * it never appears in errors or logs.
 */
import http from 'node:http';
import { TwitterApi, type ITwitterApiClientPlugin } from 'twitter-api-v2';
import { z } from 'zod';

export const DEFAULT_X = {
  baseUrl: 'https://api.x.com',
  /** max_results per request: the most both endpoints allow. */
  pageSize: 100,
  /** Requests per timeline or query in one run; a burst beyond it is read over the next runs. */
  maxPagesPerRun: 10,
  timeoutMs: 30_000,
  /**
   * The monthly usage cap does not say when it lifts (the headers describe the 15-minute window):
   * ask again after this long, once, rather than every poll.
   */
  usageCapRetryMs: 6 * 3_600_000,
} as const;

/** The library's own host; requests to it are redirected to `baseUrl` (tests, a proxy). */
const X_API_ORIGIN = 'https://api.x.com';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');
// X ids are 64-bit: strings of digits, never numbers (they exceed 2^53).
const xId = z.string().regex(/^\d{1,20}$/, 'an X id: digits, as a string');

export const xQuerySchema = z.object({
  /** Names the query's cursor; keep it when you edit the query text, to carry on from where it was. */
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ -'),
  /** X search syntax, e.g. `gopay (saldo OR hilang OR gagal) -is:retweet`. */
  query: z.string().min(1).max(4096),
});

export const xSourceSchema = z
  .object({
    type: z.literal('x'),
    /** Source name stored with each post; also the cursors' owner. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ -'),
    /** Where the X API v2 lives: a proxy in production, the fake server in tests. */
    baseUrl: z.url({ protocol: /^https?$/ }).default(DEFAULT_X.baseUrl),
    /** Environment variable holding the app's bearer token. */
    bearerTokenEnv: envName,
    /** The brand's own accounts: their mentions timelines are read, their own posts are not complaints. */
    brandUserIds: z.array(xId).default([]),
    /** Read GET /2/users/:id/mentions for every brandUserIds entry. */
    mentions: z.boolean().default(true),
    /** Recent-search queries (GET /2/tweets/search/recent). */
    queries: z.array(xQuerySchema).default([]),
    pageSize: z.number().int().min(10).max(100).default(DEFAULT_X.pageSize),
    maxPagesPerRun: z.number().int().min(1).max(10_000).default(DEFAULT_X.maxPagesPerRun),
    timeoutMs: z.number().int().positive().default(DEFAULT_X.timeoutMs),
    usageCapRetryMs: z.number().int().positive().default(DEFAULT_X.usageCapRetryMs),
  })
  .superRefine((s, ctx) => {
    if (s.mentions && s.brandUserIds.length === 0 && s.queries.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['brandUserIds'], message: 'give the brand account ids (for mentions) or at least one query' });
    }
    if (!s.mentions && s.queries.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['queries'], message: 'with mentions off, give at least one query' });
    }
    const names = new Set<string>();
    s.queries.forEach((q, i) => {
      if (names.has(q.name)) ctx.addIssue({ code: 'custom', path: ['queries', i, 'name'], message: `query name "${q.name}" is used twice` });
      names.add(q.name);
    });
  });

export type XSource = z.output<typeof xSourceSchema>;

export class XConfigError extends Error {
  override name = 'XConfigError';
  readonly code = 'config_x';
}

/** The bearer token for a source. Throws XConfigError naming a missing variable, never a value. */
export function bearerToken(source: XSource, env: NodeJS.ProcessEnv): string {
  const token = env[source.bearerTokenEnv];
  if (!token) throw new XConfigError(`X source "${source.name}": environment variable ${source.bearerTokenEnv} is not set`);
  return token;
}

/**
 * A read-only v2 client talking to `baseUrl`. twitter-api-v2 always builds https://api.x.com URLs
 * (its cloneWithPrefix is broken), so a plugin rewrites the origin before each request, and a
 * plain-http base needs an http agent (the library calls https.request with it).
 */
export function createXClient(source: XSource, env: NodeJS.ProcessEnv): TwitterApi {
  const base = source.baseUrl.replace(/\/+$/, '');
  const plugins: ITwitterApiClientPlugin[] = [];
  if (base !== X_API_ORIGIN) {
    plugins.push({
      onBeforeRequestConfig({ params }) {
        params.url = params.url.replace(X_API_ORIGIN, base);
      },
    });
  }
  const plainHttp = base.startsWith('http:');
  return new TwitterApi(bearerToken(source, env), {
    plugins,
    ...(plainHttp ? { httpAgent: new http.Agent({ keepAlive: true }) } : {}),
  });
}
