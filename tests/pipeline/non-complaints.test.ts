import { describe, expect, it } from 'vitest';
import { classifyNonComplaint, type NonComplaintInput } from '../../src/pipeline/non-complaints.js';

const email = (over: Partial<NonComplaintInput> & { headers?: Record<string, string> }): NonComplaintInput => ({
  channel: 'email',
  headers: {},
  mime: { contentType: 'text/plain', partTypes: [] },
  fromAddress: 'ana@example.com',
  fromName: 'Ana',
  subject: 'My top-up failed',
  ...over,
});

describe('classifyNonComplaint', () => {
  it('a customer email is a complaint', () => {
    expect(classifyNonComplaint(email({}))).toBeNull();
  });

  it.each<[string, Partial<NonComplaintInput>, string]>([
    ['multipart/report delivery-status', { mime: { contentType: 'multipart/report', reportType: 'delivery-status', partTypes: [] } }, 'bounce'],
    ['multipart/report read receipt', { mime: { contentType: 'multipart/report', reportType: 'disposition-notification', partTypes: [] } }, 'delivery_report'],
    ['multipart/report ARF', { mime: { contentType: 'multipart/report', reportType: 'feedback-report', partTypes: [] } }, 'feedback_report'],
    ['a message/delivery-status part', { mime: { contentType: 'multipart/mixed', partTypes: ['message/delivery-status'] } }, 'bounce'],
    ['mailer-daemon sender', { fromAddress: 'MAILER-DAEMON@mx.example.com', subject: 'failure notice' }, 'bounce'],
    ['postmaster without domain', { fromAddress: 'MAILER-DAEMON', subject: 'Returned Mail' }, 'bounce'],
    ['X-Failed-Recipients', { headers: { 'x-failed-recipients': 'a@example.com' } }, 'bounce'],
    ['bounce subject from a null sender', { headers: { 'return-path': '' }, fromAddress: 'system@example.net', subject: 'Undeliverable: hello' }, 'bounce'],
    ['Auto-Submitted: auto-replied', { headers: { 'auto-submitted': 'auto-replied' } }, 'auto_reply'],
    ['X-Autoreply', { headers: { 'x-autoreply': 'yes' } }, 'auto_reply'],
    ['Precedence: auto_reply', { headers: { precedence: 'auto_reply' } }, 'auto_reply'],
    ['out-of-office subject', { subject: 'Out of Office: back on Monday' }, 'auto_reply'],
    ['Indonesian auto-reply subject', { subject: 'Balasan otomatis: Re: saldo' }, 'auto_reply'],
    ['Chinese auto-reply subject', { subject: '自动回复：您的邮件已收到' }, 'auto_reply'],
    ['no-reply sender', { fromAddress: 'no-reply@notifications.example.com', subject: 'Your statement' }, 'auto_reply'],
    ['Precedence: bulk', { headers: { precedence: 'bulk' } }, 'mailing_list'],
    ['List-Id', { headers: { 'list-id': '<news.example.com>' } }, 'mailing_list'],
    ['List-Unsubscribe', { headers: { 'list-unsubscribe': '<mailto:u@example.com>' } }, 'mailing_list'],
    ['Hotmail JMRP abuse report', { fromAddress: 'staff@hotmail.com', subject: 'complaint about message from 192.0.2.222' }, 'feedback_report'],
  ])('%s', (_label, over, kind) => {
    const verdict = classifyNonComplaint(email(over));
    expect(verdict?.kind).toBe(kind);
    expect(verdict?.reason.length).toBeGreaterThan(0);
  });

  it('Auto-Submitted: no is an ordinary message', () => {
    expect(classifyNonComplaint(email({ headers: { 'auto-submitted': 'no' } }))).toBeNull();
  });

  it('a customer whose subject sounds like a bounce is still a customer', () => {
    expect(classifyNonComplaint(email({ subject: 'Payment not delivered to merchant' }))).toBeNull();
  });

  it('social posts are never classified as mail artefacts', () => {
    expect(classifyNonComplaint({ ...email({ subject: 'Out of office' }), channel: 'x' })).toBeNull();
  });
});
