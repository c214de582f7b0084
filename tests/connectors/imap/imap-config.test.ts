import { describe, expect, it } from 'vitest';
import { ConnectorError } from '../../../connectors/errors.js';
import { classifyImapError } from '../../../connectors/imap/imap-errors.js';
import { imapAccountSchema, imapClientOptions, ImapConfigError } from '../../../connectors/imap/imap.config.js';
import { parseCursor } from '../../../connectors/imap/imap.connector.js';

const account = (over: Record<string, unknown> = {}) =>
  imapAccountSchema.parse({ type: 'imap', name: 'care', host: 'imap.example.com', user: 'care@example.com', passwordEnv: 'CARE_PW', ...over });

describe('IMAP account configuration', () => {
  it('defaults: TLS on 993, 30-day backfill, read-only, IDLE on', () => {
    expect(account()).toMatchObject({ port: 993, secure: true, backfillDays: 30, markSeen: false, idle: true });
  });

  it('needs exactly one way to authenticate', () => {
    expect(() => account({ password: 'x' })).toThrow(/exactly one of password, passwordEnv, accessToken, accessTokenEnv/);
    expect(() => imapAccountSchema.parse({ type: 'imap', name: 'care', host: 'h', user: 'u' })).toThrow(/exactly one/);
  });

  it('reads the password from the environment, and names a missing variable without any secret', () => {
    expect(imapClientOptions(account(), { CARE_PW: 's3cret' }).auth).toEqual({ user: 'care@example.com', pass: 's3cret' });
    const err = (() => {
      try {
        imapClientOptions(account(), {});
      } catch (e) {
        return e as Error;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(ImapConfigError);
    expect(err?.message).toBe('IMAP source "care": environment variable CARE_PW is not set');
  });

  it('uses XOAUTH2 with an access token (Gmail, Microsoft 365)', () => {
    const opts = imapClientOptions(account({ passwordEnv: undefined, accessTokenEnv: 'CARE_TOKEN' }), { CARE_TOKEN: 'ya29.token' });
    expect(opts.auth).toEqual({ user: 'care@example.com', accessToken: 'ya29.token' });
    expect(opts.logger).toBe(false);
  });
});

describe('classifyImapError', () => {
  const kind = (err: unknown) => {
    const c = classifyImapError(err, 'care', 'fetching');
    return [c.kind, c.code, c.retryable];
  };

  it('tells auth from network from server', () => {
    expect(kind(Object.assign(new Error('Authentication failed'), { authenticationFailed: true }))).toEqual(['auth', 'imap_auth_failed', false]);
    expect(kind(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toEqual(['network', 'imap_network', true]);
    expect(kind(Object.assign(new Error('Connection not available'), { code: 'NoConnection' }))).toEqual(['network', 'imap_network', true]);
    expect(kind(Object.assign(new Error('Command failed'), { responseStatus: 'NO', responseText: 'Internal error' }))).toEqual(['server', 'imap_server', true]);
    expect(kind(Object.assign(new Error('Mailbox does not exist'), { mailboxMissing: true, path: 'Complaints' }))).toEqual(['config', 'imap_folder_missing', false]);
    expect(kind(new ImapConfigError('x'))).toEqual(['config', 'imap_config', false]);
  });

  it('keeps the server text and takes the throttle delay', () => {
    const c = classifyImapError(Object.assign(new Error('throttled'), { code: 'ETHROTTLE', throttleReset: 30_000 }), 'care', 'fetching');
    expect(c).toBeInstanceOf(ConnectorError);
    expect(c).toMatchObject({ kind: 'rate_limit', retryable: true, retryAfterMs: 30_000 });
    expect(classifyImapError(Object.assign(new Error('x'), { authenticationFailed: true, responseText: 'Invalid credentials' }), 'care', 'x').message).toContain(
      'server said: Invalid credentials',
    );
  });
});

describe('parseCursor', () => {
  it('reads UIDVALIDITY:UID and refuses anything else', () => {
    expect(parseCursor('1795634833:22')).toEqual({ validity: '1795634833', lastUid: 22 });
    expect(parseCursor(null)).toBeNull();
    expect(parseCursor('garbage')).toBeNull();
  });
});
