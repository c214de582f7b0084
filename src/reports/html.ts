/**
 * The report as one self-contained HTML page: inline CSS, inline SVG charts drawn here, no
 * script and nothing fetched, so it opens offline, mails as one file and prints to PDF (A4, with
 * a print stylesheet that keeps charts and table rows whole and repeats table headers).
 */
import { escapeHtml, shareBars, stackedColumns, type Series } from './charts.js';
import { reportTables, type Cell, type ReportTable } from './tables.js';
import { URGENCY_ORDER, type WeeklyReport } from './weekly.report.js';

/** Longer tables (the SLA breach list of a busy week) show this many rows; CSV/XLSX/JSON have all. */
export const HTML_MAX_ROWS = 200;

const CHANNEL_COLORS = ['#1f6feb', '#111111', '#2da44e', '#bf8700', '#8250df', '#cf222e'];
const URGENCY_COLORS: Record<string, string> = { critical: '#b3261e', high: '#e8710a', normal: '#1a73e8', low: '#80868b' };

const CSS = `
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",sans-serif;color:#1b1f24;margin:24px auto;max-width:1000px;padding:0 16px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:#57606a;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:10px}
.card{border:1px solid #d0d7de;border-radius:6px;padding:8px 10px}.card b{display:block;font-size:22px}.card span{color:#57606a;font-size:12px}
figure{margin:12px 0;break-inside:avoid}figcaption{font-weight:600;margin-bottom:4px}
svg.chart{max-width:100%;height:auto}
table{border-collapse:collapse;width:100%;margin:6px 0 4px;font-size:12.5px}
th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
.note{color:#57606a;font-size:12px}
@page{size:A4;margin:12mm}
@media print{body{margin:0;max-width:none;font-size:10.5pt}h2{break-after:avoid}tr,figure,.cards{break-inside:avoid}thead{display:table-header-group}a{color:inherit;text-decoration:none}}
`;

function cellHtml(c: Cell): string {
  if (c === null) return '<td></td>';
  if (typeof c === 'number') return `<td class="n">${c.toLocaleString('en')}</td>`;
  return `<td>${escapeHtml(String(c))}</td>`;
}

function tableHtml(t: ReportTable): string {
  const shown = t.rows.slice(0, HTML_MAX_ROWS);
  const more = t.rows.length - shown.length;
  const body = shown.length === 0 ? `<tr><td colspan="${t.columns.length}" class="note">none</td></tr>` : shown.map((r) => `<tr>${t.columns.map((c) => cellHtml(r[c.key] ?? null)).join('')}</tr>`).join('');
  return (
    `<h2 id="${t.name}">${escapeHtml(t.title)}</h2>` +
    `<table><thead><tr>${t.columns.map((c) => `<th>${escapeHtml(c.header)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>` +
    (more > 0 ? `<p class="note">${more.toLocaleString('en')} more rows in the CSV, XLSX and JSON exports.</p>` : '')
  );
}

function charts(r: WeeklyReport): string {
  const days = r.volume.byDay.map((d) => d.date.slice(5));
  const channels = r.volume.byChannel.map((c) => c.channel);
  const byDayChannel: Series[] = channels.map((channel, i) => ({
    name: channel,
    color: CHANNEL_COLORS[i % CHANNEL_COLORS.length]!,
    values: r.volume.byDay.map((d) => r.volume.byDayChannel.find((x) => x.date === d.date && x.channel === channel)?.messages ?? 0),
  }));
  const urgency: Series[] = URGENCY_ORDER.map((u) => {
    const row = r.volume.byUrgency.find((x) => x.urgency === u);
    return { name: u, color: URGENCY_COLORS[u]!, values: [row?.newCases ?? 0, row?.messages ?? 0] };
  });
  const dist = r.responsiveness.firstResponseDistribution;
  return [
    `<figure><figcaption>Complaint messages per day, by channel</figcaption>${stackedColumns('Complaint messages per day by channel', days, byDayChannel)}</figure>`,
    `<figure><figcaption>Urgency mix</figcaption>${shareBars('Urgency mix of new cases and messages', ['New cases', 'Messages'], urgency)}</figure>`,
    `<figure><figcaption>First-response time of new cases</figcaption>${stackedColumns('Distribution of first-response times', dist.map((d) => d.bucket), [{ name: 'new cases', color: '#1a73e8', values: dist.map((d) => d.cases) }], { height: 220 })}</figure>`,
  ].join('');
}

export function reportToHtml(r: WeeklyReport): string {
  const s = r.summary;
  const card = (value: number | string, label: string) => `<div class="card"><b>${escapeHtml(typeof value === 'number' ? value.toLocaleString('en') : value)}</b><span>${escapeHtml(label)}</span></div>`;
  const share = r.repeatContacts.share === null ? '–' : `${Math.round(r.repeatContacts.share * 100)}%`;
  const title = `Complaints report ${r.period.label}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${CSS}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="meta">${escapeHtml(r.period.from)} to ${escapeHtml(r.period.to)} (local days in ${escapeHtml(r.period.timeZone)}); generated ${escapeHtml(r.generatedAt)}. Compared with ${escapeHtml(r.period.previous.from)} to ${escapeHtml(r.period.previous.to)}.</p>
<div class="cards">${[
    card(s.newCases, `new cases (previous: ${s.previousNewCases.toLocaleString('en')})`),
    card(s.messages, `complaint messages (previous: ${s.previousMessages.toLocaleString('en')})`),
    card(s.slaBreaches, 'SLA breaches'),
    card(share, 'new cases with 2+ contacts'),
    card(s.absorbedMessages, 'messages joined existing cases'),
    card(s.openAtEnd, 'open at period end'),
    card(r.incidents.recorded ? s.bursts : s.bursts === 0 ? 'none' : s.bursts, r.incidents.recorded ? 'incidents' : 'volume bursts (no incidents recorded)'),
  ].join('')}</div>
${charts(r)}
${reportTables(r)
  .filter((t) => t.name !== 'summary')
  .map(tableHtml)
  .join('\n')}
<p class="note">${escapeHtml(r.incidents.note)} Times in tables are UTC (ISO 8601); days are local days in ${escapeHtml(r.period.timeZone)}.</p>
</body></html>
`;
}
