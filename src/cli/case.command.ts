import { CliUsageError, COMMON_HELP, COMMON_OPTIONS, openContext, parseCommandArgs, type Command } from './command.js';
import { formatCaseDetail } from './format.js';

const HELP = `Usage: complaint-monitor case NUMBER [options]

Shows one case: its messages, references, events and the reasons behind its urgency. NUMBER is the
issued request number (REQ-2026-000123) or any number quoted for the case (a hotline reference).

Options:
${COMMON_HELP.join('\n')}`;

export const caseCommand: Command = {
  name: 'case',
  summary: 'show one case with messages, references, events and urgency reasons',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, COMMON_OPTIONS);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 1) throw new CliUsageError('give exactly one request number, e.g. REQ-2026-000123');
    const ctx = openContext(values);
    try {
      const wanted = positionals[0]!.trim();
      // Also accept a loosely typed number ("req 2026 123"), read the way the pipeline reads text.
      const canonical = ctx.pipeline.references.recognise(wanted)[0]?.value ?? wanted;
      const found = (await ctx.repo.getCase(wanted)) ?? (await ctx.repo.getCase(canonical));
      if (!found) {
        console.error(`error: no case with request number or reference "${wanted}"`);
        return 1;
      }
      console.log(values.json ? JSON.stringify(found) : formatCaseDetail(found, ctx.config.timezone));
      return 0;
    } finally {
      await ctx.repo.close();
    }
  },
};

