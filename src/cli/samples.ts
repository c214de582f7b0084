/** The bundled sample data (samples/): what `run` imports, and what `serve` imports into a new, empty database. */
import { fileURLToPath } from 'node:url';
import type { Context } from './command.js';
import { importPaths } from './import.command.js';

export const SAMPLES_DIR = fileURLToPath(new URL('../../samples', import.meta.url));
export const SAMPLE_SOURCE = 'samples';

export function importSamples(ctx: Context) {
  return importPaths(ctx, [SAMPLES_DIR], SAMPLE_SOURCE);
}
