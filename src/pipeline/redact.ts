/**
 * Masks the secrets customers paste (card numbers, CVV, OTP/PIN codes, passwords) before anything
 * is stored or logged. Runs on normalised text (NFKC: full-width digits are already ASCII).
 *
 * Only the secret value is replaced; the words around it stay, so "my OTP is 123456" becomes
 * "my OTP is [otp removed]" and urgency rules still see that an OTP was shared.
 */

export type SecretKind = 'card' | 'cvv' | 'otp' | 'password';
export type RedactionCounts = Partial<Record<SecretKind, number>>;

export interface Redacted {
  text: string;
  counts: RedactionCounts;
}

// 13-19 digits, optionally grouped by single spaces or dashes; not glued to other digits or a
// leading "+" (phone numbers).
const CARD_CANDIDATE = /(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)/g;

// Words that may sit between a secret's name and its value: "my OTP code is 123456",
// "kode OTP saya adalah 123456", "验证码是123456".
const FILLER = String.raw`(?:\s*(?:is|was|are|my|the|code|number|kode|nomor|no|saya|aku|nya|adalah|yaitu|ialah|itu|ini|sms|yg|yang|ku|是|为|為|的|码|[:=：\-]))*\s*`;

const CVV_NAMES = String.raw`\b(?:cvv2?|cvc2?|csc|security code|kode keamanan)\b|安全码|验证值|CVV码`;
const CODE_NAMES = String.raw`\b(?:otp|one[- ]time (?:password|passcode|code)|verification code|auth(?:entication)? code|2fa code|passcode|pin(?: code| number)?|m-?pin|kode (?:verifikasi|aktivasi|rahasia|otp|pin))\b|验证码|动态码|动态密码|校验码|短信码|PIN码`;
const PASSWORD_NAMES = String.raw`\b(?:password|passwd|pwd|kata ?sandi|sandi|kata kunci)\b|登录密码|支付密码|交易密码|密码`;

const CVV = new RegExp(`(${CVV_NAMES})(${FILLER})(\\d{3,4})(?!\\d)`, 'giu');
const CODE_AFTER = new RegExp(`(${CODE_NAMES})(${FILLER})(\\d{4,8})(?![\\d.,]\\d)(?!\\d)`, 'giu');
const CODE_BEFORE = new RegExp(
  `(?<![\\d.,])(\\d{4,8})(\\s*(?:is|adalah|itu|ini|是)\\s*(?:my|the|kode|saya|我的)?\\s*)(${CODE_NAMES})`,
  'giu',
);
// After an explicit separator anything up to whitespace is the password.
const PASSWORD_EXPLICIT = new RegExp(`(${PASSWORD_NAMES})(\\s*(?:saya|nya|my)?\\s*[:=：]\\s*)(\\S{3,64})`, 'giu');
// After "is" / "adalah" / "是" the value must look like a password (a digit or a symbol in it),
// so "my password is incorrect" stays readable.
const PASSWORD_STATED = new RegExp(
  `(${PASSWORD_NAMES})(\\s*(?:is|was|adalah|yaitu|saya|nya|aku|baru|lama|是|为|為)+\\s*)((?=[\\x21-\\x7e]*[\\d!@#$%^&*_+=?~])[\\x21-\\x7e]{4,64})`,
  'giu',
);

// Every secret above has three digits in a row or a password word: text without either is clean,
// and most header values and short lines are, so they skip the six scans below.
const MAY_HOLD_SECRET = /\d{3}|pass|pwd|sandi|kunci|密码/i;

export function redactSecrets(input: string): Redacted {
  if (!MAY_HOLD_SECRET.test(input)) return { text: input, counts: {} };
  const counts: RedactionCounts = {};
  const bump = (kind: SecretKind) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
  };
  let text = input.replace(CARD_CANDIDATE, (match) => {
    if (!isCardNumber(match)) return match;
    bump('card');
    const digits = match.replace(/\D/g, '');
    return `[card ****${digits.slice(-4)}]`;
  });
  text = text.replace(CVV, (_m, name: string, filler: string) => {
    bump('cvv');
    return `${name}${filler}[cvv removed]`;
  });
  text = text.replace(CODE_AFTER, (_m, name: string, filler: string) => {
    bump('otp');
    return `${name}${filler}[code removed]`;
  });
  text = text.replace(CODE_BEFORE, (_m, _code: string, filler: string, name: string) => {
    bump('otp');
    return `[code removed]${filler}${name}`;
  });
  text = text.replace(PASSWORD_EXPLICIT, (m, name: string, sep: string, value: string) => {
    if (value.startsWith('[')) return m; // already masked by an earlier rule
    bump('password');
    return `${name}${sep}[password removed]`;
  });
  text = text.replace(PASSWORD_STATED, (m, name: string, sep: string, value: string) => {
    if (value.startsWith('[')) return m;
    bump('password');
    return `${name}${sep}[password removed]`;
  });
  return { text, counts };
}

/** A card number: 13-19 digits in a real card grouping, no leading 0, Luhn-valid. */
export function isCardNumber(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, '');
  if (digits.length < 13 || digits.length > 19 || digits.startsWith('0')) return false;
  const groups = candidate.split(/[ -]/);
  if (groups.length > 1 && !isCardGrouping(groups.map((g) => g.length))) return false;
  return luhnValid(digits);
}

function isCardGrouping(lengths: number[]): boolean {
  const shape = lengths.join('-');
  // Amex 4-6-5, Diners 4-6-4, else fours with a shorter last group (16, 19, 13-digit cards).
  if (shape === '4-6-5' || shape === '4-6-4') return true;
  const last = lengths[lengths.length - 1] ?? 0;
  return lengths.slice(0, -1).every((l) => l === 4) && last >= 1 && last <= 4;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

export function mergeCounts(a: RedactionCounts, b: RedactionCounts): RedactionCounts {
  const out: RedactionCounts = { ...a };
  for (const [k, v] of Object.entries(b) as [SecretKind, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}
