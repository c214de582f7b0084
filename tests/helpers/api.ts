/**
 * The dashboard API on a real temp SQLite file holding the bundled samples (imported in-process,
 * as `complaint-monitor run` does), with one token per role.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import type { ApiRole } from '../../db/repository.js';
import { buildApp, type AppDeps } from '../../src/api/app.js';
import { createApiToken } from '../../src/api/tokens.js';
import { importPaths } from '../../src/cli/import.command.js';
import { openContext, type Context } from '../../src/cli/command.js';
import { tempDir } from './db.js';

export const SAMPLES_DIR = fileURLToPath(new URL('../../samples', import.meta.url));

export interface ApiFixture {
  app: FastifyInstance;
  ctx: Context;
  dbPath: string;
  tokens: Record<ApiRole, string>;
}

/** `deps`: what the app gets besides the repository and pipeline (config, clock, env). */
export async function sampleApi(deps: Omit<AppDeps, 'repo' | 'pipeline'> = {}): Promise<ApiFixture> {
  const dbPath = join(tempDir('cm-api-'), 'complaints.db');
  const ctx = openContext({ db: dbPath, config: undefined });
  afterAll(() => ctx.repo.close());
  await importPaths(ctx, [SAMPLES_DIR], 'samples', 0);
  const tokens = {} as Record<ApiRole, string>;
  for (const role of ['social', 'desk', 'manager', 'admin'] as const) {
    tokens[role] = (await createApiToken(ctx.repo, `${role}-test`, role)).token;
  }
  const app = await buildApp({ repo: ctx.repo, pipeline: ctx.pipeline, ...deps });
  afterAll(() => app.close());
  return { app, ctx, dbPath, tokens };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
