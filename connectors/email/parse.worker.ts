/** Runs in a worker thread of the parse pool (entry: parse.worker.mjs). */
import { parentPort } from 'node:worker_threads';
import { parseEmail } from './parse-email.js';
import { serveParseRequests } from './parse-worker-serve.js';

if (!parentPort) throw new Error('parse.worker must run in a worker thread');
serveParseRequests(parentPort, parseEmail);
