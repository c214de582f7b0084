/** A one-line progress display on stderr, only when stderr is a terminal. */
import type { IngestSummary } from '../pipeline/ingest.js';

export interface Progress {
  update(summary: Readonly<IngestSummary>): void;
  /** Adds to the number of items expected (a backfill announces its size). */
  expect(items: number): void;
  done(): void;
}

export function progressReporter(label = '', stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, expect() {}, done() {} };
  const started = performance.now();
  let last = 0;
  let drawn = false;
  let total = 0;
  const n = (v: number) => v.toLocaleString('en');
  return {
    update(s) {
      const now = performance.now();
      if (now - last < 100) return;
      last = now;
      const rate = Math.round(s.read / ((now - started) / 1000));
      const of = total > 0 ? ` / ${n(total)}` : '';
      stream.write(
        `\r\x1b[2K  ${label}read ${n(s.read)}${of}  stored ${n(s.stored)}  duplicates ${n(s.duplicates)}  quarantined ${n(s.quarantined)}  (${n(rate)}/s)`,
      );
      drawn = true;
    },
    expect(items) {
      total += items;
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
