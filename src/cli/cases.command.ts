import type { CaseStatus, UrgencyLevel } from '../../db/repository.js';
import { CliUsageError, COMMON_HELP, COMMON_OPTIONS, oneOf, openContext, parseCommandArgs, parsePositiveInt, type Command } from './command.js';
import { formatCaseTable } from './format.js';

const LEVELS: readonly UrgencyLevel[] = ['critical', 'high', 'normal', 'low'];
const STATUSES: readonly CaseStatus[] = ['new', 'open', 'waiting', 'resolved', 'closed'];

const HELP = `Usage: complaint-monitor cases [--urgency LEVEL] [--status STATUS] [--category NAME] [--limit N] [options]

Lists cases, most urgent first, then oldest first contact.

Options:
  --urgency LEVEL  ${LEVELS.join(' | ')}
  --status STATUS  ${STATUSES.join(' | ')}
  --category NAME  a complaint category (complaint-monitor categorise --help; e.g. refund, top_up)
  --limit N        at most N cases (default 50)
${COMMON_HELP.join('\n')}`;

export const casesCommand: Command = {
  name: 'cases',
  summary: 'list cases, most urgent first',
  async run(argv) {
    const { values } = parseCommandArgs(
      argv,
      { ...COMMON_OPTIONS, urgency: { type: 'string' }, status: { type: 'string' }, category: { type: 'string' }, limit: { type: 'string' } },
      false,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const filter = {
      urgency: oneOf(values.urgency, LEVELS, '--urgency'),
      status: oneOf(values.status, STATUSES, '--status'),
      category: values.category,
      limit: parsePositiveInt(values.limit, '--limit', 50),
    };
    const ctx = openContext(values);
    try {
      const known = [...ctx.pipeline.categories.rules.categories.map((c) => c.id), ctx.pipeline.otherCategory];
      if (filter.category !== undefined && !known.includes(filter.category)) {
        throw new CliUsageError(`--category must be one of ${known.join(', ')}, got "${filter.category}"`);
      }
      const cases = await ctx.repo.listCases(filter);
      console.log(values.json ? JSON.stringify(cases) : formatCaseTable(cases));
      return 0;
    } finally {
      await ctx.repo.close();
    }
  },
};
