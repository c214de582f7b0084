import { z } from 'zod';
import { loadConfig } from '../config/config.js';
import { CategoryClassifier } from '../pipeline/categories/classifier.js';
import { loadCategoryRules } from '../pipeline/categories/rules.js';
import { categoryReport, formatCategoryReport } from './categorise-eval.js';
import { parseCommandArgs, type Command } from './command.js';
import { evalFlags, SCORING_OPTIONS, scoreStdinLines } from './scoring.js';
import { loadLabelled } from './triage-eval.js';

const HELP = `Usage: complaint-monitor categorise [--config FILE] < items.jsonl
       complaint-monitor categorise --eval FILE... [--split dev|heldout|both] [--misses N] [--json]

Names what each JSON Lines item on stdin is about, without storing anything: {"text", "subject"?,
"id"?} in; {"category", "confidence", "labels": [{"category","label","score","evidence"}]} out.
"other" means no category scored enough: an honest "none of these" instead of a guess.

With --eval, scores labelled JSON Lines (tests/fixtures/triage/*.jsonl, field "category") and
prints per-category precision/recall/F1, micro-F1 of the primary category and the confusion
matrix for the development and held-out splits, and the most confident development misses.
\`npm run eval:categories\` runs it on the bundled set.

Options:
  --config FILE    config file, JSON or YAML (its categories.rulesFile applies)
  --eval           evaluate the labelled files given as arguments
  --split S        dev, heldout or both (default both)
  --misses N       how many development misses to list (default 25)
  --json           print the figures as JSON (with --eval)
  -h, --help       this help`;

const lineSchema = z.object({ id: z.union([z.string(), z.number()]).optional(), text: z.string(), subject: z.string().optional() });

export const categoriseCommand: Command = {
  name: 'categorise',
  summary: 'name what JSON Lines items are about (no storage); --eval scores the category rules',
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
    const classifier = new CategoryClassifier(loadCategoryRules(config.categories.rulesFile ?? undefined));
    if (values.eval) {
      const { split, misses } = evalFlags(values, positionals);
      const report = categoryReport(classifier, loadLabelled(positionals));
      if (values.json) {
        const brief = (e: typeof report.dev) => ({ n: e.n, microF1: e.accuracy, macroF1: e.macroF1, labels: e.labels, confusion: e.confusion, order: e.order });
        console.log(JSON.stringify({ ...(split !== 'heldout' ? { dev: brief(report.dev) } : {}), ...(split !== 'dev' ? { heldout: brief(report.heldout) } : {}) }, null, 2));
      } else console.log(formatCategoryReport(report, split, misses));
      return 0;
    }
    return scoreStdinLines(positionals, lineSchema, ({ id, text, subject }) => {
      const r = classifier.classify(subject ? `${subject}\n${text}` : text);
      return { ...(id !== undefined ? { id } : {}), category: r.primary, confidence: r.confidence, labels: r.labels };
    });
  },
};
