/**
 * CSV, one file per table, as RFC 4180 says: comma-separated, CRLF line ends, a field holding a
 * comma, quote, CR or LF is quoted with its quotes doubled. UTF-8 with a byte-order mark, so that
 * Excel reads Chinese and Indonesian text as written.
 *
 * Formula injection: a spreadsheet runs a text cell starting with = + - @ (or a tab or CR) as a
 * formula. Such text cells get a leading apostrophe ('=HYPERLINK(...)), which spreadsheets show as
 * text. Numbers are written as numbers and never escaped (a change of -3 stays -3).
 */
import type { Cell, ReportTable } from './tables.js';

export const CSV_BOM = '\uFEFF';
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  if (typeof cell === 'boolean') return cell ? 'true' : 'false';
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function tableToCsv(t: ReportTable): string {
  const lines = [t.columns.map((c) => csvField(c.header)), ...t.rows.map((r) => t.columns.map((c) => csvField(r[c.key] ?? null)))];
  return CSV_BOM + lines.map((l) => l.join(',')).join('\r\n') + '\r\n';
}
