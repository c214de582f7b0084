// A parse worker for tests: the real protocol and parser, except that a message containing HANG
// blocks the thread for good and one containing CRASH ends it, when its turn to be parsed comes.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseEmail } = await import('../../connectors/email/parse-email.ts');
const { serveParseRequests } = await import('../../connectors/email/parse-worker-serve.ts');
serveParseRequests(parentPort, async (raw, options) => {
  const text = raw.toString('latin1');
  if (text.includes('HANG')) for (;;);
  if (text.includes('CRASH')) process.exit(3);
  return parseEmail(raw, options);
});
