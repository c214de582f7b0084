/**
 * Test fixture only: sets a case's workflow columns (status, first response, resolution, merge)
 * with plain SQL, the way the case workflow API (PATCH status, notes) records them. Cases are
 * created through the real pipeline; only what the team would do afterwards is written here.
 */
import type Database from 'better-sqlite3';

export interface CaseWorkflow {
  status?: 'new' | 'open' | 'waiting' | 'resolved' | 'closed';
  firstResponseAt?: string | null;
  resolvedAt?: string | null;
  mergedInto?: string | null;
}

const ms = (iso: string | null | undefined) => (iso == null ? null : new Date(iso).getTime());

export function setCaseWorkflow(sqlite: Database.Database, requestNumber: string, w: CaseWorkflow): void {
  const mergedIntoId =
    w.mergedInto == null ? null : (sqlite.prepare('select id from cases where request_number = ?').get(w.mergedInto) as { id: number } | undefined)?.id;
  const changed = sqlite
    .prepare(
      `update cases set status = coalesce(?, status), first_response_at = ?, resolved_at = ?, merged_into = ?
        where request_number = ?`,
    )
    .run(w.status ?? null, ms(w.firstResponseAt), ms(w.resolvedAt), mergedIntoId ?? null, requestNumber).changes;
  if (changed !== 1) throw new Error(`setCaseWorkflow: no case ${requestNumber}`);
}
