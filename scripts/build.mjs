#!/usr/bin/env node
// Compiles the TypeScript sources to dist/ and copies the files they read at run time (migrations,
// the default urgency rules, the bundled samples) beside them, so dist/ resolves them the way the
// sources do. bin/complaint-monitor.js runs dist/ when it is newer than every source file, else the
// sources through tsx.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const started = performance.now();
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) {
  process.stderr.write('build: tsc failed (see above); the CLI keeps running the sources through tsx\n');
  rmSync(dist, { recursive: true, force: true });
  process.exit(result.status ?? 1);
}
// Data the compiled modules read beside themselves: every .json under src/ (rules files), so a
// new one cannot be forgotten here.
const jsonUnder = (dir) =>
  readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsonUnder(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : [],
  );
for (const asset of ['db/migrations', 'samples', ...jsonUnder('src')]) {
  mkdirSync(dirname(join(dist, asset)), { recursive: true });
  cpSync(join(root, asset), join(dist, asset), { recursive: true });
}
writeFileSync(join(dist, '.built'), `${new Date().toISOString()}\n`);
process.stderr.write(`build: dist/ ready in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
