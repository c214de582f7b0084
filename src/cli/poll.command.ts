import { createEmailParser, defaultWorkerCount, type EmailParser } from '../../connectors/email/parse-pool.js';
import type { ConnectorError } from '../../connectors/errors.js';
import { ImapConnector } from '../../connectors/imap/imap.connector.js';
import type { IngestSummary } from '../pipeline/ingest.js';
import { createConnector, type SourceConfig } from '../scheduler/create-connector.js';
import { runSource, type SourceRunResult } from '../scheduler/run-source.js';
import {
  CliUsageError,
  COMMON_HELP,
  COMMON_OPTIONS,
  openContext,
  parseCommandArgs,
  parsePositiveInt,
  parseWorkerCount,
  type Command,
  type Context,
} from './command.js';
import { formatSummary, formatTime } from './format.js';
import { progressReporter } from './progress.js';

const HELP = `Usage: complaint-monitor poll [--source NAME] [--once] [--interval SECONDS] [options]

Reads the sources configured in the config file ("sources": IMAP accounts and X apps). Each
message or post is stored once, with its cursor, in one transaction: stopping at any moment loses
nothing.

  --once           read every source once, print what each fetched, exit (1 if any failed)
  (default)        keep running: read every source every --interval seconds, watch IMAP
                   INBOXes with IDLE so new mail is stored within seconds; Ctrl-C stops
  --source NAME    only this source
  --interval S     seconds between reads of a source (default 300)
  --workers N      worker threads parsing email (default: config ingest.parseWorkers)
${COMMON_HELP.join('\n')}

Failures are told apart: a wrong password or token, a missing folder or an X app without access
is not retried (fix the config); network and server errors are retried with backoff. A source
that is rate limited is not called before its reset, even after a restart. \`--json\` prints, per source, the import
summary plus "ok", "attempts" and "error".`;

const AUTH_RETRY_MS = 15 * 60_000;

export const pollCommand: Command = {
  name: 'poll',
  summary: 'read the configured sources (IMAP, X) once, or keep watching them',
  async run(argv) {
    const { values } = parseCommandArgs(
      argv,
      {
        ...COMMON_OPTIONS,
        source: { type: 'string' },
        once: { type: 'boolean', default: false },
        interval: { type: 'string' },
        workers: { type: 'string' },
      },
      false,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const intervalMs = parsePositiveInt(values.interval, '--interval', 300) * 1000;
    const workers = values.workers === undefined ? undefined : parseWorkerCount(values.workers);
    const ctx = openContext(values);
    try {
      const sources = pickSources(ctx.config.sources, values.source);
      const configured = ctx.config.ingest.parseWorkers;
      const parser = createEmailParser(workers ?? (configured === 'auto' ? defaultWorkerCount() : configured));
      try {
        if (values.once) return await pollOnce(ctx, sources, parser, values.json);
        await pollForever(ctx, sources, parser, intervalMs);
        return 0;
      } finally {
        await parser.close();
      }
    } finally {
      await ctx.repo.close();
    }
  },
};

function pickSources(all: SourceConfig[], name: string | undefined): SourceConfig[] {
  if (all.length === 0) {
    throw new CliUsageError('no sources configured: add an IMAP account or an X source under "sources" in the config file (see README, Configuration)');
  }
  if (name === undefined) return all;
  const found = all.filter((s) => s.name === name);
  if (found.length === 0) throw new CliUsageError(`no source named "${name}" (configured: ${all.map((s) => s.name).join(', ')})`);
  return found;
}

async function pollOnce(ctx: Context, sources: SourceConfig[], parser: EmailParser, json: boolean): Promise<number> {
  const results: SourceRunResult[] = [];
  for (const source of sources) {
    const progress = progressReporter(`${source.name}: `);
    const connector = createConnector(source, { config: ctx.config, parser, onPlan: (_folder, n) => progress.expect(n) });
    try {
      const result = await runSource(connector, {
        repo: ctx.repo,
        pipeline: ctx.pipeline,
        batchSize: ctx.config.ingest.batchSize,
        onProgress: progress.update,
        onAttemptFailed: (err, attempt, retryIn) => {
          progress.done();
          if (!json) console.error(attemptLine(err, attempt, retryIn));
        },
      });
      results.push(result);
    } finally {
      progress.done();
    }
  }
  if (json) {
    console.log(JSON.stringify({ sources: results.map(toJson) }));
  } else {
    for (const r of results) {
      console.log(`${r.source}: ${r.error ? `FAILED (${r.error.kind}): ${r.error.message}` : 'ok'}`);
      console.log(formatSummary(r.summary));
    }
  }
  return results.some((r) => r.error) ? 1 : 0;
}

async function pollForever(ctx: Context, sources: SourceConfig[], parser: EmailParser, intervalMs: number): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.error(`polling ${sources.map((s) => s.name).join(', ')} every ${intervalMs / 1000} s (Ctrl-C stops)`);
  try {
    await Promise.all(sources.map((source) => watchSource(ctx, source, parser, intervalMs, controller.signal)));
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

async function watchSource(ctx: Context, source: SourceConfig, parser: EmailParser, intervalMs: number, signal: AbortSignal): Promise<void> {
  const wake = new Wakeup(signal);
  const connector = createConnector(source, { config: ctx.config, parser });
  const watching =
    source.type === 'imap' && source.idle && connector instanceof ImapConnector
      ? connector.watch(signal, () => wake.now(), (err) => console.error(`${stamp(ctx)} ${source.name}: IDLE: ${err.message}`))
      : Promise.resolve();
  while (!signal.aborted) {
    const result = await runSource(connector, {
      repo: ctx.repo,
      pipeline: ctx.pipeline,
      batchSize: ctx.config.ingest.batchSize,
      onAttemptFailed: (err, attempt, retryIn) => console.error(`${stamp(ctx)} ${attemptLine(err, attempt, retryIn)}`),
    });
    if (result.error === null) {
      if (result.summary.read > 0) console.log(`${stamp(ctx)} ${source.name}: ${oneLine(result.summary)}`);
    } else {
      console.error(`${stamp(ctx)} ${source.name}: FAILED (${result.error.kind}) ${result.error.message}`);
    }
    const waitMs = result.error && !result.error.retryable ? AUTH_RETRY_MS : intervalMs;
    await wake.wait(waitMs);
  }
  await watching;
}

/** Resolves a wait early when told to; remembers a call made while nobody waited. */
class Wakeup {
  private pending = false;
  private resolveWait: (() => void) | null = null;

  constructor(private readonly signal: AbortSignal) {
    signal.addEventListener('abort', () => this.resolveWait?.(), { once: true });
  }

  now(): void {
    if (this.resolveWait) this.resolveWait();
    else this.pending = true;
  }

  wait(ms: number): Promise<void> {
    if (this.pending || this.signal.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const resolveWait = () => done();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.resolveWait = () => {
        this.resolveWait = null;
        resolveWait();
      };
    });
  }
}

function attemptLine(err: ConnectorError, attempt: number, retryIn: number | null): string {
  const next = retryIn === null ? (err.retryable ? 'giving up for this run' : 'not retried: fix the configuration') : `retrying in ${Math.round(retryIn / 1000)} s`;
  return `${err.source}: attempt ${attempt} failed (${err.kind}, ${err.code}): ${err.message}; ${next}`;
}

function oneLine(s: IngestSummary): string {
  const threaded = Object.values(s.threaded).reduce((a, b) => a + b, 0);
  return `read ${s.read}, stored ${s.stored} (new cases ${s.cases_created}, threaded ${threaded}, non-complaints ${s.non_complaints}), duplicates ${s.duplicates}, quarantined ${s.quarantined}`;
}

function toJson(r: SourceRunResult) {
  return { source: r.source, ok: r.error === null, attempts: r.attempts, error: r.error ? { kind: r.error.kind, code: r.error.code, message: r.error.message } : null, ...r.summary };
}

function stamp(ctx: Context): string {
  return formatTime(new Date(), ctx.config.timezone);
}
