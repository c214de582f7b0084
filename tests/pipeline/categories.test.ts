import { describe, expect, it } from 'vitest';
import { CategoryClassifier } from '../../src/pipeline/categories/classifier.js';
import { CategoryRulesError, loadCategoryRules, parseCategoryRules } from '../../src/pipeline/categories/rules.js';

const rules = loadCategoryRules();
const classifier = new CategoryClassifier(rules);
const primary = (text: string) => classifier.classify(text).primary;

describe('default categories follow category-rubric.md', () => {
  it.each([
    ['en payment failed', 'My payment failed at checkout but the order is not confirmed', 'payment_failed'],
    ['id payment failed', 'pembayaran saya gagal terus dari tadi', 'payment_failed'],
    ['zh payment failed', '支付失败了，订单也没有', 'payment_failed'],
    ['en QR', 'Scanning the QR code at the shop does nothing', 'qr_payment'],
    ['id QR', 'bayar pakai qris di warung gagal', 'qr_payment'],
    ['zh QR', '扫码付款一直失败', 'qr_payment'],
    ['en transfer', 'My bank transfer to my sister has not arrived', 'transfer'],
    ['id transfer', 'transfer ke rekening teman belum masuk', 'transfer'],
    ['zh transfer', '转账到银行卡还没到', 'transfer'],
    ['en top-up', 'I topped up my wallet and the balance did not change', 'top_up'],
    ['id top-up', 'isi pulsa 50rb belum masuk', 'top_up'],
    ['zh top-up', '充值了但是余额没变', 'top_up'],
    ['en withdrawal', 'The ATM did not dispense cash for my withdrawal', 'withdrawal'],
    ['id withdrawal', 'tarik tunai di atm uang tidak keluar', 'withdrawal'],
    ['zh withdrawal', '提现到银行卡三天了', 'withdrawal'],
    ['en refund', 'Where is my refund? It has been two weeks', 'refund'],
    ['id refund', 'refund saya belum masuk sudah seminggu', 'refund'],
    ['zh refund', '退款还没到账', 'refund'],
    ['en unauthorised', 'There is an unauthorized charge on my account I never made', 'balance_missing_unauthorised'],
    ['id balance missing', 'saldo saya hilang tiba-tiba', 'balance_missing_unauthorised'],
    ['zh stolen card', '我的卡被盗刷了', 'balance_missing_unauthorised'],
    ['en account access', "I can't log in to my account since yesterday", 'account_access'],
    ['id account access', 'akun saya terblokir tidak bisa login', 'account_access'],
    ['zh account access', '账号被封了，登录不了', 'account_access'],
    ['en kyc', 'My identity verification keeps getting rejected, I uploaded my passport twice', 'registration_kyc'],
    ['id kyc', 'verifikasi ktp saya ditolak terus', 'registration_kyc'],
    ['zh kyc', '实名认证一直不通过', 'registration_kyc'],
    ['en promotion', "The promo code didn't work and I got no cashback", 'promotion_cashback'],
    ['id promotion', 'cashback saya belum masuk padahal promo', 'promotion_cashback'],
    ['zh promotion', '满减优惠没有用上', 'promotion_cashback'],
    ['en fees', 'Why is there a fee of $3 on every transfer? Too expensive', 'fees'],
    ['id fees', 'biaya admin nya mahal banget', 'fees'],
    ['zh fees', '配送费太贵了', 'fees'],
    ['en outage', 'The app keeps crashing when I open it', 'app_bug_outage'],
    ['id outage', 'aplikasinya error terus dari pagi', 'app_bug_outage'],
    ['zh outage', '软件一直闪退', 'app_bug_outage'],
    ['en care', 'Nobody answered my emails, I have been on hold for an hour', 'care_responsiveness'],
    ['id care', 'cs tidak pernah balas chat saya', 'care_responsiveness'],
    ['zh care', '客服电话打不通，没人理', 'care_responsiveness'],
    ['en staff', 'The agent was rude and lied to me', 'staff_conduct'],
    ['id staff', 'kurirnya kasar dan tidak ramah', 'staff_conduct'],
    ['zh staff', '送餐员态度很差还骂人', 'staff_conduct'],
    ['praise is other', 'Great service, thank you!', 'other'],
    ['an advert is other', 'Promo hari ini: voucher diskon 50% untuk semua produk', 'other'],
    ['a parcel that is late is other', 'my parcel is late again', 'other'],
  ])('%s -> %s', (_label, text, category) => {
    expect(primary(text)).toBe(category);
  });

  it('every assignment carries its evidence and a confidence; a close second is kept', () => {
    const r = classifier.classify('Top up gagal, saldo terpotong tapi pulsa belum masuk, cs tidak pernah balas');
    expect(r.primary).not.toBe('other');
    expect(r.confidence).toBeGreaterThan(0);
    expect(r.confidence).toBeLessThanOrEqual(1);
    for (const l of r.labels) expect(l.evidence.length).toBeGreaterThan(0);
    const two = classifier.classify('My refund has not arrived and I cannot log in');
    expect(two.labels.map((l) => l.category).sort()).toEqual(['account_access', 'refund']);
  });

  it('"other" is the honest answer when nothing scores enough, with no labels', () => {
    expect(classifier.classify('hello')).toEqual({ primary: 'other', confidence: 1, labels: [] });
  });
});

describe('category rules are data', () => {
  it('a broken rules file is refused naming the place', () => {
    const bad = { ...rules, categories: [...rules.categories, { id: 'x', label: 'x', strong: { en: ['(unclosed'] } }] };
    expect(() => parseCategoryRules(bad, 'cats.json')).toThrow(CategoryRulesError);
    expect(() => parseCategoryRules(bad, 'cats.json')).toThrow(/cats\.json[\s\S]*categories\.x\.strong\.en\[0\]/);
    expect(() => parseCategoryRules({ ...rules, categories: [...rules.categories, rules.categories[0]] })).toThrow(/"balance_missing_unauthorised" is used twice/);
    expect(() => parseCategoryRules({ ...rules, minScore: 0 })).toThrow(/minScore/);
  });
});
