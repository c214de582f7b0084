/**
 * Inline SVG charts drawn on the server: no script, no external file, and they print as sharp as
 * text. Each chart is a <svg role="img"> with a <title>; every bar is a <rect> with its own
 * <title> (hover or screen reader shows the figure).
 */

export interface Series {
  name: string;
  color: string;
  values: number[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const FONT = 'font-family="system-ui, sans-serif" font-size="11"';
const fmt = (n: number) => n.toLocaleString('en');

/** A step for the value axis: 1, 2 or 5 times a power of ten, giving at most ~5 gridlines. */
function niceStep(max: number): number {
  const raw = Math.max(max, 1) / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!;
  return Math.max(1, step);
}

function legend(series: readonly Series[], x: number, y: number): string {
  let at = x;
  return series
    .map((s) => {
      const item = `<rect x="${at}" y="${y - 9}" width="10" height="10" fill="${s.color}"/><text x="${at + 14}" y="${y}" ${FONT}>${escapeHtml(s.name)}</text>`;
      at += 24 + s.name.length * 7;
      return item;
    })
    .join('');
}

/** Vertical bars, one per label, each stacking the series. */
export function stackedColumns(title: string, labels: readonly string[], series: readonly Series[], opts: { width?: number; height?: number } = {}): string {
  const width = opts.width ?? 720;
  const height = opts.height ?? 260;
  const left = 44;
  const top = 28;
  const bottom = 34;
  const plotH = height - top - bottom;
  const plotW = width - left - 10;
  const totals = labels.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0));
  const step = niceStep(Math.max(0, ...totals));
  const max = Math.ceil(Math.max(1, ...totals) / step) * step;
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.min(60, slot * 0.7);
  const parts: string[] = [];
  for (let v = 0; v <= max; v += step) {
    parts.push(`<line x1="${left}" x2="${width - 10}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${left - 6}" y="${y(v) + 4}" text-anchor="end" ${FONT}>${fmt(v)}</text>`);
  }
  labels.forEach((label, i) => {
    const x = left + slot * i + (slot - barW) / 2;
    let base = 0;
    for (const s of series) {
      const v = s.values[i] ?? 0;
      if (v > 0) {
        parts.push(`<rect class="bar" x="${x.toFixed(1)}" y="${y(base + v).toFixed(1)}" width="${barW.toFixed(1)}" height="${(y(base) - y(base + v)).toFixed(1)}" fill="${s.color}"><title>${escapeHtml(`${label} ${s.name}: ${fmt(v)}`)}</title></rect>`);
      }
      base += v;
    }
    parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle" ${FONT}>${escapeHtml(label)}</text>`);
    if (totals[i]! > 0) parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${y(totals[i]!) - 3}" text-anchor="middle" ${FONT}>${fmt(totals[i]!)}</text>`);
  });
  const legendRow = series.length > 1 ? legend(series, left, 14) : '';
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${legendRow}${parts.join('')}</svg>`;
}

/** Horizontal 100% bars, one per row, each split by the series (shares shown as labels). */
export function shareBars(title: string, rows: readonly string[], series: readonly Series[], opts: { width?: number } = {}): string {
  const width = opts.width ?? 720;
  const left = 110;
  const rowH = 34;
  const top = 28;
  const height = top + rows.length * rowH + 8;
  const plotW = width - left - 10;
  const parts: string[] = [];
  rows.forEach((row, r) => {
    const total = series.reduce((n, s) => n + (s.values[r] ?? 0), 0);
    const y = top + r * rowH;
    parts.push(`<text x="${left - 8}" y="${y + 17}" text-anchor="end" ${FONT}>${escapeHtml(row)} (${fmt(total)})</text>`);
    if (total === 0) {
      parts.push(`<rect x="${left}" y="${y + 4}" width="${plotW}" height="20" fill="none" stroke="#ccc"/>`);
      return;
    }
    let x = left;
    for (const s of series) {
      const v = s.values[r] ?? 0;
      if (v === 0) continue;
      const w = (v / total) * plotW;
      parts.push(`<rect class="bar" x="${x.toFixed(1)}" y="${y + 4}" width="${w.toFixed(1)}" height="20" fill="${s.color}"><title>${escapeHtml(`${row} ${s.name}: ${fmt(v)}`)}</title></rect>`);
      if (w > 34) parts.push(`<text x="${(x + w / 2).toFixed(1)}" y="${y + 18}" text-anchor="middle" fill="#fff" ${FONT}>${Math.round((v / total) * 100)}%</text>`);
      x += w;
    }
  });
  return `<svg class="chart" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${legend(series, left, 14)}${parts.join('')}</svg>`;
}
