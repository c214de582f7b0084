/**
 * A fake X API v2 for tests and benchmarks: a real HTTP server on 127.0.0.1 serving
 * GET /2/users/:id/mentions and GET /2/tweets/search/recent the way X does (newest first,
 * since_id/until_id exclusive, max_results in the documented ranges, meta.next_token until the
 * last page, expansions and field selection, x-rate-limit-* headers on every response, a
 * per-endpoint 15-minute window), from posts seeded out of recorded real pages
 * (tests/fixtures/x/SOURCES.md) or generated. Error bodies are the verbatim shapes X sends.
 *
 * It does not evaluate X's query language: a search query matches the posts the test registered
 * under that exact query string.
 *
 * Faults can be injected for the next requests: a 429 (window used up until a reset), the monthly
 * usage cap, 401, 403 client-not-enrolled, 5xx, a slow answer, malformed JSON, partial errors.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  id: string;
  username: string;
  name?: string;
  verified?: boolean;
  public_metrics?: { followers_count: number; following_count?: number; tweet_count?: number; listed_count?: number };
}

export interface FakeTweet {
  id: string;
  text: string;
  author_id?: string;
  created_at?: string;
  conversation_id?: string;
  in_reply_to_user_id?: string;
  referenced_tweets?: { type: 'retweeted' | 'quoted' | 'replied_to'; id: string }[];
  lang?: string;
  public_metrics?: Record<string, number>;
  edit_history_tweet_ids?: string[];
}

/** Where a post shows up: a user's mentions timeline and/or a search query's results. */
export interface Target {
  mentionsOf?: string;
  query?: string;
}

export type Fault =
  /** 429: the endpoint's window is used up until `resetInMs` from now (later requests get 429 too). */
  | { kind: 'rate-limit'; resetInMs: number; body?: 'problem' | 'v1' }
  /** 429 UsageCapExceeded, sent while x-rate-limit-remaining is still > 0. */
  | { kind: 'usage-cap' }
  | { kind: 'unauthorized' }
  | { kind: 'not-enrolled' }
  | { kind: 'server-error'; status?: number }
  /** A 200 whose body is cut in the middle of the JSON. */
  | { kind: 'malformed' }
  /** Waits this long before answering (normally). */
  | { kind: 'slow'; ms: number }
  /** A normal page plus an `errors` array (a suspended mentioned user). */
  | { kind: 'partial-errors' }
  /** Valid JSON, wrong shape: the first post's id as a JSON number. */
  | { kind: 'bad-shape' };

export interface RequestRecord {
  at: number;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface FakeXOptions {
  bearerToken?: string;
  /** Requests per endpoint per window (X: 450 per 15 minutes for these, app-only). */
  rateLimit?: number;
  windowMs?: number;
  now?: () => number;
}

export interface FakeX {
  url: string;
  bearerToken: string;
  addUsers(users: FakeUser[]): void;
  addPosts(tweets: FakeTweet[], target: Target): void;
  /** Seeds posts and users from a recorded page (its data, includes.users, includes.tweets). */
  seedPage(page: { data?: FakeTweet[]; includes?: { users?: FakeUser[]; tweets?: FakeTweet[] } }, target: Target): void;
  /** The next requests (after `after` normal ones) get this fault, `times` times. */
  inject(fault: Fault, options?: { after?: number; times?: number }): void;
  requests: RequestRecord[];
  close(): Promise<void>;
}

interface Timeline {
  ids: bigint[]; // newest first
  dirty: boolean;
}

interface Window {
  remaining: number;
  resetAt: number;
}

interface Pending {
  fault: Fault;
  after: number;
  times: number;
}

// Verbatim bodies (corpus x-api/ERROR_SHAPES_AND_HEADERS.md, sources cited in tests/fixtures/x/SOURCES.md).
const TOO_MANY = { title: 'Too Many Requests', type: 'about:blank', status: 429, detail: 'Too Many Requests' };
const TOO_MANY_V1 = { errors: [{ code: 88, message: 'Rate limit exceeded' }] };
const USAGE_CAP = {
  account_id: '1234567890',
  product_name: 'standard-basic',
  title: 'UsageCapExceeded',
  period: 'Monthly',
  scope: 'Product',
  detail: 'Usage cap exceeded: Monthly product cap',
  type: 'https://api.twitter.com/2/problems/usage-capped',
};
const UNAUTHORIZED = { title: 'Unauthorized', type: 'about:blank', status: 401, detail: 'Unauthorized' };
const NOT_ENROLLED = {
  client_id: '27988566',
  detail:
    'When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.',
  registration_url: 'https://developer.twitter.com/en/docs/projects/overview',
  title: 'Client Forbidden',
  required_enrollment: 'Appropriate Level of API Access',
  reason: 'client-not-enrolled',
  type: 'https://api.twitter.com/2/problems/client-forbidden',
};
const SUSPENDED_MENTION = {
  parameter: 'entities.mentions.username',
  resource_id: 'leeseunggi',
  value: 'leeseunggi',
  detail: 'User has been suspended: [leeseunggi].',
  title: 'Forbidden',
  resource_type: 'user',
  type: 'https://api.twitter.com/2/problems/resource-not-found',
};

const DEFAULT_TWEET_FIELDS = ['id', 'text', 'edit_history_tweet_ids'];
const DEFAULT_USER_FIELDS = ['id', 'name', 'username'];

export async function startFakeX(options: FakeXOptions = {}): Promise<FakeX> {
  const token = options.bearerToken ?? 'fake-x-bearer-token';
  const limit = options.rateLimit ?? 450;
  const windowMs = options.windowMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const tweets = new Map<string, FakeTweet>();
  const users = new Map<string, FakeUser>();
  const timelines = new Map<string, Timeline>();
  const windows = new Map<string, Window>();
  const faults: Pending[] = [];
  const requests: RequestRecord[] = [];

  const timeline = (key: string) => {
    let t = timelines.get(key);
    if (!t) timelines.set(key, (t = { ids: [], dirty: false }));
    return t;
  };
  const addPosts = (list: FakeTweet[], target: Target) => {
    const keys = [target.mentionsOf !== undefined ? `mentions:${target.mentionsOf}` : null, target.query !== undefined ? `search:${target.query}` : null].filter(
      (k): k is string => k !== null,
    );
    for (const t of list) {
      const isNew = !tweets.has(t.id);
      tweets.set(t.id, { edit_history_tweet_ids: [t.id], ...t });
      if (!isNew) continue;
      for (const k of keys) {
        const tl = timeline(k);
        tl.ids.push(BigInt(t.id));
        tl.dirty = true;
      }
    }
  };

  const windowOf = (endpoint: string): Window => {
    let w = windows.get(endpoint);
    if (!w || now() >= w.resetAt) windows.set(endpoint, (w = { remaining: limit, resetAt: now() + windowMs }));
    return w;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      // A bug in the fake: answer 500 so the test sees it, and say why.
      console.error('fake-x: handler failed', err);
      if (!res.headersSent) send(res, 500, { title: 'Internal Error', detail: String(err) });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake-x');
    const query = Object.fromEntries(url.searchParams);
    const record: RequestRecord = { at: now(), path: url.pathname, query, status: 0 };
    requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}, raw?: string) => {
      record.status = status;
      send(res, status, body, headers, raw);
    };

    if (req.headers.authorization !== `Bearer ${token}`) return reply(401, UNAUTHORIZED, { 'content-type': 'application/problem+json' });

    const mentions = url.pathname.match(/^\/2\/users\/(\d{1,20})\/mentions$/);
    const endpoint = mentions ? 'mentions' : url.pathname === '/2/tweets/search/recent' ? 'search' : null;
    if (req.method !== 'GET' || endpoint === null) return reply(404, { errors: [{ message: 'Sorry, that page does not exist', code: 34 }] });

    const window = windowOf(endpoint);
    const rateHeaders = () => ({
      'x-rate-limit-limit': String(limit),
      'x-rate-limit-remaining': String(window.remaining),
      'x-rate-limit-reset': String(Math.ceil(window.resetAt / 1000)),
    });

    const fault = takeFault();
    if (fault?.kind === 'slow') await new Promise((r) => setTimeout(r, fault.ms));
    if (fault?.kind === 'unauthorized') return reply(401, UNAUTHORIZED, { 'content-type': 'application/problem+json' });
    if (fault?.kind === 'not-enrolled') return reply(403, NOT_ENROLLED, { ...rateHeaders(), 'content-type': 'application/problem+json' });
    if (fault?.kind === 'usage-cap') return reply(429, USAGE_CAP, { ...rateHeaders(), 'content-type': 'application/problem+json' });
    if (fault?.kind === 'rate-limit') {
      window.remaining = 0;
      window.resetAt = now() + fault.resetInMs;
      return reply(429, fault.body === 'v1' ? TOO_MANY_V1 : TOO_MANY, rateHeaders());
    }
    if (window.remaining <= 0) return reply(429, TOO_MANY, rateHeaders());
    window.remaining--;
    if (fault?.kind === 'server-error') {
      const status = fault.status ?? 503;
      return reply(status, { title: 'Service Unavailable', detail: 'Service Unavailable', type: 'about:blank', status }, rateHeaders());
    }

    const problem = validate(endpoint, query);
    if (problem) return reply(400, problem, rateHeaders());
    const key = mentions ? `mentions:${mentions[1]}` : `search:${query.query}`;
    const body = page(key, query);
    if (fault?.kind === 'partial-errors') (body as { errors?: unknown[] }).errors = [SUSPENDED_MENTION];
    if (fault?.kind === 'bad-shape') {
      const first = (body as { data?: Record<string, unknown>[] }).data?.[0];
      if (first) first.id = Number(first.id);
    }
    if (fault?.kind === 'malformed') {
      const text = JSON.stringify(body);
      return reply(200, null, rateHeaders(), text.slice(0, Math.max(1, Math.floor(text.length / 2))));
    }
    return reply(200, body, rateHeaders());
  }

  function takeFault(): Fault | undefined {
    const next = faults[0];
    if (!next) return undefined;
    if (next.after > 0) {
      next.after--;
      return undefined;
    }
    if (--next.times <= 0) faults.shift();
    return next.fault;
  }

  function validate(endpoint: string, q: Record<string, string>): unknown {
    const [min, max] = endpoint === 'mentions' ? [5, 100] : [10, 100];
    const bad: [string, string][] = [];
    if (q.max_results !== undefined) {
      const n = Number(q.max_results);
      if (!Number.isInteger(n) || n < min || n > max) bad.push(['max_results', `The \`max_results\` query parameter value [${q.max_results}] is not between ${min} and ${max}`]);
    }
    if (endpoint === 'search' && !q.query) bad.push(['query', 'The `query` query parameter can not be empty']);
    for (const p of ['since_id', 'until_id']) {
      if (q[p] !== undefined && !/^\d{1,19}$/.test(q[p]!)) bad.push([p, `The \`${p}\` query parameter value [${q[p]}] is not valid`]);
    }
    const tokenParam = endpoint === 'mentions' ? 'pagination_token' : 'next_token';
    const tokenValue = q[tokenParam];
    if (tokenValue !== undefined && decodeToken(tokenValue) === null) {
      bad.push([tokenParam, `The \`${tokenParam}\` query parameter value [${tokenValue}] is not valid`]);
    }
    if (bad.length === 0) return null;
    return {
      errors: bad.map(([name, message]) => ({ parameters: { [name]: [q[name] ?? ''] }, message })),
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    };
  }

  function page(key: string, q: Record<string, string>): Record<string, unknown> {
    const tl = timelines.get(key);
    if (tl?.dirty) {
      tl.ids.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
      tl.dirty = false;
    }
    const ids = tl?.ids ?? [];
    const since = q.since_id !== undefined ? BigInt(q.since_id) : null;
    const tokenParam = key.startsWith('mentions:') ? 'pagination_token' : 'next_token';
    const token = q[tokenParam] !== undefined ? decodeToken(q[tokenParam]!) : null;
    const untilParam = q.until_id !== undefined ? BigInt(q.until_id) : null;
    // The token is "below this id"; until_id likewise (both exclusive).
    const below = token !== null && (untilParam === null || token < untilParam) ? token : untilParam;
    const max = Number(q.max_results ?? (key.startsWith('mentions:') ? 10 : 10));
    const start = below === null ? 0 : firstBelow(ids, below);
    const chosen: bigint[] = [];
    let i = start;
    for (; i < ids.length && chosen.length < max; i++) {
      if (since !== null && ids[i]! <= since) break;
      chosen.push(ids[i]!);
    }
    if (chosen.length === 0) return { meta: { result_count: 0 } };
    const more = i < ids.length && (since === null || ids[i]! > since);
    const tweetFields = new Set([...DEFAULT_TWEET_FIELDS, ...(q['tweet.fields']?.split(',') ?? [])]);
    const userFields = new Set([...DEFAULT_USER_FIELDS, ...(q['user.fields']?.split(',') ?? [])]);
    const expansions = new Set(q.expansions?.split(',') ?? []);
    const data = chosen.map((id) => pick(tweets.get(String(id))!, tweetFields));
    const includes: Record<string, unknown[]> = {};
    if (expansions.has('author_id')) {
      const authors = [...new Set(chosen.map((id) => tweets.get(String(id))!.author_id).filter((a): a is string => a !== undefined))];
      const found = authors.map((a) => users.get(a)).filter((u): u is FakeUser => u !== undefined);
      if (found.length > 0) includes.users = found.map((u) => pick(u, userFields));
    }
    if (expansions.has('referenced_tweets.id')) {
      const refs = [...new Set(chosen.flatMap((id) => tweets.get(String(id))!.referenced_tweets?.map((r) => r.id) ?? []))];
      const found = refs.map((r) => tweets.get(r)).filter((t): t is FakeTweet => t !== undefined);
      if (found.length > 0) includes.tweets = found.map((t) => pick(t, tweetFields));
    }
    const meta: Record<string, unknown> = { newest_id: String(chosen[0]), oldest_id: String(chosen[chosen.length - 1]), result_count: chosen.length };
    if (more) meta.next_token = encodeToken(chosen[chosen.length - 1]!);
    return { data, ...(Object.keys(includes).length > 0 ? { includes } : {}), meta };
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    bearerToken: token,
    addUsers(list) {
      for (const u of list) users.set(u.id, u);
    },
    addPosts,
    seedPage(p, target) {
      for (const u of p.includes?.users ?? []) users.set(u.id, u);
      // Referenced posts are known (for includes.tweets) but are not results themselves.
      for (const t of p.includes?.tweets ?? []) if (!tweets.has(t.id)) tweets.set(t.id, t);
      addPosts(p.data ?? [], target);
    },
    inject(fault, opts = {}) {
      faults.push({ fault, after: opts.after ?? 0, times: opts.times ?? 1 });
    },
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}, raw?: string): void {
  const text = raw ?? JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'api-version': '2.52',
    'cache-control': 'no-cache, no-store, max-age=0',
    'x-access-level': 'read',
    'x-response-time': '1',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function pick<T extends object>(obj: T, fields: Set<string>): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (fields.has(k) && v !== undefined) out[k] = v;
  return out as Partial<T>;
}

/** Index of the first id below `below` in a newest-first list. */
function firstBelow(ids: bigint[], below: bigint): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid]! >= below) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// Opaque-looking tokens like X's (lower-case base36), carrying "below this id".
function encodeToken(id: bigint): string {
  return `7140dibdnow9c7btw${id.toString(36)}`;
}

function decodeToken(token: string): bigint | null {
  const m = token.match(/^7140dibdnow9c7btw([0-9a-z]{1,14})$/);
  if (!m) return null;
  let n = 0n;
  for (const ch of m[1]!) n = n * 36n + BigInt(parseInt(ch, 36));
  return n;
}
