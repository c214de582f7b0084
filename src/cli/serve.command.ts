import { createEmailParser, defaultWorkerCount, type EmailParser } from '../../connectors/email/parse-pool.js';
import { createApiToken } from '../api/tokens.js';
import { DEFAULT_HOST, DEFAULT_PORT, startServer, type RunningServer } from '../api/server.js';
import { Metrics } from '../metrics/metrics.js';
import { createConnector } from '../scheduler/create-connector.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { CliUsageError, COMMON_OPTIONS, openContext, parseCommandArgs, type Command, type Context } from './command.js';
import { formatSummary } from './format.js';
import { printFailures } from './import.command.js';
import { importSamples } from './samples.js';

/** After SIGINT/SIGTERM the process is gone within this long, whatever is still running. */
const CLOSE_GRACE_MS = 10_000;
/** Of that, what running connector runs get to store their last batch and close their connections. */
const SCHEDULER_GRACE_MS = 6_000;

const HELP = `Usage: complaint-monitor serve [--host H] [--port N] [--no-scheduler] [--no-samples] [options]

Starts the product: the dashboard API (/api/cases, /api/mentions, /api/stream (live events),
/api/stats, /api/connectors, the signed POST /api/ingest webhook (secret from CM_WEBHOOK_SECRET),
/metrics, /healthz, /docs) and the scheduler, which runs every source in the config file on its own cron schedule
("schedule": {"cron": "* * * * *"} per source; see README, Configuration), and writes the weekly
report into a folder when "reports.schedule" is enabled. This is \`npm start\`.

On a new, empty database with no sources configured, the bundled sample data is imported first,
so there is something to look at. When the database has no API token at all, an admin token
named "admin" is created and printed once on the console. SIGINT or SIGTERM stops the schedules,
lets running connector runs finish their current transaction, closes connections and exits
(within ${CLOSE_GRACE_MS / 1000} s); nothing read is lost, the next start carries on from the stored cursors.

Options:
  --host H         address to listen on (default ${DEFAULT_HOST})
  --port N         port, 0 for any free one (default ${DEFAULT_PORT})
  --no-scheduler   API only: run no sources and no scheduled report here (e.g. a second API instance)
  --no-samples     never import the bundled samples
  --db PATH        SQLite database file (default: DATABASE_URL or ./data/complaints.db)
  --config FILE    config file, JSON or YAML (default: CM_CONFIG or ./complaint-monitor.{json,yaml,yml})
  -h, --help       this help`;

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new CliUsageError(`--port must be a whole number from 0 to 65535, got "${value}"`);
  return n;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the product: dashboard API and the source scheduler (npm start)',
  async run(argv) {
    const { db, config, help } = COMMON_OPTIONS;
    const { values } = parseCommandArgs(
      argv,
      {
        db,
        config,
        help,
        host: { type: 'string' },
        port: { type: 'string' },
        'no-scheduler': { type: 'boolean', default: false },
        'no-samples': { type: 'boolean', default: false },
      },
      false,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const host = values.host ?? DEFAULT_HOST;
    const port = parsePort(values.port);
    // Listen for the signals before anything starts: a SIGTERM during start-up (a long samples
    // import, a slow listen) must stop the server once it is up, not kill the process half-way.
    let signalled: NodeJS.Signals | null = null;
    let onSignal: (signal: NodeJS.Signals) => void = (signal) => {
      signalled = signal;
    };
    const handler = (signal: NodeJS.Signals) => onSignal(signal);
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    const ctx = openContext(values);
    let parser: EmailParser | null = null;
    let scheduler: Scheduler | null = null;
    let server: RunningServer;
    try {
      if (!values['no-samples']) await importSamplesIntoNewDatabase(ctx);
      if ((await ctx.repo.listTokens()).length === 0) {
        const { token } = await createApiToken(ctx.repo, 'admin', 'admin');
        console.log(`No API token existed: created admin token "admin". It is shown only this once; keep it secret:\n\n  ${token}\n`);
      }
      const metrics = new Metrics(ctx.repo);
      if ((ctx.config.sources.length > 0 || ctx.config.reports.schedule.enabled) && !values['no-scheduler']) {
        // Parse workers only when there is email to parse (0 = the in-thread parser, nothing to start).
        const emailParser = (parser = createEmailParser(ctx.config.sources.some((s) => s.type === 'imap') ? parseWorkers(ctx) : 0));
        scheduler = new Scheduler({
          repo: ctx.repo,
          pipeline: ctx.pipeline,
          config: ctx.config,
          observer: metrics,
          connectorFor: (source) => createConnector(source, { config: ctx.config, parser: emailParser }),
        });
      }
      server = await startServer({ repo: ctx.repo, pipeline: ctx.pipeline, config: ctx.config, metrics, ...(scheduler ? { scheduler } : {}), host, port });
    } catch (err) {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      await parser?.close();
      await ctx.repo.close();
      throw err;
    }
    console.log(`complaint-monitor API listening on ${server.address} (docs: ${server.address}/docs)`);
    if (scheduler) {
      scheduler.start(server.log.child({ component: 'scheduler' }));
      if (ctx.config.sources.length > 0) console.log(`scheduler: ${ctx.config.sources.map((s) => `${s.name} (${s.schedule.cron})`).join(', ')}`);
      const reports = scheduler.reports;
      if (reports) {
        console.log(`weekly report: "${reports.cron}" in ${reports.timezone} into ${ctx.config.reports.schedule.dir}, next ${reports.nextRunAt()?.toISOString() ?? 'never'}`);
      }
    } else if (values['no-scheduler']) {
      console.log('scheduler: off (--no-scheduler)');
    } else {
      console.log('scheduler: no sources configured (see README, Configuration)');
    }
    const running = server;
    const runningScheduler = scheduler;
    const runningParser = parser;
    return new Promise<number>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
        console.log(`${signal}: stopping`);
        const force = setTimeout(() => {
          console.error(`error: did not stop within ${CLOSE_GRACE_MS / 1000} s; exiting anyway (stored data is consistent: every transaction is whole)`);
          process.exit(1);
        }, CLOSE_GRACE_MS);
        force.unref();
        // The scheduler first: its runs write through the repository the server closes.
        shutDown(running, runningScheduler, runningParser).then(
          () => {
            clearTimeout(force);
            console.log('stopped');
            resolve(0);
          },
          (err: unknown) => {
            clearTimeout(force);
            console.error(`error: stopping failed: ${err instanceof Error ? err.message : String(err)}`);
            resolve(1);
          },
        );
      };
      onSignal = stop;
      if (signalled) stop(signalled);
    });
  },
};

async function shutDown(server: RunningServer, scheduler: Scheduler | null, parser: EmailParser | null): Promise<void> {
  await scheduler?.stop(SCHEDULER_GRACE_MS);
  await server.close();
  await parser?.close();
}

/**
 * A newcomer's first start shows real-looking cases. Only into a database that has never stored
 * anything, and only without configured sources: a deployment reading real mailboxes never gets
 * made-up complaints mixed in.
 */
async function importSamplesIntoNewDatabase(ctx: Context): Promise<void> {
  if (ctx.config.sources.length > 0) return;
  const counts = await ctx.repo.counts();
  if (counts.messages > 0 || counts.quarantined > 0) return;
  const { summary, failures } = await importSamples(ctx);
  console.log(`New database: imported the bundled samples into ${ctx.config.databaseUrl} (--no-samples skips this)`);
  console.log(formatSummary(summary));
  printFailures(failures);
}

function parseWorkers(ctx: Context): number {
  const configured = ctx.config.ingest.parseWorkers;
  return configured === 'auto' ? defaultWorkerCount() : configured;
}
