/**
 * The weekly report's fixed dataset: 9 cases and 14 messages around ISO week 2026-W43, stored
 * through the real pipeline, then answered/resolved with setCaseWorkflow. Messages sit on the
 * week's edges in Asia/Jakarta (UTC+7) and in Europe/Amsterdam, whose clocks fall back on Sunday
 * 2026-10-25 (W43's last day is 25 hours long there). Times below are UTC.
 *
 *   case  channel  first message (UTC)        Jakarta day   Amsterdam day
 *   A     email    2026-10-18 21:30           10-19 (W43)   10-18 (W42)
 *   B     email    2026-10-18 22:00           10-19 (W43)   10-19 (W43, its first instant)
 *   C     x        2026-10-21 03:00           10-21         10-21
 *   D     email    2026-10-25 16:59:59        10-25 (W43)   10-25
 *   E     x        2026-10-25 17:00           10-26 (W44)   10-25 (W43)
 *   F     email    2026-10-25 22:30           10-26 (W44)   10-25 (W43: 23:30 CET, after the fall-back)
 *   G     email    2026-10-25 23:00           10-26 (W44)   10-26 (W44, its first instant)
 *   H     email    2026-10-12 10:00           W42           W42
 *   I     email    2026-10-14 09:00           W42           W42
 *
 * Joined messages: A2 replies to A (thread) 10-20 08:00; B2 quotes B's request number 10-22 10:00;
 * C2 continues C's X conversation 10-21 05:00; D2 re-sends D (near duplicate) 10-25 17:30 (Jakarta
 * 10-26, W44; Amsterdam 10-25, W43).
 *
 * Team actions (setCaseWorkflow): A answered after 30 min, resolved after 23 h; B answered after
 * 2 h, resolved exactly at its 5-day deadline; C answered exactly 24 h after (past its high-urgency
 * 4 h target), never resolved; D, F and G never answered; E answered after 4 h 30 min, resolved
 * after 24 h; H answered, still open; I answered, closed.
 */
import type { OpenedSqlite } from '../../db/sqlite/open-sqlite.js';
import { parseConfig } from '../../src/config/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { setCaseWorkflow } from './case-workflow.js';
import { tempDb } from './db.js';
import { eventsOf } from './events.js';
import { emailItem, postItem } from './items.js';

/** The reports' clock for this dataset: a week after W43. */
export const AS_OF = new Date('2026-11-02T00:00:00Z');
export const INJECTION_SUBJECT = '=HYPERLINK("http://evil.example/x","klik")';

export type CaseName = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I';

export async function reportDataset(): Promise<OpenedSqlite & { path: string; requestNumbers: Record<CaseName, string> }> {
  const db = tempDb();
  const pipeline = new Pipeline(parseConfig({}), undefined, () => new Date('2026-11-01T00:00:00Z'));
  const at = (iso: string) => new Date(iso);
  const store = (...items: Parameters<typeof eventsOf>) => ingest(eventsOf(...items), db.repository, pipeline, { batchSize: 50 });

  const A = emailItem({ from: 'ani@example.co.id', subject: 'Saldo hilang', text: 'Saldo saya hilang Rp 2.500.000, ada transaksi yang tidak saya lakukan!', sentAt: at('2026-10-18T21:30:00Z') });
  const B = emailItem({ from: 'budi@example.co.id', subject: 'Top-up failed', text: 'My top-up of Rp 500.000 failed but the money left my bank account.', sentAt: at('2026-10-18T22:00:00Z') });
  const C = postItem({ handle: 'rina_w', text: '@SakuPay aplikasinya error terus dari tadi pagi', sentAt: at('2026-10-21T03:00:00Z') });
  const D = emailItem({ from: 'wang@example.cn', subject: '余额不见了', text: '我的余额不见了，被盗刷了 1000 元，请马上处理！', sentAt: at('2026-10-25T16:59:59Z') });
  const E = postItem({ handle: 'dewi_s', text: '@SakuPay akun saya diblokir, tidak bisa login sejak kemarin', sentAt: at('2026-10-25T17:00:00Z') });
  const F = emailItem({ from: 'eko@example.co.id', subject: INJECTION_SUBJECT, text: 'Promo cashback saya belum masuk, tolong dicek.', sentAt: at('2026-10-25T22:30:00Z') });
  const G = emailItem({ from: 'grace@example.com', subject: 'Refund', text: 'I am still waiting for my refund of Rp 150.000 for the cancelled order.', sentAt: at('2026-10-25T23:00:00Z') });
  const H = emailItem({ from: 'hadi@example.co.id', subject: 'Aplikasi error', text: 'Aplikasi tidak bisa dibuka, muncul error terus.', sentAt: at('2026-10-12T10:00:00Z') });
  const I = emailItem({ from: 'li@example.cn', subject: 'Question', text: '请问如何修改绑定的手机号？', sentAt: at('2026-10-14T09:00:00Z') });
  await store(H, I, A, B, C, D, E, F, G);

  const requestNumbers = Object.fromEntries(
    (db.sqlite.prepare('select request_number as n, customer_key as k from cases order by id').all() as { n: string; k: string }[]).map((r, i) => [
      ['H', 'I', 'A', 'B', 'C', 'D', 'E', 'F', 'G'][i],
      r.n,
    ]),
  ) as Record<CaseName, string>;

  const A2 = emailItem({ from: 'ani@example.co.id', subject: 'Re: Saldo hilang', text: 'Any news? Still waiting.', inReplyTo: A.messageId!, references: [A.messageId!], sentAt: at('2026-10-20T08:00:00Z') });
  const B2 = emailItem({ from: 'budi@example.co.id', subject: 'Follow-up', text: `About ${requestNumbers.B}: the top-up is still not in my balance.`, sentAt: at('2026-10-22T10:00:00Z') });
  const C2 = postItem({ handle: 'rina_w', text: '@SakuPay masih error sampai sekarang', conversationId: C.conversationId!, sentAt: at('2026-10-21T05:00:00Z') });
  const D2 = emailItem({ from: 'wang@example.cn', subject: '余额不见了', text: '我的余额不见了，被盗刷了 1000 元，请马上处理！！', sentAt: at('2026-10-25T17:30:00Z') });
  await store(A2, B2, C2, D2);

  const set = (c: CaseName, w: Parameters<typeof setCaseWorkflow>[2]) => setCaseWorkflow(db.sqlite, requestNumbers[c], w);
  set('A', { status: 'resolved', firstResponseAt: '2026-10-18T22:00:00Z', resolvedAt: '2026-10-19T20:30:00Z' });
  set('B', { status: 'resolved', firstResponseAt: '2026-10-19T00:00:00Z', resolvedAt: '2026-10-23T22:00:00Z' });
  set('C', { status: 'open', firstResponseAt: '2026-10-22T03:00:00Z' });
  set('E', { status: 'resolved', firstResponseAt: '2026-10-25T21:30:00Z', resolvedAt: '2026-10-26T17:00:00Z' });
  set('H', { status: 'open', firstResponseAt: '2026-10-12T12:00:00Z' });
  set('I', { status: 'closed', firstResponseAt: '2026-10-14T10:00:00Z', resolvedAt: '2026-10-15T09:00:00Z' });
  return { ...db, requestNumbers };
}
