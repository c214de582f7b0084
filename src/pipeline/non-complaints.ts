/**
 * Recognises mail that no customer wrote: bounces, delivery and read reports, abuse/feedback
 * reports, auto-replies and mailing-list mail. Such items are stored (nothing is lost) as
 * non-complaints and open no case. Order matters: the most specific evidence wins.
 */
import type { MimeShape } from '../../connectors/types.js';

export type NonComplaintKind = 'bounce' | 'delivery_report' | 'feedback_report' | 'auto_reply' | 'mailing_list';

export interface NonComplaint {
  kind: NonComplaintKind;
  /** The evidence, e.g. "Content-Type: multipart/report; report-type=delivery-status". */
  reason: string;
}

export interface NonComplaintInput {
  channel: string;
  headers: Record<string, string> | undefined;
  mime: MimeShape | undefined;
  fromAddress: string | undefined;
  fromName: string | undefined;
  subject: string | undefined;
}

const BOUNCE_SENDER = /^(?:mailer-daemon|post_?master|mail-daemon|maildaemon|mdaemon|bounces?|bounce-\S*|double-bounce|nobody-bounce)(?:@|$)/i;
// Customers do not write from no-reply addresses; systems do (notifications, reports).
const NO_REPLY_SENDER = /^(?:no-?reply|do-?not-?reply|donotreply|noreply-\S*)@/i;
// Microsoft's Junk Mail Reporting Program sends abuse reports without multipart/report.
const ABUSE_REPORT_SUBJECT = /^\s*complaint about message from \d{1,3}(?:\.\d{1,3}){3}\b/i;
const LIST_HEADERS = ['list-id', 'list-unsubscribe', 'list-subscribe', 'list-post', 'list-help', 'x-mlserver', 'x-ml-name', 'mailing-list'];
const BOUNCE_SENDER_NAME = /^(?:mail delivery (?:subsystem|system|service)|mailer[- ]daemon|postmaster|mail administrator|microsoft outlook|delivery status notification)/i;
const BOUNCE_SUBJECT =
  /undeliver|delivery status notification|returned mail|return(?:ed)? to sender|mail delivery (?:failed|failure|system|problem)|delivery (?:failure|failed|problem|notification|report)|failure notice|non[- ]?delivery|not (?:be )?delivered|could not (?:be )?deliver|delivery has failed|message (?:not|could not be) delivered|mail system error|permanent (?:error|failure)|delayed mail|delivery (?:delayed|delay)|warning: could not send|unzustellbar|nicht zustellbar|non remis|no entregado|不能送达|退信|系统退信|传递失败|未送达|投递失败|配信不能|エラー|返送/i;
const AUTO_REPLY_SUBJECT =
  /^\s*(?:auto(?:matic)?[- ]?(?:reply|response|answer|antwort)|autoreply|out of (?:the )?office|ooo\b|away from (?:the )?office|on vacation|vacation (?:reply|message)|abwesenheit|absence|balasan otomatis|pesan otomatis|sedang cuti|自动回复|自動回覆|自动答复|不在办公室)/i;
const AUTO_REPLY_HEADERS = ['x-autoreply', 'x-autorespond', 'x-auto-reply', 'x-autoresponder'];

export function classifyNonComplaint(input: NonComplaintInput): NonComplaint | null {
  if (input.channel !== 'email') return null;
  const h = input.headers ?? {};
  const mime = input.mime;
  const subject = input.subject ?? '';

  if (mime?.contentType === 'multipart/report') {
    const type = (mime.reportType ?? '').toLowerCase();
    const reason = `Content-Type: multipart/report; report-type=${type || '(none)'}`;
    if (type === 'feedback-report') return { kind: 'feedback_report', reason };
    if (type === 'disposition-notification') return { kind: 'delivery_report', reason };
    return { kind: 'bounce', reason };
  }
  const parts = mime?.partTypes ?? [];
  if (parts.includes('message/feedback-report')) return { kind: 'feedback_report', reason: 'part message/feedback-report' };
  if (parts.includes('message/delivery-status') || parts.includes('message/global-delivery-status'))
    return { kind: 'bounce', reason: 'part message/delivery-status' };
  if (parts.includes('message/disposition-notification'))
    return { kind: 'delivery_report', reason: 'part message/disposition-notification' };

  if (h['x-failed-recipients']) return { kind: 'bounce', reason: 'X-Failed-Recipients header' };
  const from = input.fromAddress ?? '';
  if (BOUNCE_SENDER.test(from)) return { kind: 'bounce', reason: `sender ${from}` };
  // mailparser renders "Return-Path: <>" as an empty address list.
  const nullSender = h['return-path'] !== undefined && /^\s*(?:<\s*>)?\s*$/.test(h['return-path']);
  if (BOUNCE_SUBJECT.test(subject) && (nullSender || BOUNCE_SENDER_NAME.test(input.fromName ?? '') || !from)) {
    const who = nullSender ? 'null sender' : from ? `sender "${input.fromName}"` : 'no sender';
    return { kind: 'bounce', reason: `bounce subject "${truncate(subject)}" from ${who}` };
  }

  const autoSubmitted = (h['auto-submitted'] ?? '').trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return { kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted}` };
  const autoHeader = AUTO_REPLY_HEADERS.find((name) => h[name] !== undefined);
  if (autoHeader) return { kind: 'auto_reply', reason: `${autoHeader} header` };
  const precedence = (h['precedence'] ?? '').trim().toLowerCase();
  if (precedence === 'auto_reply') return { kind: 'auto_reply', reason: 'Precedence: auto_reply' };
  if (AUTO_REPLY_SUBJECT.test(subject)) return { kind: 'auto_reply', reason: `auto-reply subject "${truncate(subject)}"` };
  if (precedence === 'bulk' || precedence === 'list' || precedence === 'junk')
    return { kind: 'mailing_list', reason: `Precedence: ${precedence}` };
  const listHeader = LIST_HEADERS.find((name) => h[name] !== undefined);
  if (listHeader) return { kind: 'mailing_list', reason: `${listHeader} header` };
  if (ABUSE_REPORT_SUBJECT.test(subject)) return { kind: 'feedback_report', reason: `abuse report subject "${truncate(subject)}"` };
  if (nullSender) {
    return BOUNCE_SUBJECT.test(subject)
      ? { kind: 'bounce', reason: 'null sender (Return-Path: <>)' }
      : { kind: 'auto_reply', reason: 'null sender (Return-Path: <>)' };
  }
  if (NO_REPLY_SENDER.test(from)) {
    return BOUNCE_SUBJECT.test(subject)
      ? { kind: 'bounce', reason: `bounce subject from ${from}` }
      : { kind: 'auto_reply', reason: `sent from a no-reply address (${from})` };
  }
  return null;
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
