import { COMMON_HELP, COMMON_OPTIONS, openContext, parseCommandArgs, parsePositiveInt, type Command } from './command.js';
import { progressBar } from './progress.js';

const HELP = `Usage: complaint-monitor rescore [--dry-run] [--batch N] [options]

Scores every stored complaint again with the current urgency rules (after a rule change, or with
--config naming another rules file). Each message's urgency is replaced; each case takes its most
urgent message's level, and every change of a case's level is recorded as an urgency_changed
event (by: rescore) in the case's history. Work is committed a batch of cases at a time: an
interrupted run can simply be run again.

Options:
  --dry-run        count what would change, write nothing
  --batch N        cases per transaction (default 2000)
${COMMON_HELP.join('\n')}`;

export const rescoreCommand: Command = {
  name: 'rescore',
  summary: 're-score stored cases with the current urgency rules',
  async run(argv) {
    const { values } = parseCommandArgs(
      argv,
      { ...COMMON_OPTIONS, 'dry-run': { type: 'boolean', default: false }, batch: { type: 'string' } },
      false,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const batchCases = parsePositiveInt(values.batch, '--batch', 2000);
    const dryRun = values['dry-run'];
    const ctx = openContext(values);
    try {
      let bar: ReturnType<typeof progressBar> | null = null;
      const result = await ctx.repo.rescore(ctx.pipeline.rescorer, {
        batchCases,
        dryRun,
        onProgress: (p) => {
          bar ??= progressBar(p.totalMessages, 'messages');
          bar.update(p.messages, `${p.casesChanged.toLocaleString('en')} cases changed level`);
        },
      });
      (bar as ReturnType<typeof progressBar> | null)?.done();
      if (values.json) {
        console.log(JSON.stringify({ dryRun, ...result }));
        return 0;
      }
      const moves = Object.entries(result.levelChanges)
        .sort((a, b) => b[1] - a[1])
        .map(([move, count]) => `${move.replace('->', ' -> ')}: ${count.toLocaleString('en')}`);
      console.log(
        `${dryRun ? 'would re-score' : 're-scored'} ${result.messages.toLocaleString('en')} messages in ${result.cases.toLocaleString('en')} cases: ` +
          `${result.messagesChanged.toLocaleString('en')} messages ${dryRun ? 'would change' : 'changed'}, ` +
          `${result.casesChanged.toLocaleString('en')} cases ${dryRun ? 'would change' : 'changed'} level`,
      );
      for (const m of moves) console.log(`  ${m}`);
      return 0;
    } finally {
      await ctx.repo.close();
    }
  },
};
