import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { RawItem } from '../../connectors/types.js';
import { loadConfig } from '../config/config.js';
import { Pipeline } from '../pipeline/pipeline.js';
import { parseCommandArgs, type Command } from './command.js';

const HELP = `Usage: complaint-monitor triage [--config FILE] < items.jsonl

Scores JSON Lines on stdin without storing anything: the tool a rules author uses. Each input line
is an object: {"text": "...", "subject"?, "channel"? (x|email|form|app, default x), "author"?,
"followers"?, "id"?}. Each output line is
  {"urgency", "score", "reasons": [{"code","points","text","evidence"?}], "request_numbers": [...]}
(with "id" echoed when given). A line that cannot be read yields {"line": N, "error": {...}} and
the run goes on; the exit status is 1 if any line failed.

Options:
  --config FILE    JSON config file (its urgency.rulesFile and request-number patterns apply)
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

const FLUSH_EVERY = 256;

export const triageCommand: Command = {
  name: 'triage',
  summary: 'score JSON Lines from stdin (no storage): for rule authors',
  async run(argv) {
    const { values } = parseCommandArgs(
      argv,
      { config: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
      false,
    );
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const pipeline = new Pipeline(loadConfig({ configFile: values.config }));
    const at = new Date();
    let lineNo = 0;
    let failed = 0;
    let out: string[] = [];
    for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
      lineNo++;
      if (line.trim() === '') continue;
      const result = triageLine(pipeline, line, lineNo, at);
      if ('error' in result) failed++;
      out.push(JSON.stringify(result));
      if (out.length >= FLUSH_EVERY) {
        await write(out.join('\n') + '\n');
        out = [];
      }
    }
    if (out.length > 0) await write(out.join('\n') + '\n');
    return failed > 0 ? 1 : 0;
  },
};

function triageLine(pipeline: Pipeline, line: string, lineNo: number, at: Date): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return { line: lineNo, error: { code: 'invalid_json', message: (err as Error).message } };
  }
  const parsed = lineSchema.safeParse(json);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
    return { line: lineNo, error: { code: 'invalid_item', message } };
  }
  const input = parsed.data;
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

function write(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}
