#!/usr/bin/env node
// The CLI runs the TypeScript sources directly through tsx's loader, so a fresh clone works
// right after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
// `complaint-monitor cases | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
