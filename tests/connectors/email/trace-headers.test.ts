import { describe, expect, it } from 'vitest';
import { withoutTraceHeaders } from '../../../connectors/email/trace-headers.js';

describe('withoutTraceHeaders', () => {
  it('removes relay and signature headers with their folded lines, and nothing else', () => {
    for (const eol of ['\r\n', '\n']) {
      const raw = Buffer.from(
        [
          'Received: from mx1 by mx2;',
          '\tWed, 18 Nov 2026 09:15:02 +0700',
          'From: Ana <ana@example.com>',
          'DKIM-Signature: v=1; a=rsa-sha256;',
          ' b=abcdef',
          'Subject: Saldo hilang',
          'ARC-Seal: i=1; cv=none',
          'X-Received: by 2002:a17',
          'Authentication-Results: mx.example; dkim=pass',
          '',
          'Received: this line is in the body and stays',
          '',
        ].join(eol),
      );
      expect(withoutTraceHeaders(raw).toString()).toBe(
        ['From: Ana <ana@example.com>', 'Subject: Saldo hilang', 'Authentication-Results: mx.example; dkim=pass', '', 'Received: this line is in the body and stays', ''].join(eol),
      );
    }
  });

  it('returns the same buffer when there is nothing to remove', () => {
    const raw = Buffer.from('From: a@example.com\r\nSubject: x\r\n\r\nbody\r\n');
    expect(withoutTraceHeaders(raw)).toBe(raw);
  });

  it('handles a message that is all headers, ending in a trace header', () => {
    expect(withoutTraceHeaders(Buffer.from('Subject: x\nReceived: from a\n by b')).toString()).toBe('Subject: x\n');
  });
});
