/**
 * How the customer paid: QR, bank transfer, card, virtual account, e-wallet, cash, direct debit.
 * Each mention is a fact with the words that say so. Words that name the channel only in some
 * sentences stay out: "transfer" alone (between wallets too), "card" alone (SIM card, ID card),
 * "dana" in lower case (Indonesian for "funds", not the DANA wallet), "cashback".
 */
import { execAll } from '../exec-all.js';
import type { ChannelFact, PaymentChannel } from './types.js';

const L = String.raw`(?<![\p{L}\p{N}])`;
const R = String.raw`(?![\p{L}\p{N}])`;

const WORDS: Record<PaymentChannel, { latin: string; cjk?: string }> = {
  qr: { latin: String.raw`qris|(?:kode |scan |pindai )?qr(?: ?code| ?pay(?:ment)?)?`, cjk: '扫码|掃碼|二维码|二維碼|付款码|付款碼|收款码|收款碼' },
  bank_transfer: {
    latin: String.raw`bank transfer|transfer bank|wire transfer|(?:transfer|tf|trf) (?:ke|dari|via|lewat|melalui|antar) (?:rek(?:ening)?|bank)|transfer antarbank|bi-?fast|rtgs|m-?banking|mobile banking|internet banking|online banking|net ?banking|i-?banking`,
    cjk: '银行转账|銀行轉賬|銀行轉帳|银行汇款|銀行匯款|网银|網銀',
  },
  card: {
    latin: String.raw`(?:credit|debit|atm) card|kartu (?:kredit|debit|atm)|visa|master ?card|amex|american express|jcb|unionpay`,
    cjk: '信用卡|借记卡|借記卡|银行卡|銀行卡|储蓄卡|儲蓄卡|刷卡',
  },
  virtual_account: { latin: String.raw`virtual account|(?:nomor|nomer|no\.?|kode|bayar|via|pakai|lewat|ke) va|va`, cjk: '虚拟账户|虛擬賬戶|虚拟账号|虛擬帳號' },
  e_wallet: {
    latin: String.raw`e-?wallet|dompet digital|dompet elektronik|ovo|go-?pay|shopee ?pay|link ?aja|dana|gcash|paymaya|grab ?pay|touch ?'?n ?go|alipay|wechat ?pay|weixin ?pay`,
    cjk: '支付宝|支付寶|微信支付|财付通|財付通',
  },
  cash: { latin: String.raw`cash|tunai|cod`, cjk: '现金|現金' },
  direct_debit: {
    latin: String.raw`auto ?-?debit|auto ?-?debet|autodebit|autodebet|direct debit|debit langsung|autopay`,
    cjk: '自动扣款|自動扣款|代扣|免密支付',
  },
};

const CHANNELS = Object.keys(WORDS) as PaymentChannel[];

const CHANNEL = new RegExp(
  CHANNELS.map((c) => {
    const { latin, cjk } = WORDS[c];
    return `(?<${c}>${L}(?:${latin})${R}${cjk ? `|${cjk}` : ''})`;
  }).join('|'),
  'giu',
);

export function findPaymentChannels(text: string): ChannelFact[] {
  const out: ChannelFact[] = [];
  for (const m of execAll(CHANNEL, text)) {
    const channel = CHANNELS.find((c) => m.groups![c] !== undefined)!;
    const written = m[0];
    // Upper case only: "va" and "dana" are ordinary words in lower case ("dana" is funds).
    if ((written === 'va' || written === 'Va') && channel === 'virtual_account') continue;
    if (channel === 'e_wallet' && /^dana$/i.test(written) && written !== 'DANA') continue;
    out.push({ kind: 'channel', value: { channel }, text: written, start: m.index, end: m.index + written.length });
  }
  return out;
}
