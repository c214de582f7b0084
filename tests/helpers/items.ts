/** Builders for RawItems in tests: a realistic default plus the fields a test cares about. */
import type { RawItem } from '../../connectors/types.js';

let counter = 0;

export function emailItem(over: Partial<RawItem> & { from?: string } = {}): RawItem {
  counter++;
  const { from, ...rest } = over;
  return {
    channel: 'email',
    source: 'care-inbox',
    externalId: `<m${counter}@mail.example.com>#h${counter}`,
    messageId: `<m${counter}@mail.example.com>`,
    sentAt: new Date('2026-11-18T02:00:00Z'),
    author: { email: from ?? 'ana@example.com', name: 'Ana Putri' },
    subject: 'Top-up failed',
    text: 'My top-up of Rp 500.000 failed this morning but the money left my bank account.',
    headers: {},
    mime: { contentType: 'text/plain', partTypes: [] },
    attachments: [],
    rawRef: `test:${counter}`,
    ...rest,
  };
}

export function postItem(over: Partial<RawItem> & { handle?: string; followers?: number } = {}): RawItem {
  counter++;
  const { handle, followers, ...rest } = over;
  const id = String(1859920011223340000n + BigInt(counter));
  return {
    channel: 'x',
    source: 'x-mentions',
    externalId: id,
    conversationId: id,
    sentAt: new Date('2026-11-21T02:15:00Z'),
    author: { handle: handle ?? 'rina_w', name: 'Rina', ...(followers !== undefined ? { followers } : {}) },
    text: '@SakuPay aplikasinya error terus dari tadi pagi',
    attachments: [],
    rawRef: `test:${counter}`,
    ...rest,
  };
}
