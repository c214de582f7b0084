/**
 * The listening server around buildApp: logger, listen, and a graceful close (stop accepting,
 * finish in-flight requests, then close the database).
 */
import type { Repository } from '../../db/repository.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { buildApp, type AppDeps } from './app.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 3000;

export interface RunningServer {
  /** `http://127.0.0.1:3000` */
  address: string;
  /** Closes the HTTP server, then the repository. */
  close(): Promise<void>;
}

export async function startServer(opts: { repo: Repository; pipeline: Pipeline; host: string; port: number; reports?: AppDeps['reports'] }): Promise<RunningServer> {
  // Logs go to stderr as JSON lines (pino); stdout stays for what the operator must read.
  const app = await buildApp({ repo: opts.repo, pipeline: opts.pipeline, reports: opts.reports, logger: { level: 'info', stream: process.stderr } });
  try {
    const address = await app.listen({ host: opts.host, port: opts.port });
    return {
      address,
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
