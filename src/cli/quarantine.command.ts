import { COMMON_HELP, COMMON_OPTIONS, openContext, parseCommandArgs, type Command } from './command.js';
import { formatQuarantine } from './format.js';

const HELP = `Usage: complaint-monitor quarantine [--source NAME] [options]

Lists items that could not be ingested (unparseable, not an email, invalid post), with where the
original is and why it was set aside. Nothing in quarantine is lost: fix the cause and re-import.

Options:
  --source NAME    only this source
${COMMON_HELP.join('\n')}`;

export const quarantineCommand: Command = {
  name: 'quarantine',
  summary: 'list items set aside because they could not be ingested',
  async run(argv) {
    const { values } = parseCommandArgs(argv, { ...COMMON_OPTIONS, source: { type: 'string' } }, false);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const ctx = openContext(values);
    try {
      const entries = await ctx.repo.listQuarantine(values.source);
      console.log(values.json ? JSON.stringify(entries) : formatQuarantine(entries));
      return 0;
    } finally {
      await ctx.repo.close();
    }
  },
};
