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

export interface ProgressBar {
  update(done: number, detail?: string): void;
  done(): void;
}

/**
 * `[##########----------]  52%  520,000 / 1,000,000 messages  41,250/s  ETA 12 s` on stderr.
 * Drawn on a terminal; elsewhere (logs, CI) a plain line every 10% so long work still shows life.
 */
export function progressBar(total: number, unit: string, stream: NodeJS.WriteStream = process.stderr, width = 24): ProgressBar {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let last = 0;
  let lastDecile = 0;
  let drawn = false;
  const n = (v: number) => v.toLocaleString('en');
  const line = (done: number, detail: string | undefined) => {
    const secs = (performance.now() - started) / 1000;
    const rate = secs > 0 ? done / secs : 0;
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(share * width);
    const eta = rate > 0 && done < total ? `  ETA ${Math.ceil((total - done) / rate)} s` : '';
    return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(share * 100)).padStart(3)}%  ${n(done)} / ${n(total)} ${unit}  ${n(Math.round(rate))}/s${eta}${detail ? `  ${detail}` : ''}`;
  };
  return {
    update(done, detail) {
      if (tty) {
        const now = performance.now();
        if (now - last < 100 && done < total) return;
        last = now;
        stream.write(`\r\x1b[2K${line(done, detail)}`);
        drawn = true;
        return;
      }
      const decile = total > 0 ? Math.floor((done / total) * 10) : 10;
      if (decile > lastDecile) {
        lastDecile = decile;
        stream.write(`${line(done, detail)}\n`);
      }
    },
    done() {
      if (drawn) stream.write('\r\x1b[2K');
    },
  };
}
