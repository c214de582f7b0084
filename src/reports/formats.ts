/** The report formats, apart from their renderers (the config schema names them without loading exceljs). */
export const REPORT_FORMATS = ['json', 'csv', 'xlsx', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
