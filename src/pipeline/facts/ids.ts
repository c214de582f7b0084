/**
 * Transaction, order, reference and invoice ids the customer quotes: "order id 8812345678",
 * "no. transaksi TRX123456", "ref: 0A1B2C3D4", "invoice INV/20171128/XVII/XI/123456",
 * "订单号2026111212345678", "交易单号：4200001234". Only after a word naming the id (or in the
 * invoice format that names itself), and never a phone number, a date, an amount or one of our
 * own request numbers, which request-numbers.ts owns.
 */
import { execAll } from '../exec-all.js';
import type { IdFact } from './types.js';

/** Recognises request numbers (ours and other systems'): those are never reported as ids. */
export interface RequestNumberRecogniser {
  recognise(...texts: (string | undefined)[]): readonly unknown[];
}

const SYSTEMS: [RegExp, string][] = [
  [/order|pesanan|订单|訂單/i, 'order'],
  [/trans|trx|txn|交易|流水/i, 'transaction'],
  [/ref|rrn|参考|參考/i, 'reference'],
  [/inv|faktur|tagihan|发票|發票/i, 'invoice'],
  [/receipt|struk|resi/i, 'receipt'],
  [/.*/, 'payment'],
];

const NOUN = String.raw`order|pesanan|transaction|transaksi|txn|trx|reference|referensi|ref|rrn|invoice|inv|faktur|tagihan|payment|pembayaran|receipt|struk|resi`;
// "order id", "transaction no.", "no. transaksi", "nomor pesanan", "ID transaksi": the id word
// makes the cue strong; a bare noun ("order 123") needs an id that looks like one.
const MARK = String.raw`(?:id|no|nomor|nomer|nmr|number|num|nr|code|kode)(?![\p{L}\p{N}])\.?|#`;
const END = String.raw`(?![\p{L}\p{N}])`;
const LATIN_CUE = String.raw`(?<![\p{L}\p{N}])(?:(?<strongA>(?:${MARK})\s*(?:${NOUN})${END})|(?<strongB>(?:${NOUN})\s*(?:${MARK}))|(?<weak>${NOUN})${END})`;
const CJK_CUE = String.raw`(?<strongZh>订单号|订单编号|訂單號|訂單編號|交易单号|交易單號|交易号|交易號|交易流水号|流水号|流水號|参考号|參考號|发票号|發票號|支付单号|付款单号|商户单号|商戶單號)`;
const SEPARATOR = String.raw`\s*(?:[:：#=]|is|adalah|yaitu|是|为|為)?\s*:?\s*`;
const VALUE = String.raw`(?<id>[A-Za-z0-9](?:[A-Za-z0-9/_-]{0,62}[A-Za-z0-9])?)(?![A-Za-z0-9]|[.,]\d)`;

const ID = new RegExp(
  String.raw`(?<cue>${LATIN_CUE}|${CJK_CUE})${SEPARATOR}${VALUE}|(?<![\p{L}\p{N}])(?<inv>INV/[A-Z0-9]+(?:/[A-Z0-9]+)+)(?![A-Za-z0-9/])`,
  'giu',
);

const AMOUNT_AFTER = /^\s*(?:rb|ribu|jt|juta|rupiah|k|元|块|塊|dollars?|usd|idr)(?![\p{L}])/iu;
const AMOUNT_LIKE = /^(?:rp|idr|usd|us|rm|myr|sgd|php|cny|rmb)\d|^\d+(?:rb|ribu|jt|juta|k|m)$/i;
const DATE_LIKE = /^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}$/;

export function findIds(text: string, references?: RequestNumberRecogniser): IdFact[] {
  const out: IdFact[] = [];
  for (const m of execAll(ID, text)) {
    const g = m.groups!;
    const value = (g.id ?? g.inv)!;
    const start = m.index + m[0].length - value.length;
    const end = start + value.length;
    if (!looksLikeId(value, g.weak !== undefined)) continue;
    if (AMOUNT_AFTER.test(text.slice(end, end + 10))) continue;
    if (references && references.recognise(value).length > 0) continue;
    const system = g.inv ? 'invoice' : SYSTEMS.find(([re]) => re.test(g.cue!))![1];
    out.push({ kind: 'id', value: { value, system }, text: value, start, end });
  }
  return out;
}

/**
 * Digits enough to be an id, and not the shape of something else: a phone number (08xx, 62 8xx,
 * a Chinese mobile 1xx-xxxx-xxxx), a date, an amount. After a bare noun ("order", "transaksi")
 * a plain number must be long (8+ digits) or carry letters or separators, since "transaksi
 * 50000" is more likely money than an id.
 */
export function looksLikeId(value: string, weakCue: boolean): boolean {
  const digits = value.replace(/\D/g, '');
  if (value.length < 5 || digits.length < 4) return false;
  if (AMOUNT_LIKE.test(value) || DATE_LIKE.test(value)) return false;
  const plain = /^[\d-]+$/.test(value);
  if (plain && isPhoneNumber(digits)) return false;
  if (/^\d{8}$/.test(value) && isCompactDate(value)) return false;
  if (weakCue && /^\d+$/.test(value) && value.length < 8) return false;
  return true;
}

export function isPhoneNumber(digits: string): boolean {
  return /^(?:62|0)8\d{7,11}$/.test(digits) || /^1[3-9]\d{9}$/.test(digits);
}

function isCompactDate(s: string): boolean {
  const [y, mo, d] = [Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8))];
  return y >= 2000 && y <= 2099 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}
