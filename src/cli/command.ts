/** What every CLI command shares: its shape, option parsing, and opening config + database. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { openRepository } from '../../db/open.js';
import type { Repository } from '../../db/repository.js';
import { loadConfig, type Config } from '../config/config.js';
import { Pipeline } from '../pipeline/pipeline.js';

export interface Command {
  name: string;
  summary: string;
  run(argv: string[]): Promise<number>;
}

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS = {
  db: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies Options;

export const COMMON_HELP = [
  '  --db PATH        SQLite database file (default: DATABASE_URL or ./data/complaints.db)',
  '  --config FILE    config file, JSON or YAML (default: CM_CONFIG or ./complaint-monitor.{json,yaml,yml} if present)',
  '  --json           machine-readable output',
  '  -h, --help       this help',
];

export function parseCommandArgs<O extends Options>(argv: string[], options: O, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}

export interface Context {
  config: Config;
  repo: Repository;
  pipeline: Pipeline;
}

export function openContext(flags: { db?: string | undefined; config?: string | undefined }): Context {
  const config = loadConfig({ configFile: flags.config, databaseUrl: flags.db });
  const pipeline = new Pipeline(config);
  const repo = openRepository(config.databaseUrl);
  return { config, repo, pipeline };
}

export function parsePositiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new CliUsageError(`${flag} must be a positive whole number, got "${value}"`);
  return n;
}

export function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new CliUsageError(`${flag} must be one of ${allowed.join(', ')}; got "${value}"`);
  }
  return value as T;
}

export function parseWorkerCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 16) throw new CliUsageError(`--workers must be a whole number from 0 to 16, got "${value}"`);
  return n;
}
