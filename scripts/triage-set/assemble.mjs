// Assembles the labelled triage set from the drawn texts and the annotators' label files:
//   node scripts/triage-set/assemble.mjs WORK_DIR tests/fixtures/triage LANG...
// WORK_DIR holds LANG.jsonl (from extract.mjs) and labels/LANG.{A,B}.jsonl, plus
// labels/LANG.settled.jsonl for the items A and B disagreed on. Each output line keeps every
// annotator's label; `urgency` is the agreed or settled one; `split` comes from the id's hash.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const [work, out, ...langs] = process.argv.slice(2);
if (!work || !out || langs.length === 0) {
  console.error('usage: node scripts/triage-set/assemble.mjs WORK_DIR OUT_DIR LANG...');
  process.exit(2);
}
const LEVELS = new Set(['critical', 'high', 'normal', 'low']);
const readJsonl = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const labelMap = (file) => {
  const map = new Map();
  for (const r of readJsonl(file)) {
    if (!LEVELS.has(r.urgency)) throw new Error(`${file}: ${r.id} has label "${r.urgency}"`);
    map.set(r.id, r.urgency);
  }
  return map;
};
// Same rule as splitFor() in src/pipeline/urgency/evaluate.ts (a test checks they agree).
const splitFor = (id) => (createHash('sha256').update(id).digest().readUInt16BE(0) % 10 < 3 ? 'heldout' : 'dev');

mkdirSync(out, { recursive: true });
for (const lang of langs) {
  const items = readJsonl(join(work, `${lang}.jsonl`));
  const a = labelMap(join(work, 'labels', `${lang}.A.jsonl`));
  const b = labelMap(join(work, 'labels', `${lang}.B.jsonl`));
  const settledFile = join(work, 'labels', `${lang}.settled.jsonl`);
  const settled = existsSync(settledFile) ? labelMap(settledFile) : new Map();
  let agreed = 0;
  const lines = items.map((item) => {
    const la = a.get(item.id);
    const lb = b.get(item.id);
    if (!la || !lb) throw new Error(`${lang}: ${item.id} lacks a label from ${la ? 'B' : 'A'}`);
    const labels = { A: la, B: lb };
    let urgency = la;
    if (la === lb) agreed++;
    else {
      urgency = settled.get(item.id);
      if (!urgency) throw new Error(`${lang}: ${item.id} has A=${la}, B=${lb} and no settled label`);
      labels.C = urgency;
    }
    return JSON.stringify({ id: item.id, lang: item.lang, src: item.src, text: item.text, urgency, split: splitFor(item.id), labels });
  });
  writeFileSync(join(out, `${lang}.jsonl`), lines.join('\n') + '\n');
  console.log(`${lang}: ${items.length} items, A and B agreed on ${agreed}, ${items.length - agreed} settled by C`);
}
