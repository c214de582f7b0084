/**
 * XLSX, one sheet per table, through exceljs's streaming writer (rows are written as they are
 * added, so a week of 50,000 SLA breaches does not build a workbook model in memory first).
 * Text is stored as text: a cell reading "=1+1" is a string, never a formula, so no escaping is
 * needed (or done) here. Numbers are numbers; booleans are booleans. Line breaks inside text are
 * written as LF, Excel's own in-cell line break (XML would turn a bare CR into LF anyway).
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Cell, ReportTable } from './tables.js';

const MAX_COLUMN_WIDTH = 60;

function xlsxCell(c: Cell): Cell {
  return typeof c === 'string' ? c.replace(/\r\n?/g, '\n') : c;
}

export async function tablesToXlsx(tables: readonly ReportTable[], meta: { title: string; created: Date }): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = 'complaint-monitor';
  wb.title = meta.title;
  wb.created = meta.created;
  for (const t of tables) {
    const sheet = wb.addWorksheet(t.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = t.columns.map((c) => ({
      header: c.header,
      key: c.key,
      width: Math.min(MAX_COLUMN_WIDTH, Math.max(c.header.length, ...t.rows.slice(0, 200).map((r) => String(r[c.key] ?? '').length)) + 2),
    }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    for (const row of t.rows) sheet.addRow(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, xlsxCell(v)]))).commit();
    sheet.commit();
  }
  await wb.commit();
  await done;
  return Buffer.concat(chunks);
}
