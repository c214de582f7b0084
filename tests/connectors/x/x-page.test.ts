import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapPost, parsePage, snowflakeTime, usersOf, XPageError } from '../../../connectors/x/x-page.js';
import { xSourceSchema, bearerToken, XConfigError } from '../../../connectors/x/x.config.js';
import { parseConfig } from '../../../src/config/config.js';

const kpop = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/x/twarc-search-recent-kpop.json'), 'utf8')) as unknown;
const mentions = (JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/x/tweepy-mentions.json'), 'utf8')) as { json: unknown }).json;

describe('X page', () => {
  it('parses a real search page with partial errors, and maps its posts: reach, lang "in", permalink, reposts', () => {
    const page = parsePage(kpop);
    expect(page.data).toHaveLength(100);
    expect(page.errors?.[0]?.title).toBe('Forbidden');
    const ctx = { source: 'x-care', key: 'search:kpop', brandUserIds: new Set<string>(), users: usersOf(page) };
    const items = page.data!.map((t) => mapPost(t, ctx)).map((v) => (v.kind === 'item' ? v.item : null));
    const indonesian = items.filter((i) => i?.lang === 'in');
    expect(indonesian).toHaveLength(5);
    const first = items[0]!;
    expect(first).toMatchObject({
      channel: 'x',
      source: 'x-care',
      externalId: '1440717170493689866',
      sentAt: new Date('2021-09-22T16:38:35.000Z'),
      author: { handle: 'ximerios12_', id: '1433267766912557062', name: 'Ximena Ríos', followers: 4 },
      conversationId: '1440717170493689866',
      repostOf: '1440691114135080963',
      url: 'https://x.com/ximerios12_/status/1440717170493689866',
      rawRef: 'x://x-care/search:kpop/1440717170493689866',
    });
    expect(items.filter((i) => i?.repostOf !== undefined).length).toBeGreaterThan(10);
  });

  it('maps a bare mentions page (ids and text only): time from the snowflake, no author', () => {
    const page = parsePage(mentions);
    const v = mapPost(page.data![0]!, { source: 's', key: 'mentions:1', brandUserIds: new Set(), users: new Map() });
    expect(v).toMatchObject({ kind: 'item', item: { externalId: '1578516295611748353', author: {}, url: 'https://x.com/i/web/status/1578516295611748353' } });
    // Recorded 2022-10-07 22:43:18 UTC; the post is a few seconds older.
    expect(snowflakeTime('1578516295611748353').toISOString()).toMatch(/^2022-10-07T22:4[23]:/);
  });

  it('tells the brand\'s own posts apart, and keeps replies and quotes', () => {
    const users = new Map([['42', { id: '42', username: 'SakuPay' }]]);
    const ctx = { source: 's', key: 'k', brandUserIds: new Set(['42']), users };
    expect(mapPost({ id: '5', text: 'Hai Kak', author_id: '42' }, ctx)).toEqual({ kind: 'own', rawRef: 'x://s/k/5' });
    const v = mapPost(
      { id: '6', text: '@SakuPay ini', author_id: '7', referenced_tweets: [{ type: 'replied_to', id: '5' }, { type: 'quoted', id: '3' }] },
      ctx,
    );
    expect(v).toMatchObject({ kind: 'item', item: { inReplyToId: '5', quotedId: '3', notes: ['author 7 missing from the response\'s includes'] } });
  });

  it('an empty page has only meta; a page of the wrong shape is an error naming the field', () => {
    expect(parsePage({ meta: { result_count: 0 } }).data).toBeUndefined();
    expect(() => parsePage({ data: [{ id: 1578516295611748353, text: 'x' }], meta: { result_count: 1 } })).toThrow(XPageError);
    expect(() => parsePage({ data: [{ id: '1', text: 'x' }] })).toThrow(/meta: /);
    expect(() => parsePage('<html>')).toThrow(/unexpected response shape/);
  });
});

describe('X source configuration', () => {
  const base = { type: 'x', name: 'x-care', bearerTokenEnv: 'X_BEARER', brandUserIds: ['1188870323419996160'] };

  it('defaults: the real API, mentions on, pages of 100, 10 pages per run', () => {
    expect(xSourceSchema.parse(base)).toMatchObject({ baseUrl: 'https://api.x.com', mentions: true, pageSize: 100, maxPagesPerRun: 10, queries: [] });
  });

  it('rejects what X would reject or what cannot work', () => {
    expect(() => xSourceSchema.parse({ ...base, brandUserIds: [1188870323419996160] })).toThrow(/expected string/);
    expect(() => xSourceSchema.parse({ ...base, brandUserIds: [] })).toThrow(/brand account ids/);
    expect(() => xSourceSchema.parse({ ...base, pageSize: 500 })).toThrow();
    expect(() => xSourceSchema.parse({ ...base, baseUrl: 'ftp://x' })).toThrow();
    expect(() => xSourceSchema.parse({ ...base, queries: [{ name: 'a', query: 'x' }, { name: 'a', query: 'y' }] })).toThrow(/used twice/);
  });

  it('reads the token from the variable it names, and names a missing variable without any secret', () => {
    const source = xSourceSchema.parse(base);
    expect(bearerToken(source, { X_BEARER: 'AAAA' })).toBe('AAAA');
    expect(() => bearerToken(source, {})).toThrow(XConfigError);
    expect(() => bearerToken(source, { X_BEARER: '' })).toThrow('environment variable X_BEARER is not set');
  });

  it('sits beside IMAP accounts in the config file, told apart by type', () => {
    const config = parseConfig({ sources: [{ type: 'imap', name: 'care', host: 'h', user: 'u', passwordEnv: 'PW' }, base] });
    expect(config.sources.map((s) => s.type)).toEqual(['imap', 'x']);
    expect(() => parseConfig({ sources: [{ ...base, bearerTokenEnv: 'lower' }] })).toThrow(/sources\.0\.bearerTokenEnv: an environment variable name/);
    expect(() => parseConfig({ sources: [{ ...base, type: 'mastodon' }] })).toThrow(/sources\.0\.type/);
  });
});
