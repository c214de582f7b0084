import { describe, expect, it } from 'vitest';
import { findPaymentChannels } from '../../src/pipeline/facts/payment-channel.js';

const found = (text: string) => findPaymentChannels(text).map((f) => [f.value.channel, f.text]);

describe('findPaymentChannels', () => {
  it.each([
    ['en', 'paid by scanning the QR code at the shop', 'qr', 'QR code'],
    ['id', 'bayar pakai QRIS tapi gagal', 'qr', 'QRIS'],
    ['zh', '扫码付款后没有到账', 'qr', '扫码'],
    ['en', 'I did a bank transfer of Rp 500.000', 'bank_transfer', 'bank transfer'],
    ['id', 'sudah transfer ke rekening BCA', 'bank_transfer', 'transfer ke rekening'],
    ['id', 'top up lewat m-banking', 'bank_transfer', 'm-banking'],
    ['zh', '银行转账三天了', 'bank_transfer', '银行转账'],
    ['en', 'my credit card was charged twice', 'card', 'credit card'],
    ['id', 'pakai kartu kredit', 'card', 'kartu kredit'],
    ['zh', '信用卡被扣了两次', 'card', '信用卡'],
    ['en', 'paid to the virtual account but no top up', 'virtual_account', 'virtual account'],
    ['id', 'bayar ke nomor VA 8808123', 'virtual_account', 'nomor VA'],
    ['id', 'bayar via VA BNI', 'virtual_account', 'via VA'],
    ['zh', '转到虚拟账户了', 'virtual_account', '虚拟账户'],
    ['en', 'paid with GoPay instead', 'e_wallet', 'GoPay'],
    ['id', 'saldo DANA saya', 'e_wallet', 'DANA'],
    ['zh', '用支付宝付的', 'e_wallet', '支付宝'],
    ['en', 'I paid cash at the counter', 'cash', 'cash'],
    ['id', 'setor tunai di Alfamart', 'cash', 'tunai'],
    ['zh', '现金充值', 'cash', '现金'],
    ['en', 'the auto debit took it again', 'direct_debit', 'auto debit'],
    ['id', 'autodebet tagihan listrik', 'direct_debit', 'autodebet'],
    ['zh', '自动扣款了', 'direct_debit', '自动扣款'],
  ])('%s: %s', (_lang, text, channel, written) => {
    expect(found(text)).toEqual([[channel, written]]);
  });

  it.each([
    ['"dana" meaning funds', 'dana saya hilang'],
    ['cashback', 'cashback belum masuk'],
    ['a transfer between wallets', 'saya transfer ke teman'],
    ['a card that is not a payment card', 'my SIM card is blocked'],
    ['"va" inside a word', 'nova valentina'],
    ['lower-case "va" alone', 'va bene'],
  ])('finds no channel in %s', (_label, text) => {
    expect(found(text)).toEqual([]);
  });

  it('lists every mention with a span true to the text', () => {
    const text = 'Top up via VA gagal, lalu coba kartu debit, 最后用支付宝';
    const facts = findPaymentChannels(text);
    expect(facts.map((f) => f.value.channel)).toEqual(['virtual_account', 'card', 'e_wallet']);
    for (const f of facts) expect(text.slice(f.start, f.end)).toBe(f.text);
  });
});
