/**
 * complaint-monitor command line: the composition root for one-shot commands. Each command lives
 * in src/cli/<name>.command.ts; this file dispatches and turns known errors into clear messages
 * and exit codes (0 ok, 1 failed, 2 usage or configuration error).
 */
import { CliUsageError, type Command } from './cli/command.js';
import { caseCommand } from './cli/case.command.js';
import { categoriseCommand } from './cli/categorise.command.js';
import { configCommand } from './cli/config.command.js';
import { casesCommand } from './cli/cases.command.js';
import { importCommand } from './cli/import.command.js';
import { linkCommand } from './cli/link.command.js';
import { pollCommand } from './cli/poll.command.js';
import { quarantineCommand } from './cli/quarantine.command.js';
import { reportCommand } from './cli/report.command.js';
import { rescoreCommand } from './cli/rescore.command.js';
import { runCommand } from './cli/run.command.js';
import { serveCommand } from './cli/serve.command.js';
import { tokenCommand } from './cli/token.command.js';
import { triageCommand } from './cli/triage.command.js';

const COMMANDS: Command[] = [runCommand, importCommand, pollCommand, casesCommand, caseCommand, triageCommand, categoriseCommand, rescoreCommand, quarantineCommand, linkCommand, serveCommand, tokenCommand, configCommand, reportCommand];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'complaint-monitor: complaint intake and triage for customer-care teams',
    '',
    'Usage: complaint-monitor <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `complaint-monitor <command> --help` for a command\'s options.',
    'Database: --db PATH or DATABASE_URL (default ./data/complaints.db). Config: --config FILE or CM_CONFIG.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version') {
    console.log(process.env.npm_package_version ?? '0.1.0');
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    console.error(`error: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    return reportError(err, command.name);
  }
}

function reportError(err: unknown, commandName: string): number {
  const e = err instanceof Error ? err : new Error(String(err));
  if (e instanceof CliUsageError) {
    console.error(`error: ${e.message}\nSee: complaint-monitor ${commandName} --help`);
    return 2;
  }
  const code = (e as { code?: unknown }).code;
  // Configuration problems (bad config file, rules, database URL) carry a stable code.
  if (typeof code === 'string' && /^(config_|rules_|database_url)/.test(code)) {
    console.error(`error: ${e.message}`);
    return 2;
  }
  console.error(`error: ${e.message}`);
  if (process.env.CM_DEBUG) console.error(e.stack);
  else console.error('(set CM_DEBUG=1 for the stack trace)');
  return 1;
}
