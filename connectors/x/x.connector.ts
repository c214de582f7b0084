/**
 * Reads posts that mention the brand from the X API v2: each brand account's mentions timeline
 * (GET /2/users/:id/mentions) and each recent-search query (GET /2/tweets/search/recent).
 *
 * Cursor, per timeline (`mentions:<user id>`) and per query (`search:<name>`): see x-cursor.ts.
 * After every page the connector yields the page's posts, then the cursor that covers them, so the
 * pipeline stores both in one transaction; a run stopped by anything (its page budget, a 429, a
 * 5xx, malformed JSON, a crash) resumes below the oldest post it stored and skips nothing.
 *
 * Pages per timeline or query are bounded per run (maxPagesPerRun): a viral burst is read over
 * several runs. While one page is stored, the next is already being fetched.
 *
 * Rate limits: every response's x-rate-limit-remaining/reset is read; when a window is used up the
 * connector stops asking that endpoint and tells the scheduler (notBefore) when it may ask again,
 * which the scheduler persists as the source's retryNotBefore, so even a restarted process waits.
 * A 429 becomes a rate_limit ConnectorError carrying the wait until reset; the monthly usage cap
 * (a 429 with title UsageCapExceeded, while x-rate-limit-remaining can still be > 0) is told apart
 * and not retried in the run.
 *
 * The brand's own posts are skipped (a `skipped` event); retweets become items with `repostOf`,
 * which the pipeline stores as amplification of the original, never as a complaint of their own.
 */
import type { TwitterApi, TwitterRateLimit } from 'twitter-api-v2';
import type { Connector, CursorReader, PullEvent } from '../types.js';
import { afterPage, formatXCursor, parseXCursor, windowDone, type XCursor } from './x-cursor.js';
import { classifyXError, RESET_MARGIN_MS } from './x-errors.js';
import { mapPost, parsePage, usersOf, type XPage } from './x-page.js';
import { createXClient, type XSource } from './x.config.js';

export interface XConnectorDeps {
  env?: NodeJS.ProcessEnv;
  clock?: () => Date;
}

/** The fields triage needs (reach, language, threading, what a post quotes or answers). */
export const X_FIELDS = {
  expansions: 'author_id,referenced_tweets.id',
  'user.fields': 'public_metrics,verified,username,name',
  'tweet.fields': 'author_id,created_at,conversation_id,referenced_tweets,lang,public_metrics,in_reply_to_user_id',
} as const;

interface Feed {
  /** Cursor key. */
  key: string;
  /** Path under /2/. */
  path: string;
  /** Rate limits are per endpoint. */
  endpoint: 'mentions' | 'search';
  /** The parameter that carries meta.next_token into the next request. */
  tokenParam: 'pagination_token' | 'next_token';
  query: Record<string, string>;
  label: string;
}

type Fetched = { ok: true; page: XPage; rateLimit: TwitterRateLimit | undefined } | { ok: false; error: unknown };

export class XConnector implements Connector {
  readonly name: string;
  /** Endpoint -> when its used-up window resets (ms). */
  private readonly exhausted = new Map<Feed['endpoint'], number>();

  constructor(
    readonly source: XSource,
    private readonly deps: XConnectorDeps = {},
  ) {
    this.name = source.name;
  }

  /** When the last run used up a rate-limit window: do not call before this. */
  notBefore(): Date | null {
    const latest = Math.max(0, ...this.exhausted.values());
    return latest > this.now().getTime() ? new Date(latest) : null;
  }

  async *pull(cursors: CursorReader): AsyncGenerator<PullEvent> {
    this.exhausted.clear();
    let client: TwitterApi;
    try {
      client = createXClient(this.source, this.deps.env ?? process.env);
    } catch (err) {
      throw this.classify(err, 'creating the client');
    }
    for (const feed of this.feeds()) {
      if (this.exhausted.has(feed.endpoint)) continue;
      let stored: string | null;
      try {
        stored = await cursors.get(this.name, feed.key);
      } catch (err) {
        throw new Error(`${this.name}: reading the cursor of ${feed.key} failed: ${(err as Error).message}`, { cause: err });
      }
      yield* this.pullFeed(client, feed, stored);
    }
  }

  private feeds(): Feed[] {
    const feeds: Feed[] = [];
    if (this.source.mentions) {
      for (const userId of this.source.brandUserIds) {
        feeds.push({ key: `mentions:${userId}`, path: `users/${userId}/mentions`, endpoint: 'mentions', tokenParam: 'pagination_token', query: {}, label: `mentions of ${userId}` });
      }
    }
    for (const q of this.source.queries) {
      feeds.push({ key: `search:${q.name}`, path: 'tweets/search/recent', endpoint: 'search', tokenParam: 'next_token', query: { query: q.query }, label: `search "${q.name}"` });
    }
    return feeds;
  }

  private async *pullFeed(client: TwitterApi, feed: Feed, stored: string | null): AsyncGenerator<PullEvent> {
    let cursor: XCursor;
    try {
      cursor = parseXCursor(stored);
    } catch (err) {
      throw this.classify(err, `reading the cursor of ${feed.label}`);
    }
    // One window per run: since_id/until_id stay fixed and next_token walks down through it.
    const window: Record<string, string> = {
      ...feed.query,
      ...X_FIELDS,
      max_results: String(this.source.pageSize),
      ...(cursor.since !== undefined ? { since_id: cursor.since } : {}),
      ...(cursor.until !== undefined ? { until_id: cursor.until } : {}),
    };
    const brand = new Set(this.source.brandUserIds);
    let pageNo = 1;
    let next: Promise<Fetched> | null = this.fetchPage(client, feed, window, undefined);
    while (next) {
      const fetched = await next;
      next = null;
      if (!fetched.ok) throw this.classify(fetched.error, `reading ${feed.label} (page ${pageNo})`);
      const { page, rateLimit } = fetched;
      this.noteRateLimit(feed.endpoint, rateLimit);
      const token = page.meta.next_token;
      const more = token !== undefined;
      if (more && pageNo < this.source.maxPagesPerRun && !this.exhausted.has(feed.endpoint)) {
        // Fetched while this page is stored.
        next = this.fetchPage(client, feed, window, token);
      }

      // X sends newest first; the pipeline decides in order, so a page goes oldest first (a reply
      // after the post it answers). The cursor below covers the whole page either way.
      const posts = [...(page.data ?? [])].sort((a, b) => compareIds(a.id, b.id));
      const ctx = { source: this.name, key: feed.key, brandUserIds: brand, users: usersOf(page) };
      for (const tweet of posts) {
        const verdict = mapPost(tweet, ctx);
        if (verdict.kind === 'own') yield { kind: 'skipped', rawRef: verdict.rawRef, reason: 'the brand\'s own post' };
        else yield { kind: 'item', item: verdict.item };
      }
      let after: XCursor;
      if (posts.length > 0) {
        after = afterPage(cursor, { newest: posts[posts.length - 1]!.id, oldest: posts[0]!.id, more });
      } else {
        // X may send an empty page with a next_token; only an empty last page ends the window.
        after = more ? cursor : windowDone(cursor);
      }
      const value = formatXCursor(after);
      if (value !== formatXCursor(cursor)) {
        yield { kind: 'cursor', cursor: { source: this.name, key: feed.key, value } };
      }
      cursor = after;
      pageNo++;
    }
  }

  /** One request; its outcome is kept, not thrown, so a fetch started ahead never goes unhandled. */
  private fetchPage(client: TwitterApi, feed: Feed, window: Record<string, string>, token: string | undefined): Promise<Fetched> {
    const query = token !== undefined ? { ...window, [feed.tokenParam]: token } : window;
    return client.v2.get(feed.path, query, { fullResponse: true, timeout: this.source.timeoutMs }).then(
      (response) => {
        try {
          return { ok: true as const, page: parsePage(response.data), rateLimit: response.rateLimit };
        } catch (error) {
          return { ok: false as const, error };
        }
      },
      (error: unknown) => ({ ok: false as const, error }),
    );
  }

  private noteRateLimit(endpoint: Feed['endpoint'], rateLimit: TwitterRateLimit | undefined): void {
    if (rateLimit && Number.isFinite(rateLimit.remaining) && rateLimit.remaining <= 0 && Number.isFinite(rateLimit.reset)) {
      this.exhausted.set(endpoint, rateLimit.reset * 1000 + RESET_MARGIN_MS);
    }
  }

  private classify(err: unknown, where: string) {
    return classifyXError(err, {
      source: this.name,
      where,
      now: this.now(),
      bearerTokenEnv: this.source.bearerTokenEnv,
      usageCapRetryMs: this.source.usageCapRetryMs,
    });
  }

  private now(): Date {
    return this.deps.clock?.() ?? new Date();
  }
}

/**
 * Ids are 64-bit: never compared as numbers (doubles). Decimal strings without leading zeros (the
 * page schema admits no others) order by length, then character by character: exact, and cheaper
 * than BigInt on every page.
 */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
