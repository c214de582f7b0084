import type { FailedItem } from '../../connectors/types.js';
import { createEmailParser, defaultWorkerCount } from '../../connectors/email/parse-pool.js';
import { FileConnector } from '../../connectors/file/file.connector.js';
import { ingest, type IngestSummary } from '../pipeline/ingest.js';
import { CliUsageError, COMMON_HELP, COMMON_OPTIONS, openContext, parseCommandArgs, parseWorkerCount, type Command, type Context } from './command.js';
import { formatSummary } from './format.js';
import { progressReporter } from './progress.js';

const HELP = `Usage: complaint-monitor import PATH... [--source NAME] [options]

Imports .eml files, folders of them (recursively), mbox files, Maildir folders and JSON Lines of
social posts (id, created_at, author, text; optional author_name, followers, conversation_id,
in_reply_to, lang, url, channel). Re-importing the same files stores nothing new. A message that
cannot be parsed is quarantined with its reason and the import goes on.

Options:
  --source NAME    source name stored with each message (default: file)
  --workers N      worker threads parsing email (default: config ingest.parseWorkers, "auto" =
                   one per core but one, at most 4; 0 parses in the main thread)
${COMMON_HELP.join('\n')}

Prints read, stored, duplicates and quarantined (read = stored + duplicates + quarantined); of the
stored: cases created, threaded (joined an existing case, by rule) and non-complaints.`;

const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SHOWN_FAILURES = 10;

export const importCommand: Command = {
  name: 'import',
  summary: 'import .eml, mbox, Maildir and JSON Lines files',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...COMMON_OPTIONS,
      source: { type: 'string', default: 'file' },
      workers: { type: 'string' },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length === 0) throw new CliUsageError('give at least one file or folder to import');
    if (!SOURCE_NAME.test(values.source)) throw new CliUsageError(`--source must be letters, digits, . _ - (got "${values.source}")`);
    const workers = values.workers === undefined ? undefined : parseWorkerCount(values.workers);
    const ctx = openContext(values);
    try {
      const { summary, failures } = await importPaths(ctx, positionals, values.source, workers);
      if (values.json) console.log(JSON.stringify(summary));
      else {
        console.log(`Imported ${positionals.join(', ')} into ${ctx.config.databaseUrl} (source "${values.source}")`);
        console.log(formatSummary(summary));
        printFailures(failures);
      }
      return 0;
    } finally {
      await ctx.repo.close();
    }
  },
};

export async function importPaths(
  ctx: Context,
  paths: string[],
  source: string,
  workers?: number,
): Promise<{ summary: IngestSummary; failures: FailedItem[] }> {
  const configured = ctx.config.ingest.parseWorkers;
  const parser = createEmailParser(workers ?? (configured === 'auto' ? defaultWorkerCount() : configured));
  const connector = new FileConnector({
    paths,
    source,
    maxMessageBytes: ctx.config.ingest.maxMessageBytes,
    parseTimeoutMs: ctx.config.ingest.parseTimeoutMs,
    parser,
  });
  const failures: FailedItem[] = [];
  const progress = progressReporter();
  try {
    const summary = await ingest(connector.pull(), ctx.repo, ctx.pipeline, {
      batchSize: ctx.config.ingest.batchSize,
      onProgress: progress.update,
      onQuarantine: (f) => failures.push(f),
    });
    return { summary, failures };
  } finally {
    progress.done();
    await parser.close();
  }
}

export function printFailures(failures: FailedItem[]): void {
  if (failures.length === 0) return;
  console.log(`\nQuarantined (${failures.length}):`);
  for (const f of failures.slice(0, SHOWN_FAILURES)) console.log(`  ${f.reason}: ${f.rawRef}\n    ${f.detail}`);
  if (failures.length > SHOWN_FAILURES) console.log(`  ... and ${failures.length - SHOWN_FAILURES} more: complaint-monitor quarantine`);
}
