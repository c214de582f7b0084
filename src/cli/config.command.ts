import { configFileOf, loadConfig, unsetSecretVariables } from '../config/config.js';
import { scheduleOf } from '../scheduler/scheduler.js';
import { CliUsageError, parseCommandArgs, type Command } from './command.js';

const HELP = `Usage: complaint-monitor config check [--config FILE] [--no-env] [--json]

Checks the configuration without starting anything: the file (JSON, or YAML by its .yaml/.yml
extension; default CM_CONFIG or ./complaint-monitor.{json,yaml,yml}) against the schema, every
source's cron expression and time zone, and that the environment variables the sources name for
their secrets (passwordEnv, accessTokenEnv, bearerTokenEnv) are set here. Prints the sources and
their schedules.

Exit status: 0 valid; 2 invalid, each problem on its own line with the key's path
(sources.0.schedule.cron: ...) and the file.

  --config FILE    the file to check
  --no-env         do not check the secret variables (checking a file on another machine)
  --json           {"file", "sources": [{name, type, cron, timezone, timeoutSeconds}], "problems": [...]}
  -h, --help       this help`;

export const configCommand: Command = {
  name: 'config',
  summary: 'config check: validate the config file without starting',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      config: { type: 'string' },
      'no-env': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1 || positionals[0] !== 'check') throw new CliUsageError('give the action: complaint-monitor config check [--config FILE]');
    const file = configFileOf({ configFile: values.config }) ?? null;
    // A schema problem throws ConfigError, which the CLI prints with every failing key and exits 2 on.
    const config = loadConfig({ configFile: values.config });
    const problems = values['no-env']
      ? []
      : unsetSecretVariables(config).map((m) => `${m.key}: environment variable ${m.variable} is not set (the source could not log in)`);
    const sources = config.sources.map((s) => ({ name: s.name, type: s.type, ...scheduleOf(s, config) }));
    const r = config.reports.schedule;
    const report = r.enabled ? { cron: r.cron, timezone: r.timezone ?? config.timezone, dir: r.dir!, keep: r.keep, formats: r.formats } : null;
    if (values.json) {
      console.log(JSON.stringify({ file, sources, report, problems }));
    } else {
      console.log(`${file ?? 'no config file'}: ${problems.length === 0 ? 'valid' : 'INVALID'}`);
      console.log(`  database   ${config.databaseUrl}`);
      console.log(`  timezone   ${config.timezone}`);
      if (sources.length === 0) console.log('  sources    none (serve runs the API only)');
      for (const s of sources) console.log(`  source     ${s.name} (${s.type}): cron "${s.cron}" in ${s.timezone}, run timeout ${s.timeoutSeconds} s`);
      console.log(
        report
          ? `  report     weekly, cron "${report.cron}" in ${report.timezone}, into ${report.dir} (${report.formats.join(', ')}; the newest ${report.keep} weeks kept)`
          : '  report     not scheduled (reports.schedule.enabled is false)',
      );
      for (const p of problems) console.error(`error: ${file ?? 'config'}: ${p}`);
    }
    return problems.length === 0 ? 0 : 2;
  },
};
