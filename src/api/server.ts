/**
 * The listening server around buildApp: logger, listen, and a graceful close (stop accepting,
 * finish in-flight requests, then close the database).
 */
import type { FastifyBaseLogger } from 'fastify';
import { buildApp, type AppDeps } from './app.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;

export interface RunningServer {
  /** `http://127.0.0.1:3000` */
  address: string;
  /** The server's logger (JSON lines on stderr), for the parts running beside it. */
  log: FastifyBaseLogger;
  /** Closes the HTTP server, then the repository. */
  close(): Promise<void>;
}

export async function startServer(opts: Omit<AppDeps, 'logger'> & { host: string; port: number }): Promise<RunningServer> {
  const { host, port, ...deps } = opts;
  // Logs go to stderr as JSON lines (pino); stdout stays for what the operator must read.
  const app = await buildApp({ ...deps, logger: { level: 'info', stream: process.stderr } });
  try {
    const address = await app.listen({ host, port });
    return {
      address,
      log: app.log,
      async close() {
        await app.close();
        await opts.repo.close();
      },
    };
  } catch (err) {
    await app.close();
    throw err;
  }
}
