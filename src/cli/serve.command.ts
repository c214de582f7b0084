import { createApiToken } from '../api/tokens.js';
import { DEFAULT_HOST, DEFAULT_PORT, startServer } from '../api/server.js';
import { CliUsageError, COMMON_OPTIONS, openContext, parseCommandArgs, type Command } from './command.js';

/** After SIGINT/SIGTERM, in-flight requests get this long before the process exits anyway. */
const CLOSE_GRACE_MS = 10_000;

const HELP = `Usage: complaint-monitor serve [--host H] [--port N] [options]

Starts the dashboard API (first part: GET /api/cases, GET /api/cases/:requestNumber, /healthz,
/docs). Every /api route needs a bearer token (complaint-monitor token --help). When the database
has no token at all, an admin token named "admin" is created and printed once on the console.
SIGINT or SIGTERM closes the server gracefully (at most ${CLOSE_GRACE_MS / 1000} s).

Options:
  --host H         address to listen on (default ${DEFAULT_HOST})
  --port N         port, 0 for any free one (default ${DEFAULT_PORT})
  --db PATH        SQLite database file (default: DATABASE_URL or ./data/complaints.db)
  --config FILE    JSON config file (default: CM_CONFIG or ./complaint-monitor.json if present)
  -h, --help       this help`;

function parsePort(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new CliUsageError(`--port must be a whole number from 0 to 65535, got "${value}"`);
  return n;
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the dashboard API (HTTP, bearer tokens, /docs)',
  async run(argv) {
    const { db, config, help } = COMMON_OPTIONS;
    const { values } = parseCommandArgs(argv, { db, config, help, host: { type: 'string' }, port: { type: 'string' } }, false);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const host = values.host ?? DEFAULT_HOST;
    const port = parsePort(values.port);
    const ctx = openContext(values);
    let server;
    try {
      if ((await ctx.repo.listTokens()).length === 0) {
        const { token } = await createApiToken(ctx.repo, 'admin', 'admin');
        console.log(`No API token existed: created admin token "admin". It is shown only this once; keep it secret:\n\n  ${token}\n`);
      }
      server = await startServer({ repo: ctx.repo, pipeline: ctx.pipeline, host, port, reports: { timeZone: ctx.config.timezone, sla: ctx.config.sla } });
    } catch (err) {
      await ctx.repo.close();
      throw err;
    }
    console.log(`complaint-monitor API listening on ${server.address} (docs: ${server.address}/docs)`);
    const running = server;
    return new Promise<number>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        console.log(`${signal}: closing the API server`);
        const force = setTimeout(() => {
          console.error(`error: the server did not close within ${CLOSE_GRACE_MS / 1000} s; exiting anyway`);
          process.exit(1);
        }, CLOSE_GRACE_MS);
        force.unref();
        running.close().then(
          () => {
            clearTimeout(force);
            console.log('closed');
            resolve(0);
          },
          (err: unknown) => {
            clearTimeout(force);
            console.error(`error: closing the server failed: ${err instanceof Error ? err.message : String(err)}`);
            resolve(1);
          },
        );
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  },
};
