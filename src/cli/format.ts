/** Human-readable renderings for the terminal. Machine output is JSON, written by the commands. */
import type { CaseDetail, CaseSummary, CategoryAssignment, QuarantineEntry } from '../../db/repository.js';
import { formatAmount } from '../pipeline/facts/amounts.js';
import type { Fact, Facts } from '../pipeline/facts/types.js';
import type { IngestSummary } from '../pipeline/ingest.js';

const n = (v: number) => v.toLocaleString('en');

export function formatSummary(s: IngestSummary): string {
  const threadedTotal = Object.values(s.threaded).reduce((a, b) => a + b, 0);
  const byReason = Object.entries(s.threaded)
    .filter(([, v]) => v > 0)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ');
  const urgency = Object.entries(s.new_case_urgency)
    .map(([k, v]) => `${k} ${n(v)}`)
    .join(', ');
  const lines = [
    `  read            ${n(s.read)}`,
    `  stored          ${n(s.stored)}`,
    `    cases created   ${n(s.cases_created)}  (${urgency})`,
    `    threaded        ${n(threadedTotal)}${byReason ? `  (${byReason})` : ''}`,
    `    non-complaints  ${n(s.non_complaints)}`,
    `  duplicates      ${n(s.duplicates)}  (already stored)`,
    `  quarantined     ${n(s.quarantined)}`,
  ];
  if (s.skipped > 0) lines.push(`  skipped         ${n(s.skipped)}  (not mail files)`);
  return lines.join('\n');
}

const URGENCY_MARK: Record<string, string> = { critical: 'CRIT', high: 'HIGH', normal: 'norm', low: 'low ' };

export function formatCaseTable(cases: CaseSummary[]): string {
  if (cases.length === 0) return '  (no cases)';
  const header = `  ${'request'.padEnd(16)} ${'urgency'.padEnd(10)} ${'status'.padEnd(8)} ${'ch'.padEnd(5)} ${'n'.padStart(3)}  ${'customer'.padEnd(26)} top reason / subject`;
  const rows = cases.map((c) => {
    const top = c.urgencyReasons[0]?.text ?? '';
    const what = [top, c.subject ?? ''].filter(Boolean).join(' | ');
    return `  ${c.requestNumber.padEnd(16)} ${`${URGENCY_MARK[c.urgency]} ${String(c.urgencyScore).padStart(3)}`.padEnd(10)} ${c.status.padEnd(8)} ${c.channel.padEnd(5)} ${String(c.contactCount).padStart(3)}  ${truncate(c.customerKey, 26).padEnd(26)} ${truncate(what, 70)}`;
  });
  return [header, ...rows].join('\n');
}

export function formatCaseDetail(c: CaseDetail, timeZone: string): string {
  const t = (d: Date) => formatTime(d, timeZone);
  const out = [
    `${c.requestNumber}  ${c.urgency.toUpperCase()} (score ${c.urgencyScore})  status ${c.status}`,
    `  customer   ${c.customerName ? `${c.customerName} <${c.customerKey}>` : c.customerKey}`,
    `  channel    ${c.channel} (source ${c.source})`,
    `  subject    ${c.subject ?? '(none)'}`,
    `  contacts   ${c.contactCount}, first ${t(c.firstContactAt)}, last ${t(c.lastContactAt)}`,
    `  references ${c.references.map((r) => (r.system === 'issued' ? r.value : `${r.value} (${r.system})`)).join(', ')}`,
    `  category   ${c.category ?? '(not assigned)'}`,
    ...formatFacts(c.facts as Facts | null),
    '',
    'Why this urgency:',
    ...c.urgencyReasons.map((r) => `  ${r.points >= 0 ? '+' : ''}${r.points}  ${r.text}${r.evidence ? `  ("${r.evidence}")` : ''}`),
    '',
    `Messages (${c.messages.length}):`,
  ];
  for (const m of c.messages) {
    const how = m.joinReason ? `joined: ${m.joinReason}${m.joinDetail ? `, ${m.joinDetail}` : ''}` : 'opened the case';
    out.push(`  #${m.id}  ${t(m.sentAt)}  ${m.authorName ?? m.authorKey}  [${m.urgency?.level ?? '-'} ${m.urgency?.score ?? ''}]  ${how}`);
    if (m.subject) out.push(`      subject: ${m.subject}`);
    if (m.category) out.push(`      category: ${formatCategory(m.category)}`);
    out.push(...indent(truncate(m.body, 600), '      '));
    if (m.attachments.length > 0) out.push(`      attachments: ${m.attachments.map((a) => `${a.name ?? '(unnamed)'} (${a.contentType}, ${n(a.size)} B)`).join(', ')}`);
    const masked = Object.entries(m.redactions).map(([k, v]) => `${v} ${k}`);
    if (masked.length > 0) out.push(`      masked before storage: ${masked.join(', ')}`);
    for (const note of m.notes) out.push(`      note: ${note}`);
  }
  out.push('', 'Events:');
  for (const e of c.events) out.push(`  ${t(e.at)}  ${e.type}${e.data ? `  ${JSON.stringify(e.data)}` : ''}`);
  return out.join('\n');
}

/** A case's facts, one line each: what was read, and where ("#12 subject: ..."). */
function formatFacts(facts: Facts | null): string[] {
  if (!facts) return ['  facts      (none stated)'];
  const lines: string[] = [];
  const where = (f: Fact) => `${f.message !== undefined ? `#${f.message} ` : ''}${(f as Fact & { field?: string }).field ?? ''}: "${f.text}"`;
  const row = (label: string, value: string, f: Fact) => lines.push(`  ${label.padEnd(10)} ${value.padEnd(24)} ${where(f)}`);
  for (const f of facts.amounts) row('amount', formatAmount(f.value), f);
  for (const f of facts.datetimes) row('when', `${f.value.date}${f.value.time ? ` ${f.value.time}` : ''}${f.value.partOfDay ? ` (${f.value.partOfDay})` : ''}`, f);
  for (const f of facts.ids) row('id', `${f.value.value}${f.value.system ? ` (${f.value.system})` : ''}`, f);
  for (const f of facts.channels) row('paid by', f.value.channel.replace('_', ' '), f);
  for (const f of facts.accountHints) row('account', `ending ${f.value.last4}`, f);
  return ['', 'Facts:', ...lines];
}

function formatCategory(c: CategoryAssignment): string {
  if (c.labels.length === 0) return `${c.primary} (nothing more specific scored)`;
  const labels = c.labels.map((l) => `${l.category} (${l.evidence.map((e) => `"${e}"`).join(', ')})`);
  return `${labels.join('; also ')}  confidence ${c.confidence.toFixed(2)}`;
}

export function formatQuarantine(entries: QuarantineEntry[]): string {
  if (entries.length === 0) return '  (nothing quarantined)';
  return entries.map((q) => `  ${q.reason.padEnd(14)} ${q.rawRef}\n  ${' '.repeat(14)} ${q.detail}${q.attempts > 1 ? ` (seen ${q.attempts} times)` : ''}`).join('\n');
}

export function formatTime(d: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}

function truncate(s: string, max: number): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function indent(text: string, prefix: string): string[] {
  return text.split('\n').map((l) => prefix + l);
}
