// The measured processes of bench:imap, in plain JavaScript on the built code (dist/), as the CLI
// runs: no TypeScript loader in the process, so its time and peak RSS are the product's own.
//   node bench/imap-roles.mjs bare      '{"host","port","user","pass","messages"}'
//   node bench/imap-roles.mjs connector '{...}' WORKERS DB_PATH
// Prints one JSON line: {"seconds", "peakRssMiB"}.
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { createEmailParser } from '../dist/connectors/email/parse-pool.js';
import { imapAccountSchema } from '../dist/connectors/imap/imap.config.js';
import { ImapConnector } from '../dist/connectors/imap/imap.connector.js';
import { openSqlite } from '../dist/db/sqlite/open-sqlite.js';
import { parseConfig } from '../dist/src/config/config.js';
import { Pipeline } from '../dist/src/pipeline/pipeline.js';
import { runSource } from '../dist/src/scheduler/run-source.js';

const [role, targetJson, ...extra] = process.argv.slice(2);
const target = JSON.parse(targetJson);

/** (a) stream every source with imapflow, parse each with simpleParser's defaults. */
async function bare() {
  const client = new ImapFlow({ host: target.host, port: target.port, secure: false, auth: { user: target.user, pass: target.pass }, logger: false });
  await client.connect();
  let n = 0;
  try {
    const lock = await client.getMailboxLock('INBOX', { readOnly: true });
    try {
      for await (const m of client.fetch('1:*', { uid: true, source: true })) {
        if (!m.source) throw new Error(`no source for UID ${m.uid}`);
        await simpleParser(m.source);
        n++;
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout();
  }
  if (n !== target.messages) throw new Error(`bare fetch read ${n} messages, expected ${target.messages}`);
}

/** (b) the connector into an empty database, as `poll --once` runs it. */
async function connector(workers, dbPath) {
  const config = parseConfig({});
  const { repository } = openSqlite(dbPath);
  const parser = createEmailParser(workers);
  const account = imapAccountSchema.parse({ type: 'imap', name: 'bench', host: target.host, port: target.port, secure: false, user: target.user, password: target.pass, folders: ['INBOX'] });
  try {
    const result = await runSource(new ImapConnector(account, { parser, maxMessageBytes: config.ingest.maxMessageBytes, parseTimeoutMs: config.ingest.parseTimeoutMs }), {
      repo: repository,
      pipeline: new Pipeline(config),
      batchSize: config.ingest.batchSize,
    });
    if (result.error) throw result.error;
    if (result.summary.read !== target.messages || result.summary.quarantined !== 0) throw new Error(`unexpected summary ${JSON.stringify(result.summary)}`);
  } finally {
    await parser.close();
    await repository.close();
  }
}

const started = performance.now();
if (role === 'bare') await bare();
else if (role === 'connector') await connector(Number(extra[0]), extra[1]);
else throw new Error(`unknown role ${role}`);
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) }));
