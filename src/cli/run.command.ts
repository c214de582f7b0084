import { COMMON_HELP, COMMON_OPTIONS, openContext, parseCommandArgs, type Command } from './command.js';
import { formatCaseTable, formatSummary } from './format.js';
import { printFailures } from './import.command.js';
import { importSamples, SAMPLES_DIR } from './samples.js';

const TOP_CASES = 15;

const HELP = `Usage: complaint-monitor run [options]

A one-shot look at the product: imports the bundled sample data (emails and posts in English,
Indonesian and Chinese, from ${SAMPLES_DIR}) into the database and shows what it found: the
import summary and the most urgent cases, then exits. Needs no credentials. Running it again
stores nothing new. (\`npm start\` runs \`serve\`, which imports the samples into a new database too.)

Options:
${COMMON_HELP.join('\n')}`;

export const runCommand: Command = {
  name: 'run',
  summary: 'import the bundled samples, show the most urgent cases, exit',
  async run(argv) {
    const { values } = parseCommandArgs(argv, COMMON_OPTIONS, false);
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const ctx = openContext(values);
    try {
      const { summary, failures } = await importSamples(ctx);
      const top = await ctx.repo.listCases({ limit: TOP_CASES });
      const totals = await ctx.repo.counts();
      if (values.json) {
        console.log(JSON.stringify({ summary, totals, top }));
        return 0;
      }
      console.log(`complaint-monitor: imported the bundled samples into ${ctx.config.databaseUrl}`);
      console.log(formatSummary(summary));
      printFailures(failures);
      console.log(`\nDatabase now holds ${totals.cases} cases from ${totals.messages} messages. Most urgent:`);
      console.log(formatCaseTable(top));
      console.log(`\nDetails: npx complaint-monitor case ${top[0]?.requestNumber ?? 'REQ-...'}`);
      return 0;
    } finally {
      await ctx.repo.close();
    }
  },
};
