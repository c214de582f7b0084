import { CliUsageError, COMMON_HELP, COMMON_OPTIONS, openContext, parseCommandArgs, type Command } from './command.js';

const HELP = `Usage: complaint-monitor link IDENTITY IDENTITY [options]

Records that two identities are the same customer, e.g.
  complaint-monitor link email:ana@example.com x:ana_w
Re-sends from either identity are then recognised as near-duplicates of each other (dedupe rule 5).

Options:
${COMMON_HELP.join('\n')}`;

const IDENTITY = /^(?:email|x|form|app):\S+$/;

export const linkCommand: Command = {
  name: 'link',
  summary: 'record that two identities (email, X handle) are one customer',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, COMMON_OPTIONS);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    if (positionals.length !== 2) throw new CliUsageError('give exactly two identities');
    const [a, b] = positionals.map((p) => p.trim().toLowerCase()) as [string, string];
    for (const id of [a, b]) {
      if (!IDENTITY.test(id)) throw new CliUsageError(`"${id}" is not an identity: use email:ADDRESS or x:HANDLE`);
    }
    const ctx = openContext(values);
    try {
      await ctx.repo.linkIdentities(a, b);
      console.log(values.json ? JSON.stringify({ linked: [a, b] }) : `linked ${a} and ${b}`);
      return 0;
    } finally {
      await ctx.repo.close();
    }
  },
};
