/**
 * CSV and XLSX exports: RFC 4180 quoting, formula-injection escaping, and Chinese/Indonesian text
 * surviving the round trip (the XLSX is read back with exceljs and compared cell by cell).
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { csvField, tableToCsv } from '../../src/reports/csv.js';
import { generateWeeklyReport, renderReport, REPORT_TABLE_NAMES } from '../../src/reports/generate.js';
import { reportTables, type Cell, type ReportTable } from '../../src/reports/tables.js';
import { weekPeriod } from '../../src/reports/week.js';
import { buildWeeklyReport, type WeeklyReport } from '../../src/reports/weekly.report.js';
import { tablesToXlsx } from '../../src/reports/xlsx.js';
import { AS_OF, INJECTION_SUBJECT, reportDataset } from '../helpers/report-dataset.js';

/** A strict RFC 4180 reader, written here so the writer is checked by something else. */
function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 1;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 2);
      else if (ch === '"') (quoted = false), i++;
      else (field += ch), i++;
    } else if (ch === '"' && field === '') (quoted = true), i++;
    else if (ch === ',') row.push(field), (field = ''), i++;
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), (i += 2);
    else if (ch === '\n' || ch === '\r' || ch === '"') throw new Error(`bare ${JSON.stringify(ch)} at ${i}: not RFC 4180`);
    else (field += ch), i++;
  }
  expect(field).toBe('');
  expect(row).toEqual([]);
  return rows;
}

const TRICKY: ReportTable = {
  name: 'tricky',
  title: 'Tricky cells',
  columns: [
    { key: 'text', header: 'Text' },
    { key: 'n', header: 'Number' },
  ],
  rows: [
    { text: '=1+1', n: -3 },
    { text: '+62 812 555', n: 0.25 },
    { text: '-cmd|calc', n: null },
    { text: '@SUM(A1:A2)', n: 1 },
    { text: '\tTabbed', n: 2 },
    { text: '余额不见了，被盗刷了 1000 元', n: 3 },
    { text: 'Saldo saya hilang Rp 2.500.000, tolong "segera" dicek\r\nterima kasih', n: 4 },
    { text: 'a, b; c', n: 5 },
  ],
};

describe('CSV', () => {
  it('quotes per RFC 4180 and escapes text that a spreadsheet would run as a formula; numbers stay numbers', () => {
    const rows = parseCsv(tableToCsv(TRICKY));
    expect(rows).toEqual([
      ['Text', 'Number'],
      ["'=1+1", '-3'],
      ["'+62 812 555", '0.25'],
      ["'-cmd|calc", ''],
      ["'@SUM(A1:A2)", '1'],
      ["'\tTabbed", '2'],
      ['余额不见了，被盗刷了 1000 元', '3'],
      ['Saldo saya hilang Rp 2.500.000, tolong "segera" dicek\r\nterima kasih', '4'],
      ['a, b; c', '5'],
    ]);
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
  });
});

describe('XLSX', () => {
  it('one sheet per table; text (formula-looking included) and numbers read back exactly', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await tablesToXlsx([TRICKY], { title: 't', created: AS_OF })) as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('tricky')!;
    const read = sheet.getSheetValues().slice(2) as unknown[][];
    // Line breaks come back as LF, Excel's in-cell line break; everything else exactly.
    expect(read.map((r) => [r[1], r[2] ?? null])).toEqual(TRICKY.rows.map((r) => [(r.text as string).replace('\r\n', '\n'), r.n]));
    // Stored as text, never as a formula.
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
  });
});

describe('the real report through CSV and XLSX', () => {
  let report: WeeklyReport;
  let tables: ReportTable[];
  beforeAll(async () => {
    const ds = await reportDataset();
    report = await generateWeeklyReport(ds.repository, weekPeriod('2026-W43', 'Europe/Amsterdam'), parseConfig({}).sla, AS_OF);
    tables = reportTables(report);
  });

  it('has the documented tables, in order', () => {
    expect(tables.map((t) => t.name)).toEqual([...REPORT_TABLE_NAMES]);
  });

  it('CSV: every table, one file each, reads back to its cells (the injected subject escaped, the Chinese one intact)', async () => {
    const files = await renderReport(report, 'csv');
    expect(files.map((f) => f.name)).toEqual(REPORT_TABLE_NAMES.map((n) => `complaints-2026-W43-${n}.csv`));
    files.forEach((f, i) => {
      const t = tables[i]!;
      const rows = parseCsv(f.body as string);
      const expected = (c: Cell) => (c === null ? '' : typeof c === 'string' && /^[=+\-@\t\r]/.test(c) ? `'${c}` : String(c));
      expect(rows).toEqual([t.columns.map((c) => c.header), ...t.rows.map((r) => t.columns.map((c) => expected(r[c.key] ?? null)))]);
    });
    const breaches = parseCsv(files.find((f) => f.name.endsWith('-sla_breaches.csv'))!.body as string);
    expect(breaches.map((r) => r[5])).toEqual(['Subject', '', '余额不见了', '', `'${INJECTION_SUBJECT}`]);
  });

  it('XLSX: every sheet reads back equal to its table', async () => {
    const [file] = await renderReport(report, 'xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(file!.body as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([...REPORT_TABLE_NAMES]);
    for (const t of tables) {
      const values = wb.getWorksheet(t.name)!.getSheetValues() as unknown[][];
      expect(values[1]!.slice(1)).toEqual(t.columns.map((c) => c.header));
      const rows = values.slice(2).map((r) => t.columns.map((_, i) => r[i + 1] ?? null));
      expect(rows).toEqual(t.rows.map((r) => t.columns.map((c) => r[c.key] ?? null)));
    }
    const subjects = (wb.getWorksheet('sla_breaches')!.getColumn(6).values as unknown[]).slice(2);
    expect(subjects).toContain(INJECTION_SUBJECT);
    expect(subjects).toContain('余额不见了');
  });
});

describe('bursts (derived; no incidents are recorded)', () => {
  it('a category at 3x its daily average of the previous week and at least 10 messages on a local day is a burst', () => {
    const period = weekPeriod('2026-W47', 'Asia/Jakarta');
    const row = (day: number, category: string, count: number) => ({ day, channel: 'x', source: 'x-mentions', urgency: 'normal', category, count });
    const report = buildWeeklyReport(
      period,
      {
        messages: [row(5, 'app_bug_outage', 30), row(5, 'top_up', 9), row(2, 'refund', 12), row(3, 'transfer', 10)],
        newCases: [],
        // The previous week is the baseline: app_bug_outage 2/day (30 >= 6: burst), refund
        // 5/day (12 < 15: none), transfer none (10, new: burst), top_up 9 (under 10: none).
        previousMessages: [
          { category: 'app_bug_outage', count: 14 },
          { category: 'refund', count: 35 },
        ],
        previousNewCases: [],
        cohort: [],
        themes: [],
        backlog: [],
      },
      parseConfig({}).sla,
      AS_OF,
    );
    expect(report.incidents).toEqual({
      recorded: false,
      note: 'No incident records are kept yet; bursts are derived from complaint volume per category and day.',
      burstRule: { factor: 3, minMessages: 10 },
      bursts: [
        { date: '2026-11-19', category: 'transfer', messages: 10, baselinePerDay: 0, ratio: null },
        { date: '2026-11-21', category: 'app_bug_outage', messages: 30, baselinePerDay: 2, ratio: 15 },
      ],
    });
  });
});
