/** Named defaults, in one place so the README and the schema agree. */

export const DEFAULT_DATABASE_PATH = './data/complaints.db';
export const DEFAULT_TIMEZONE = 'Asia/Jakarta';
export const DEFAULT_REQUEST_NUMBER_FORMAT = 'REQ-{YYYY}-{SEQ:6}';

export const DEFAULT_NEAR_DUPLICATE = {
  windowDays: 7,
  similarity: 0.8,
} as const;

export const DEFAULT_INGEST = {
  maxMessageBytes: 25 * 1024 * 1024,
  parseTimeoutMs: 30_000,
  batchSize: 500,
  maxBodyChars: 100_000,
} as const;

/**
 * Numbers from other systems that customers quote. Each pattern is anchored on a word that names
 * the number ("ticket", "laporan", "工单"), so amounts, phone numbers, dates, card numbers and
 * order ids are never taken for request numbers. The named group `id` is the stored value.
 */
export const DEFAULT_REFERENCE_PATTERNS = [
  {
    system: 'hotline',
    description: 'Call-centre report numbers: "CS-2611-0042"',
    regex: String.raw`\bCS-(?<id>\d{4}-\d{4,6})\b`,
  },
  {
    system: 'helpdesk',
    description:
      'Tickets of the previous helpdesk: "ticket #4471829", "tiket no. 4471829", "nomor laporan 4471829", "工单号：4471829"',
    regex: String.raw`(?:\b(?:ticket|tiket|case|complaint|laporan|aduan|pengaduan)|工单|投诉单|案件)\s*(?:(?:number|nomor|no|nr|id)\b\.?|#|号|编号)?\s*[:：#]?\s*(?<id>\d{5,10})(?!\d|[.,]\d)`,
  },
];

/**
 * Service levels per urgency, in minutes: the team's first answer and the case's resolution.
 * Defaults follow common practice for payment complaints (money at risk: answer within the hour).
 */
export const DEFAULT_SLA_MINUTES = {
  critical: { firstResponse: 60, resolution: 24 * 60 },
  high: { firstResponse: 4 * 60, resolution: 3 * 24 * 60 },
  normal: { firstResponse: 24 * 60, resolution: 5 * 24 * 60 },
  low: { firstResponse: 3 * 24 * 60, resolution: 10 * 24 * 60 },
} as const;

/** The dashboard API: requests per token (or per address without one) and the live stream's pace. */
export const DEFAULT_API = {
  rateLimit: { max: 600, timeWindowMs: 60_000 },
  /** How often an open /api/stream checks the database for new case events. */
  streamPollMs: 500,
  /** A comment line this often keeps proxies from closing an idle stream. */
  streamHeartbeatMs: 15_000,
  /**
   * A case-list page answered in the last this-many ms is answered again from memory while nothing
   * was committed to the database since (0: never). Bounds how late an SLA breach flag can appear.
   */
  listCacheMs: 1000,
} as const;

/** POST /api/ingest (website form, in-app feedback): signed requests, small bodies. */
export const DEFAULT_WEBHOOK = {
  secretEnv: 'CM_WEBHOOK_SECRET',
  source: 'webhook',
  /** A signed request older or newer than this (by its X-Signature-Timestamp) is refused. */
  maxSkewSeconds: 300,
  maxBodyBytes: 256 * 1024,
} as const;

/**
 * When the scheduler runs each source (`serve`): every minute by default, so a new complaint waits
 * at most about a minute; X's 450 requests per 15 minutes leave room for that with the default
 * page budget of a run.
 */
export const DEFAULT_SCHEDULE_CRON = '* * * * *';

export const DEFAULT_SCHEDULER = {
  /** A run still going after this long is stopped between two transactions (and counts as a failure). */
  runTimeoutSeconds: 600,
  /** After n consecutive failures a source waits base * 2^(n-1), at most max, before its next run. */
  backoffBaseSeconds: 60,
  backoffMaxSeconds: 3600,
  /** A wrong password or token, or a missing folder, needs a person: ask again at most this often (no lockout storm). */
  nonRetryableRetrySeconds: 900,
} as const;

/**
 * The weekly report on a schedule (`serve`): last week's report every Monday 08:00 in the team's
 * zone, into a folder keeping the newest `keep` weeks. Off until a folder is configured.
 */
export const DEFAULT_REPORT_SCHEDULE = {
  cron: '0 8 * * 1',
  keep: 12,
  formats: ['json', 'xlsx', 'html'],
} as const;
