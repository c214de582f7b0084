/**
 * Money amounts as customers write them: "Rp 1.500.000", "1,5 juta", "100rb", "IDR 750,000",
 * "$1,250.00", "¥2000", "2000元", "RM 50", "₱500". An amount needs a currency or a multiplier word
 * next to it, so phone numbers, dates and ids are never read as money.
 */
import { execAll } from '../exec-all.js';

export type Currency = 'IDR' | 'USD' | 'SGD' | 'MYR' | 'PHP' | 'CNY' | 'EUR' | 'GBP';

export interface Amount {
  value: number;
  currency: Currency;
  /** The amount as written, for reasons and highlighting. */
  text: string;
  index: number;
}

const PREFIX: [RegExp, Currency][] = [
  [/^(?:rp\.?|idr)$/i, 'IDR'],
  [/^(?:us\$|usd)$/i, 'USD'],
  [/^(?:s\$|sgd)$/i, 'SGD'],
  [/^\$$/, 'USD'],
  [/^(?:rm|myr)$/i, 'MYR'],
  [/^(?:₱|php)$/i, 'PHP'],
  [/^(?:¥|￥|rmb|cny)$/i, 'CNY'],
  [/^(?:€|eur)$/i, 'EUR'],
  [/^(?:£|gbp)$/i, 'GBP'],
];

const MULTIPLIER: Record<string, { factor: number; currency?: Currency }> = {
  rb: { factor: 1e3, currency: 'IDR' },
  ribu: { factor: 1e3, currency: 'IDR' },
  k: { factor: 1e3 },
  jt: { factor: 1e6, currency: 'IDR' },
  juta: { factor: 1e6, currency: 'IDR' },
  m: { factor: 1e6 },
  million: { factor: 1e6 },
  万: { factor: 1e4, currency: 'CNY' },
  元: { factor: 1, currency: 'CNY' },
  块: { factor: 1, currency: 'CNY' },
  块钱: { factor: 1, currency: 'CNY' },
  rupiah: { factor: 1, currency: 'IDR' },
  dollars: { factor: 1, currency: 'USD' },
  dollar: { factor: 1, currency: 'USD' },
};

const NUMBER = String.raw`\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const AMOUNT = new RegExp(
  // Not glued to a Latin word or another number; Chinese has no spaces, so CJK before is fine.
  String.raw`(?<![\p{Script=Latin}\d]|\d[.,])(?:(?<pre>rp\.?|idr|us\$|usd|s\$|sgd|rm|myr|php|rmb|cny|eur|gbp|[$₱¥￥€£])\s?(?<n1>${NUMBER})(?:\s?(?<m1>rb|ribu|jt|juta|k|m|million|万|元|块钱|块)(?![\p{Script=Latin}]))?` +
    String.raw`|(?<n2>${NUMBER})\s?(?<m2>rb|ribu|jt|juta|k|million|万元|万|元|块钱|块|rupiah|dollars?)(?![\p{Script=Latin}]))`,
  'giu',
);

export function findAmounts(text: string): Amount[] {
  const out: Amount[] = [];
  for (const m of execAll(AMOUNT, text)) {
    const g = m.groups ?? {};
    const pre = g.pre ? PREFIX.find(([re]) => re.test(g.pre!))?.[1] : undefined;
    const numText = (g.n1 ?? g.n2)!;
    let multWord = (g.m1 ?? g.m2)?.toLowerCase();
    if (multWord === '万元') multWord = '万';
    const mult = multWord ? MULTIPLIER[multWord] : undefined;
    // "k" and "m" alone say nothing about the currency: need a prefix.
    const currency = pre ?? mult?.currency;
    if (!currency) continue;
    const base = parseNumber(numText, currency, mult !== undefined && mult.factor > 1);
    if (base === null) continue;
    const value = base * (mult?.factor ?? 1);
    if (!(value > 0)) continue;
    out.push({ value, currency, text: m[0].trim(), index: m.index });
  }
  return out;
}

/**
 * Decimal or thousands separator? Rupiah has no cents in practice, so "1.500" and "1,500" are
 * thousands in IDR; elsewhere a single separator followed by 1-2 digits is a decimal point, and
 * groups of three are thousands. Before a multiplier ("1,5 juta", "2.5k") a single separator is a
 * decimal point, unless three digits follow it: then the rules above decide ("1.500rb" is 1,500
 * thousand rupiah).
 */
export function parseNumber(s: string, currency: Currency, beforeMultiplier: boolean): number | null {
  const seps = s.replace(/\d/g, '');
  if (seps.length === 0) return Number(s);
  const lastSep = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  const tail = s.length - lastSep - 1;
  if (beforeMultiplier && seps.length === 1 && tail !== 3) return Number(s.replace(',', '.'));
  const mixed = seps.includes('.') && seps.includes(',');
  let decimalSep: string | null = null;
  if (mixed) decimalSep = s[lastSep]!;
  else if (tail !== 3) decimalSep = s[lastSep]!;
  else if (seps.length === 1 && currency !== 'IDR' && s[lastSep] === '.') decimalSep = '.';
  const thousands = decimalSep === null ? seps[0]! : decimalSep === '.' ? ',' : '.';
  const [intPart, frac] = decimalSep ? [s.slice(0, lastSep), s.slice(lastSep + 1)] : [s, ''];
  const digits = intPart.split(thousands).join('');
  if (!/^\d+$/.test(digits)) return null;
  return Number(frac ? `${digits}.${frac}` : digits);
}

const CURRENCY_SYMBOL: Record<Currency, string> = {
  IDR: 'Rp',
  USD: '$',
  SGD: 'S$',
  MYR: 'RM',
  PHP: '₱',
  CNY: '¥',
  EUR: '€',
  GBP: '£',
};

// Intl formatters are expensive to create: one per (locale, decimals), made once.
const formatters = new Map<string, Intl.NumberFormat>();

export function formatAmount(a: { value: number; currency: Currency }): string {
  const locale = a.currency === 'IDR' ? 'id-ID' : 'en-US';
  const digits = a.currency === 'IDR' ? 0 : Number.isInteger(a.value) ? 0 : 2;
  const key = `${locale}:${digits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return `${CURRENCY_SYMBOL[a.currency]} ${f.format(a.value)}`;
}
