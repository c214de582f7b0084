import { z } from 'zod';
import type { RawItem } from '../../connectors/types.js';
import { loadConfig } from '../config/config.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { parseCommandArgs, type Command } from './command.js';
import { evalFlags, SCORING_OPTIONS, scoreStdinLines } from './scoring.js';
import { evalReport, formatReport, loadLabelled, reportJson, scoreLabelled } from './triage-eval.js';

const HELP = `Usage: complaint-monitor triage [--config FILE] < items.jsonl
       complaint-monitor triage --eval FILE... [--split dev|heldout|both] [--misses N] [--json]

Scores JSON Lines on stdin without storing anything: the tool a rules author uses. Each input line
is an object: {"text": "...", "subject"?, "channel"? (x|email|form|app, default x), "author"?,
"followers"?, "id"?}. Each output line is
  {"urgency", "score", "reasons": [{"code","points","text","evidence"?}], "request_numbers": [...]}
(with "id" echoed when given). A line that cannot be read yields {"line": N, "error": {...}} and
the run goes on; the exit status is 1 if any line failed.

With --eval, scores labelled JSON Lines (tests/fixtures/triage/*.jsonl: {"id","lang","src",
"text","urgency","split"}) and prints per-level precision/recall/F1, macro-F1 and the confusion
matrix for the development and held-out splits, and the worst misses of the development split
with their reasons. \`npm run eval:triage\` runs it on the bundled sets.

Options:
  --config FILE    config file, JSON or YAML (its urgency.rulesFile and request-number patterns apply)
  --eval           evaluate the labelled files given as arguments
  --split S        dev, heldout or both (default both)
  --misses N       how many development misses to list (default 25)
  --json           print the figures as JSON (with --eval)
  -h, --help       this help`;

const lineSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  text: z.string(),
  subject: z.string().optional(),
  channel: z.enum(['x', 'email', 'form', 'app']).default('x'),
  author: z.string().optional(),
  followers: z.number().int().nonnegative().optional(),
  lang: z.string().optional(),
});

export const triageCommand: Command = {
  name: 'triage',
  summary: 'score JSON Lines from stdin (no storage): for rule authors',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(
      argv,
      SCORING_OPTIONS,
      true,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const config = loadConfig({ configFile: values.config });
    // Urgency only: categories (complaint-monitor categorise) and facts are not part of its output.
    const pipeline = new Pipeline({ ...config, categories: { ...config.categories, enabled: false }, facts: { enabled: false } });
    if (values.eval) {
      const { split, misses } = evalFlags(values, positionals);
      const report = evalReport(scoreLabelled(pipeline, loadLabelled(positionals)));
      console.log(values.json ? JSON.stringify(reportJson(report, split), null, 2) : formatReport(report, split, misses));
      return 0;
    }
    const at = new Date();
    return scoreStdinLines(positionals, lineSchema, (input, lineNo) => triageLine(pipeline, input, lineNo, at));
  },
};

function triageLine(pipeline: Pipeline, input: z.output<typeof lineSchema>, lineNo: number, at: Date): Record<string, unknown> {
  const raw: RawItem = {
    channel: input.channel,
    source: 'triage',
    externalId: String(input.id ?? lineNo),
    sentAt: at,
    author: {
      ...(input.author !== undefined ? { handle: input.author } : {}),
      ...(input.followers !== undefined ? { followers: input.followers } : {}),
    },
    text: input.text,
    attachments: [],
    rawRef: `stdin:${lineNo}`,
  };
  if (input.subject !== undefined) raw.subject = input.subject;
  const item = pipeline.prepare(raw);
  const urgency = pipeline.urgency(item, null);
  return {
    ...(input.id !== undefined ? { id: input.id } : {}),
    urgency: urgency.level,
    score: urgency.score,
    reasons: urgency.reasons,
    request_numbers: item.requestNumbers.map((r) => r.value),
  };
}
