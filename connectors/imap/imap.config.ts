/**
 * What an IMAP account is (its options, with defaults), and the small pure function turning it
 * into imapflow's connection options. Secrets come from the environment (or the config file);
 * they never appear in errors or logs.
 */
import type { ImapFlowOptions } from 'imapflow';
import { z } from 'zod';

export const DEFAULT_IMAP = {
  port: 993,
  backfillDays: 30,
  /** UIDs fetched per round trip, and stored per transaction; also bounded by batchBytes. */
  batchSize: 250,
  batchBytes: 32 * 1024 * 1024,
  connectTimeoutMs: 15_000,
  greetingTimeoutMs: 10_000,
  commandTimeoutMs: 120_000,
  /** Re-issue IDLE at least this often: IDLE connections die silently behind some NATs. */
  maxIdleMs: 5 * 60_000,
} as const;

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (A-Z, 0-9, _)');

export const imapAccountSchema = z
  .object({
    type: z.literal('imap'),
    /** Source name stored with each message; also the cursor's owner. */
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, . _ -'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(DEFAULT_IMAP.port),
    /** TLS from the first byte (993). false: plain connection, upgraded by STARTTLS when offered. */
    secure: z.boolean().default(true),
    /** Accept self-signed certificates (test servers only). */
    tlsInsecure: z.boolean().default(false),
    user: z.string().min(1),
    password: z.string().min(1).optional(),
    passwordEnv: envName.optional(),
    /** OAuth access token (XOAUTH2) for Gmail / Microsoft 365; refreshing it is the caller's job. */
    accessToken: z.string().min(1).optional(),
    accessTokenEnv: envName.optional(),
    /** Folders to read. Default: INBOX plus the account's Junk/Spam folder. */
    folders: z.array(z.string().min(1)).min(1).optional(),
    /** How far back the first run (and a resync after a UIDVALIDITY change) reads. */
    backfillDays: z.number().positive().default(DEFAULT_IMAP.backfillDays),
    batchSize: z.number().int().min(1).max(1000).default(DEFAULT_IMAP.batchSize),
    /** Off by default: agents read the same mailbox in their mail client. */
    markSeen: z.boolean().default(false),
    /** Move each message to this folder once it is stored. Off by default. */
    moveTo: z.string().min(1).optional(),
    /** Watch INBOX with IDLE between polls. */
    idle: z.boolean().default(true),
    connectTimeoutMs: z.number().int().positive().default(DEFAULT_IMAP.connectTimeoutMs),
    commandTimeoutMs: z.number().int().positive().default(DEFAULT_IMAP.commandTimeoutMs),
  })
  .superRefine((a, ctx) => {
    const given = [a.password, a.passwordEnv, a.accessToken, a.accessTokenEnv].filter((v) => v !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({ code: 'custom', message: 'give exactly one of password, passwordEnv, accessToken, accessTokenEnv' });
    }
  });

export type ImapAccount = z.output<typeof imapAccountSchema>;

export class ImapConfigError extends Error {
  override name = 'ImapConfigError';
  readonly code = 'config_imap';
}

/** imapflow options for an account. Throws ImapConfigError naming a missing variable, never a value. */
export function imapClientOptions(account: ImapAccount, env: NodeJS.ProcessEnv): ImapFlowOptions {
  const secret = (value: string | undefined, variable: string | undefined): string | undefined => {
    if (value !== undefined) return value;
    if (variable === undefined) return undefined;
    const fromEnv = env[variable];
    if (!fromEnv) throw new ImapConfigError(`IMAP source "${account.name}": environment variable ${variable} is not set`);
    return fromEnv;
  };
  const accessToken = secret(account.accessToken, account.accessTokenEnv);
  const pass = accessToken === undefined ? secret(account.password, account.passwordEnv) : undefined;
  return {
    host: account.host,
    port: account.port,
    secure: account.secure,
    auth: accessToken !== undefined ? { user: account.user, accessToken } : { user: account.user, pass: pass! },
    ...(account.tlsInsecure ? { tls: { rejectUnauthorized: false } } : {}),
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: account.connectTimeoutMs,
    greetingTimeout: Math.min(DEFAULT_IMAP.greetingTimeoutMs, account.connectTimeoutMs),
    socketTimeout: account.commandTimeoutMs,
    maxIdleTime: DEFAULT_IMAP.maxIdleMs,
    clientInfo: { name: 'complaint-monitor' },
  };
}
