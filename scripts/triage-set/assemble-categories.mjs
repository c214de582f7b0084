// Adds the complaint-category labels to the labelled set:
//   node scripts/triage-set/assemble-categories.mjs WORK_DIR tests/fixtures/triage LANG...
// WORK_DIR/labels holds LANG.{A,B}.jsonl ({"id","category","also"}) and LANG.settled.jsonl for the
// items whose primary category A and B disagreed on. Each line of OUT_DIR/LANG.jsonl gains
// `category` (agreed or settled), `also` (the second category: agreed, settled, or the union of
// A's and B's when they agreed on the primary) and `categoryLabels` (every annotator's answer).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [work, out, ...langs] = process.argv.slice(2);
if (!work || !out || langs.length === 0) {
  console.error('usage: node scripts/triage-set/assemble-categories.mjs WORK_DIR OUT_DIR LANG...');
  process.exit(2);
}
const CATEGORIES = new Set(['payment_failed', 'qr_payment', 'transfer', 'top_up', 'withdrawal', 'refund', 'balance_missing_unauthorised', 'account_access', 'registration_kyc', 'promotion_cashback', 'fees', 'app_bug_outage', 'care_responsiveness', 'staff_conduct', 'other']);
const readJsonl = (file) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
const byId = (file) => {
  const map = new Map();
  for (const r of readJsonl(file)) {
    for (const c of [r.category, ...(r.also ?? [])]) if (!CATEGORIES.has(c)) throw new Error(`${file}: ${r.id} has category "${c}"`);
    map.set(r.id, { category: r.category, also: (r.also ?? []).filter((c) => c !== r.category) });
  }
  return map;
};

for (const lang of langs) {
  const a = byId(join(work, 'labels', `${lang}.A.jsonl`));
  const b = byId(join(work, 'labels', `${lang}.B.jsonl`));
  const settledFile = join(work, 'labels', `${lang}.settled.jsonl`);
  const c = existsSync(settledFile) ? byId(settledFile) : new Map();
  const file = join(out, `${lang}.jsonl`);
  let agreed = 0;
  const lines = readJsonl(file).map((item) => {
    const la = a.get(item.id);
    const lb = b.get(item.id);
    if (!la || !lb) throw new Error(`${lang}: ${item.id} lacks a category from ${la ? 'B' : 'A'}`);
    const categoryLabels = { A: la, B: lb };
    let category;
    let also;
    if (la.category === lb.category) {
      agreed++;
      category = la.category;
      also = [...new Set([...la.also, ...lb.also])];
    } else {
      const lc = c.get(item.id);
      if (!lc) throw new Error(`${lang}: ${item.id} has A=${la.category}, B=${lb.category} and no settled category`);
      categoryLabels.C = lc;
      ({ category, also } = lc);
    }
    return JSON.stringify({ ...item, category, also, categoryLabels });
  });
  writeFileSync(file, lines.join('\n') + '\n');
  console.log(`${lang}: ${lines.length} items, A and B agreed on the primary category of ${agreed}, ${lines.length - agreed} settled by C`);
}
