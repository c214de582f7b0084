/**
 * One typed, schema-checked configuration object, loaded once at start. Precedence: command-line
 * flags > environment > config file > defaults. Secrets only ever come from the environment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { validateDetailed } from 'node-cron';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { imapAccountSchema } from '../../connectors/imap/imap.config.js';
import { xSourceSchema } from '../../connectors/x/x.config.js';
import { REPORT_FORMATS } from '../reports/formats.js';
import {
  DEFAULT_API,
  DEFAULT_DATABASE_PATH,
  DEFAULT_INGEST,
  DEFAULT_NEAR_DUPLICATE,
  DEFAULT_REFERENCE_PATTERNS,
  DEFAULT_REPORT_SCHEDULE,
  DEFAULT_REQUEST_NUMBER_FORMAT,
  DEFAULT_SCHEDULE_CRON,
  DEFAULT_SCHEDULER,
  DEFAULT_SLA_MINUTES,
  DEFAULT_TIMEZONE,
  DEFAULT_WEBHOOK,
} from './defaults.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
  readonly code = 'config_invalid';
}

const timezone = z.string().refine(isValidTimeZone, { message: 'not an IANA time zone (e.g. Asia/Jakarta)' });

const referencePattern = z.object({
  /** Name of the system the number belongs to; stored with the reference. */
  system: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes'),
  description: z.string().optional(),
  /** A JavaScript regular expression (source). A named group `id` is the number itself. */
  regex: z.string().superRefine((source, ctx) => {
    const problem = regexProblem(source);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${problem}` });
  }),
});

function slaTarget(defaults: { firstResponse: number; resolution: number }) {
  return z
    .strictObject({
      firstResponse: z.number().int().positive().default(defaults.firstResponse),
      resolution: z.number().int().positive().default(defaults.resolution),
    })
    .prefault({});
}

/** A cron expression node-cron accepts: 5 fields, or 6 with seconds first; names like MON-FRI and @hourly too. */
const cronExpression = z.string().superRefine((expr, ctx) => {
  const problems = validateDetailed(expr).errors;
  if (problems.length > 0) {
    ctx.addIssue({ code: 'custom', message: `not a valid cron expression ("${expr}"): ${problems.map((p) => p.message).join('; ')}` });
  }
});

/** When the scheduler (`serve`) runs a source; the zone defaults to the top-level `timezone`. */
const scheduleSchema = z
  .strictObject({
    cron: cronExpression.default(DEFAULT_SCHEDULE_CRON),
    timezone: timezone.optional(),
    /** Overrides scheduler.runTimeoutSeconds for this source. */
    timeoutSeconds: z.number().int().positive().optional(),
  })
  .prefault({});

/**
 * The sources `poll` and the scheduler read: IMAP accounts and X apps, told apart by `type`, each
 * with its schedule. (Secrets: `passwordEnv`/`accessTokenEnv`/`bearerTokenEnv` name environment
 * variables.)
 */
const sourcesSchema = z
  .array(
    z.discriminatedUnion('type', [imapAccountSchema.safeExtend({ schedule: scheduleSchema }), xSourceSchema.safeExtend({ schedule: scheduleSchema })]),
  )
  .default([])
  .superRefine((sources, ctx) => {
    const seen = new Set<string>();
    sources.forEach((source, i) => {
      if (seen.has(source.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `source name "${source.name}" is used twice` });
      seen.add(source.name);
    });
  });

/**
 * The weekly report written by the scheduler (`serve`): last week's report in each format into
 * `dir`, keeping the newest `keep` weeks there. The zone is both when the cron fires and where the
 * report's days and weeks are cut.
 */
const reportScheduleSchema = z
  .strictObject({
    enabled: z.boolean().default(false),
    cron: cronExpression.default(DEFAULT_REPORT_SCHEDULE.cron),
    timezone: timezone.optional(),
    dir: z.string().min(1).optional(),
    keep: z.number().int().min(1).max(1000).default(DEFAULT_REPORT_SCHEDULE.keep),
    formats: z
      .array(z.enum(REPORT_FORMATS))
      .min(1)
      .default([...DEFAULT_REPORT_SCHEDULE.formats])
      .refine((f) => new Set(f).size === f.length, { message: 'a format is listed twice' }),
  })
  .prefault({})
  .superRefine((s, ctx) => {
    if (s.enabled && s.dir === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dir'], message: 'required when the schedule is enabled: the folder the reports are written to' });
    }
  });

export const configSchema = z.object({
  databaseUrl: z.string().min(1).default(DEFAULT_DATABASE_PATH),
  sources: sourcesSchema,
  timezone: timezone.default(DEFAULT_TIMEZONE),
  requestNumbers: z
    .object({
      /** Tokens: {YYYY} {YY} {SEQ:n} (n = zero-padded width). Must contain {SEQ:n}. */
      format: z
        .string()
        .regex(/\{SEQ:\d\}/, 'must contain {SEQ:n}, e.g. REQ-{YYYY}-{SEQ:6}')
        .default(DEFAULT_REQUEST_NUMBER_FORMAT),
      /** Other systems' numbers customers quote (legacy helpdesk, hotline). */
      patterns: z.array(referencePattern).default(DEFAULT_REFERENCE_PATTERNS),
    })
    .prefault({}),
  dedupe: z
    .object({
      nearDuplicateWindowDays: z.number().positive().default(DEFAULT_NEAR_DUPLICATE.windowDays),
      /** Jaccard similarity of word shingles at or above which two texts count as near-identical. */
      nearDuplicateSimilarity: z.number().gt(0).max(1).default(DEFAULT_NEAR_DUPLICATE.similarity),
    })
    .prefault({}),
  urgency: z
    .object({
      /** A rules file replacing the bundled src/pipeline/urgency/rules.default.json. */
      rulesFile: z.string().optional(),
    })
    .prefault({}),
  facts: z
    .object({
      /** Extract case facts (amounts, stated dates, ids, payment channel, account hints). */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  categories: z
    .object({
      /** Assign a complaint category to every complaint (false: category stays empty). */
      enabled: z.boolean().default(true),
      /** A rules file replacing the bundled src/pipeline/categories/rules.default.json. */
      rulesFile: z.string().optional(),
    })
    .prefault({}),
  /** Targets per urgency level, in minutes (see DEFAULT_SLA_MINUTES). */
  sla: z
    .strictObject({
      critical: slaTarget(DEFAULT_SLA_MINUTES.critical),
      high: slaTarget(DEFAULT_SLA_MINUTES.high),
      normal: slaTarget(DEFAULT_SLA_MINUTES.normal),
      low: slaTarget(DEFAULT_SLA_MINUTES.low),
    })
    .prefault({}),
  scheduler: z
    .strictObject({
      runTimeoutSeconds: z.number().int().positive().default(DEFAULT_SCHEDULER.runTimeoutSeconds),
      backoffBaseSeconds: z.number().int().positive().default(DEFAULT_SCHEDULER.backoffBaseSeconds),
      backoffMaxSeconds: z.number().int().positive().default(DEFAULT_SCHEDULER.backoffMaxSeconds),
      nonRetryableRetrySeconds: z.number().int().positive().default(DEFAULT_SCHEDULER.nonRetryableRetrySeconds),
    })
    .prefault({}),
  reports: z.strictObject({ schedule: reportScheduleSchema }).prefault({}),
  metrics: z
    .strictObject({
      /**
       * GET /metrics needs a manager or admin bearer token by default (Prometheus: `authorization:
       * {credentials: <token>}`); false opens it to anyone who can reach the port.
       */
      requireToken: z.boolean().default(true),
    })
    .prefault({}),
  ingest: z
    .object({
      /** Messages above this size keep headers and attachment metadata; the body is truncated. */
      maxMessageBytes: z.number().int().positive().default(DEFAULT_INGEST.maxMessageBytes),
      parseTimeoutMs: z.number().int().positive().default(DEFAULT_INGEST.parseTimeoutMs),
      /** Items stored per transaction. */
      batchSize: z.number().int().positive().max(10_000).default(DEFAULT_INGEST.batchSize),
      /** Longest body stored, in characters; longer bodies are cut with a note. */
      maxBodyChars: z.number().int().positive().default(DEFAULT_INGEST.maxBodyChars),
      /** Worker threads parsing email beside the pipeline: "auto" (cores - 1, at most 4) or a number (0 = in this thread). */
      parseWorkers: z.union([z.literal('auto'), z.number().int().min(0).max(16)]).default('auto'),
    })
    .prefault({}),
  api: z
    .strictObject({
      /** Requests per token (per client address without one) per window; /healthz is exempt. */
      rateLimit: z
        .strictObject({
          max: z.number().int().positive().default(DEFAULT_API.rateLimit.max),
          timeWindowMs: z.number().int().min(1000).default(DEFAULT_API.rateLimit.timeWindowMs),
        })
        .prefault({}),
      streamPollMs: z.number().int().min(50).max(10_000).default(DEFAULT_API.streamPollMs),
      streamHeartbeatMs: z.number().int().min(1000).max(300_000).default(DEFAULT_API.streamHeartbeatMs),
      /** Identical case-list requests within this many ms, with no commit in between, share one answer (0: off). */
      listCacheMs: z.number().int().min(0).max(60_000).default(DEFAULT_API.listCacheMs),
    })
    .prefault({}),
  webhook: z
    .strictObject({
      /** The environment variable holding the HMAC secret the form backend signs with. */
      secretEnv: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name')
        .default(DEFAULT_WEBHOOK.secretEnv),
      /** The source name stored with webhook messages (dedupe rule 1 is per source). */
      source: z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and dashes').default(DEFAULT_WEBHOOK.source),
      maxSkewSeconds: z.number().int().min(1).max(86_400).default(DEFAULT_WEBHOOK.maxSkewSeconds),
      maxBodyBytes: z.number().int().min(1024).max(10 * 1024 * 1024).default(DEFAULT_WEBHOOK.maxBodyBytes),
    })
    .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

export interface ConfigOverrides {
  configFile?: string | undefined;
  databaseUrl?: string | undefined;
}

/** Looked for in the working directory, in this order, when neither --config nor CM_CONFIG names a file. */
export const DEFAULT_CONFIG_FILES = ['complaint-monitor.json', 'complaint-monitor.yaml', 'complaint-monitor.yml'];

/** The config file in use: the flag, else CM_CONFIG, else the first default file present, else none. */
export function configFileOf(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): string | undefined {
  // An empty variable counts as unset, as shells and CI files often leave them.
  return overrides.configFile || env.CM_CONFIG || DEFAULT_CONFIG_FILES.find((f) => existsSync(f));
}

/** Loads the config file (if any), applies environment and flags, and validates the result. */
export function loadConfig(overrides: ConfigOverrides = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const file = configFileOf(overrides, env);
  let raw: Record<string, unknown> = {};
  if (file !== undefined) raw = resolveRelativePaths(readConfigFile(file), dirname(resolve(file)));
  const merged: Record<string, unknown> = { ...raw };
  const databaseUrl = overrides.databaseUrl ?? env.DATABASE_URL;
  if (databaseUrl) merged.databaseUrl = databaseUrl;
  if (env.CM_TIMEZONE) merged.timezone = env.CM_TIMEZONE;
  return parseConfig(merged, file ?? 'defaults');
}

/** A .yaml/.yml file is YAML, anything else JSON; the top level must be an object. */
function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const yaml = /^\.ya?ml$/i.test(extname(file));
  let raw: unknown;
  try {
    // YAML: duplicate keys are errors (the default), so a key given twice is not silently the last one.
    raw = yaml ? parseYaml(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(err as Error).message}`, { cause: err });
  }
  if (raw === null || raw === undefined) return {}; // an empty YAML file: every default
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(`config file ${file}: the top level must be an object of settings, not ${Array.isArray(raw) ? 'a list' : typeof raw}`);
  }
  return raw as Record<string, unknown>;
}

/** The environment variables the config names for secrets (`passwordEnv`, ...) that are not set, with the key naming each. */
export function unsetSecretVariables(config: Config, env: NodeJS.ProcessEnv = process.env): { key: string; variable: string }[] {
  const missing: { key: string; variable: string }[] = [];
  config.sources.forEach((source, i) => {
    const named: [string, string | undefined][] =
      source.type === 'x' ? [['bearerTokenEnv', source.bearerTokenEnv]] : [['passwordEnv', source.passwordEnv], ['accessTokenEnv', source.accessTokenEnv]];
    for (const [field, variable] of named) {
      if (variable !== undefined && !env[variable]) missing.push({ key: `sources.${i}.${field}`, variable });
    }
  });
  return missing;
}

export function parseConfig(raw: unknown, origin = 'config'): Config {
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration (${origin}):\n${lines.join('\n')}`);
  }
  return result.data;
}

/** Rules files and the report folder named in a config file are relative to that file. */
function resolveRelativePaths(raw: Record<string, unknown>, base: string): Record<string, unknown> {
  const out = { ...raw };
  for (const key of ['urgency', 'categories'] as const) {
    const section = raw[key] as { rulesFile?: unknown } | undefined;
    if (section && typeof section.rulesFile === 'string') out[key] = { ...section, rulesFile: resolve(base, section.rulesFile) };
  }
  const reports = raw.reports as { schedule?: { dir?: unknown } } | undefined;
  if (reports?.schedule && typeof reports.schedule.dir === 'string') {
    out.reports = { ...reports, schedule: { ...reports.schedule, dir: resolve(base, reports.schedule.dir) } };
  }
  return out;
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false; // RangeError is exactly the "not a time zone" answer we are asking for
  }
}

function regexProblem(source: string): string | null {
  try {
    new RegExp(source, 'giu');
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
