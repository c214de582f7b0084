/**
 * What the commands that score text share (`triage`, `categorise`): their options, the checks on
 * --eval's flags, and the JSON Lines loop on stdin (one result or one error per input line, the
 * run going on past bad lines, output written in blocks).
 */
import { createInterface } from 'node:readline';
import type { z } from 'zod';
import { CliUsageError, parsePositiveInt } from './command.js';

export type SplitChoice = 'dev' | 'heldout' | 'both';

export const SCORING_OPTIONS = {
  config: { type: 'string' },
  eval: { type: 'boolean', default: false },
  split: { type: 'string', default: 'both' },
  misses: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

/** --split and --misses checked, for an --eval run over `files`. */
export function evalFlags(values: { split: string; misses?: string | undefined }, files: string[]): { split: SplitChoice; misses: number } {
  if (files.length === 0) throw new CliUsageError('--eval needs one or more labelled .jsonl files');
  const split = values.split;
  if (split !== 'dev' && split !== 'heldout' && split !== 'both') throw new CliUsageError(`--split must be dev, heldout or both, got "${split}"`);
  return { split, misses: values.misses === '0' ? 0 : parsePositiveInt(values.misses, '--misses', 25) };
}

const FLUSH_EVERY = 256;

/**
 * Reads JSON Lines from stdin, checks each against `schema`, and prints `score(item, lineNo)` or
 * `{"line", "error": {"code", "message"}}` for each non-empty line. Exit status 1 if any failed.
 */
export async function scoreStdinLines<S extends z.ZodType>(
  positionals: string[],
  schema: S,
  score: (item: z.output<S>, lineNo: number) => Record<string, unknown>,
): Promise<number> {
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}" (items come on stdin; files need --eval)`);
  let lineNo = 0;
  let failed = 0;
  let out: string[] = [];
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    lineNo++;
    if (line.trim() === '') continue;
    const result = parseLine(schema, line, lineNo);
    if ('error' in result) failed++;
    out.push(JSON.stringify('error' in result ? result : score(result.item, lineNo)));
    if (out.length >= FLUSH_EVERY) {
      await write(out.join('\n') + '\n');
      out = [];
    }
  }
  if (out.length > 0) await write(out.join('\n') + '\n');
  return failed > 0 ? 1 : 0;
}

function parseLine<S extends z.ZodType>(schema: S, line: string, lineNo: number): { item: z.output<S> } | { line: number; error: { code: string; message: string } } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch (err) {
    return { line: lineNo, error: { code: 'invalid_json', message: (err as Error).message } };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
    return { line: lineNo, error: { code: 'invalid_item', message } };
  }
  return { item: parsed.data };
}

function write(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(chunk, (err) => (err ? reject(err) : resolve()));
  });
}
