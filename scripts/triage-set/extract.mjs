// Draws the unlabelled texts of the triage development set from ../shared/corpus (run once; the
// labelled result lives in tests/fixtures/triage/). Each item keeps a `src` naming its origin.
//   node scripts/triage-set/extract.mjs ../shared/corpus OUT_DIR
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const [corpus, out] = process.argv.slice(2);
if (!corpus || !out) {
  console.error('usage: node scripts/triage-set/extract.mjs CORPUS_DIR OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const lines = (items) => items.map((i) => JSON.stringify(i)).join('\n') + '\n';

// English: the first customer message of every IBM customer-care thread, plus the CFPB narratives.
const ibm = JSON.parse(readFileSync(join(corpus, 'complaints/en-ibm-twitter-customer-care/dev.json'), 'utf8'));
// The source holds a few threads twice: one item per tweet.
const seen = new Set();
const en = ibm.flatMap((thread) => {
  const first = thread.dialogContent[0];
  if (seen.has(first.tweet_ID)) return [];
  seen.add(first.tweet_ID);
  return {
    id: `en-ibm-${first.tweet_ID}`,
    lang: 'en',
    src: `IBM/twitter-customer-care-document-prediction@453470e:dev.json#tweet=${first.tweet_ID}`,
    text: first.message,
  };
});
for (const line of readFileSync(join(corpus, 'complaints/en-cfpb/ccdb5-ui_api_fixture_records.ndjson'), 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const r = JSON.parse(line);
  if (!r.complaint_what_happened) continue;
  en.push({
    id: `en-cfpb-${r.complaint_id}`,
    lang: 'en',
    src: `cfpb/ccdb5-ui@c605d8b:cypress/fixtures/api_fixture_records#complaint_id=${r.complaint_id}`,
    text: r.complaint_what_happened,
  });
}
writeFileSync(join(out, 'en.jsonl'), lines(en));

// Indonesian: every text of the IndoNLU SmSA + PRDECT-ID public set.
const id = readFileSync(join(corpus, 'complaints/id-indonlu-prdect/id_complaints_public.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l, n) => {
    const r = JSON.parse(l);
    return { id: `id-${String(n + 1).padStart(3, '0')}`, lang: 'id', src: r.src, text: r.text };
  });
writeFileSync(join(out, 'id.jsonl'), lines(id));
console.log(`en ${en.length}, id ${id.length} items written to ${out}`);
