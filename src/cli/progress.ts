/** A one-line progress display on stderr, only when stderr is a terminal. */
import type { IngestSummary } from '../pipeline/ingest.js';

export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  update(summary: Readonly<IngestSummary>): void;
  done(): void;
} {
  if (!stream.isTTY) return { update() {}, done() {} };
  const started = performance.now();
  let last = 0;
  let drawn = false;
  return {
    update(s) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const rate = Math.round(s.read / ((now - started) / 1000));
      stream.write(
        `\r\x1b[2K  read ${s.read.toLocaleString('en')}  stored ${s.stored.toLocaleString('en')}  duplicates ${s.duplicates.toLocaleString('en')}  quarantined ${s.quarantined.toLocaleString('en')}  (${rate.toLocaleString('en')}/s)`,
      );
      drawn = true;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
