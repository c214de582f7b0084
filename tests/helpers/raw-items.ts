/** RawItems as connectors produce them, for tests that ingest while the API runs. */
import type { RawItem } from '../../connectors/types.js';

let serial = 0;

export function xPost(text: string, opts: { handle?: string; followers?: number; at?: Date; repostOf?: string; id?: string } = {}): RawItem {
  const id = opts.id ?? `99${Date.now()}${++serial}`;
  const handle = opts.handle ?? `poster_${serial}`;
  return {
    channel: 'x',
    source: 'x-test',
    externalId: id,
    sentAt: opts.at ?? new Date(),
    author: { handle, followers: opts.followers ?? 100 },
    text,
    conversationId: id,
    url: `https://x.com/${handle}/status/${id}`,
    lang: 'en',
    ...(opts.repostOf !== undefined ? { repostOf: opts.repostOf } : {}),
    attachments: [],
    rawRef: `test:x/${id}`,
  };
}

export function email(subject: string, text: string, opts: { from?: string; at?: Date } = {}): RawItem {
  const id = `<test-${Date.now()}-${++serial}@example.com>`;
  return {
    channel: 'email',
    source: 'mail-test',
    externalId: id,
    messageId: id,
    sentAt: opts.at ?? new Date(),
    author: { email: opts.from ?? `customer${serial}@example.com`, name: `Customer ${serial}` },
    subject,
    text,
    attachments: [],
    rawRef: `test:mail/${serial}`,
  };
}
