/**
 * Re-scoring stored cases after a rule change, on a real SQLite file: what changes in the rows,
 * which events are written, and that an interrupted run leaves every case consistent.
 */
import { describe, expect, it } from 'vitest';
import type { RescoreDecider } from '../../db/repository.js';
import { parseConfig } from '../../src/config/config.js';
import { ingest } from '../../src/pipeline/ingest.js';
import { Pipeline } from '../../src/pipeline/pipeline.js';
import { loadRules, type UrgencyRules } from '../../src/pipeline/urgency/rules.js';
import { tempDb } from '../helpers/db.js';
import { eventsOf } from '../helpers/events.js';
import { emailItem, postItem } from '../helpers/items.js';

const NOW = new Date('2026-11-25T03:00:00Z');
const config = parseConfig({ timezone: 'Asia/Jakarta' });

/** The default rules with "app problem" weighing as much as stolen money (and allowed to be critical). */
function harsherRules(): UrgencyRules {
  const rules = loadRules();
  return {
    ...rules,
    levels: { ...rules.levels, criticalNeeds: [...rules.levels.criticalNeeds, 'service_problem'] },
    signals: rules.signals.map((s) => (s.id === 'service_problem' ? { ...s, points: 9 } : s)),
  };
}

async function setup() {
  const db = tempDb();
  const pipeline = new Pipeline(config, loadRules(), () => NOW);
  const first = emailItem({ from: 'ana@example.com', subject: 'Top-up', text: 'The app shows an error when I open it.' });
  const items = [
    first,
    // Same thread, a day later: a repeat contact scores higher than the first message.
    emailItem({ from: 'ana@example.com', subject: 'Re: Top-up', text: 'Still an error in the app.', inReplyTo: first.messageId!, references: [first.messageId!], sentAt: new Date('2026-11-19T02:00:00Z') }),
    postItem({ handle: 'budi', text: '@SakuPay aplikasinya error terus dari tadi pagi' }),
    postItem({ handle: 'citra', text: '@SakuPay saldo saya hilang Rp 2.000.000, tolong!' }),
    postItem({ handle: 'dewi', text: '@SakuPay how do I change my phone number?' }),
  ];
  await ingest(eventsOf(...items), db.repository, pipeline, { batchSize: 50 });
  const rows = <T>(sql: string, ...params: unknown[]) => db.sqlite.prepare(sql).all(...params) as T[];
  const snapshot = () => ({
    cases: rows('select id, urgency, urgency_score, urgency_reasons from cases order by id'),
    messages: rows('select id, urgency, urgency_score, urgency_reasons from messages order by id'),
    events: rows('select case_id, type, data from case_events order by id'),
  });
  return { ...db, rows, snapshot };
}

describe('rescore', () => {
  it('with the rules used at ingest, changes nothing (repeat contacts and reach scored as at ingest)', async () => {
    const { repository, snapshot } = await setup();
    const before = snapshot();
    const result = await repository.rescore(new Pipeline(config, loadRules(), () => NOW).rescorer);
    expect(result).toMatchObject({ totalMessages: 5, messages: 5, cases: 4, messagesChanged: 0, casesChanged: 0, levelChanges: {} });
    expect(snapshot()).toEqual(before);
  });

  it('after a rule change, updates messages and cases and records each level change as an event', async () => {
    const { repository, rows } = await setup();
    const levels = () => rows<{ urgency: string }>('select urgency from cases order by id').map((r) => r.urgency);
    expect(levels()).toEqual(['normal', 'normal', 'critical', 'low']);

    const result = await repository.rescore(new Pipeline(config, harsherRules(), () => NOW).rescorer);
    expect(levels()).toEqual(['critical', 'critical', 'critical', 'low']);
    expect(result).toMatchObject({ messages: 5, cases: 4, casesChanged: 2, levelChanges: { 'normal->critical': 2 } });
    expect(result.messagesChanged).toBe(3);

    const events = rows<{ case_id: number; data: string; at: number }>("select case_id, data, at from case_events where type = 'urgency_changed' order by id");
    expect(events.map((e) => ({ caseId: e.case_id, ...JSON.parse(e.data) }))).toEqual([
      expect.objectContaining({ caseId: 1, from: 'normal', to: 'critical', by: 'rescore' }),
      expect.objectContaining({ caseId: 2, from: 'normal', to: 'critical', by: 'rescore' }),
    ]);
    expect(events[0]!.at).toBe(NOW.getTime());
    expect(JSON.parse(events[0]!.data).reasons).toContain('app or service problem');

    // The case shows its most urgent message: the second contact (repeat contact on top).
    const [c] = rows<{ urgency_score: number }>('select urgency_score from cases where id = 1');
    const scores = rows<{ urgency_score: number }>('select urgency_score from messages where case_id = 1 order by sent_at');
    expect(c!.urgency_score).toBe(Math.max(...scores.map((s) => s.urgency_score)));
    expect(scores[1]!.urgency_score).toBeGreaterThan(scores[0]!.urgency_score);

    const again = await repository.rescore(new Pipeline(config, harsherRules(), () => NOW).rescorer);
    expect(again).toMatchObject({ messagesChanged: 0, casesChanged: 0 });
  });

  it('--dry-run counts what would change and writes nothing', async () => {
    const { repository, snapshot } = await setup();
    const before = snapshot();
    const result = await repository.rescore(new Pipeline(config, harsherRules(), () => NOW).rescorer, { dryRun: true });
    expect(result).toMatchObject({ casesChanged: 2, messagesChanged: 3 });
    expect(snapshot()).toEqual(before);
  });

  it('a run that fails part-way leaves whole batches done and the rest untouched; a second run finishes', async () => {
    const { repository, rows } = await setup();
    const harsh = new Pipeline(config, harsherRules(), () => NOW).rescorer;
    let calls = 0;
    const failing: RescoreDecider = {
      ...harsh,
      urgency(message, context) {
        // Case 1 has two messages, case 2 one: fail inside the second batch (one case per batch).
        if (++calls === 3) throw new Error('rules crashed');
        return harsh.urgency(message, context);
      },
    };
    const progress: number[] = [];
    await expect(repository.rescore(failing, { batchCases: 1, onProgress: (p) => progress.push(p.cases) })).rejects.toThrow('rules crashed');
    expect(progress).toEqual([1]);
    const levels = () => rows<{ urgency: string }>('select urgency from cases order by id').map((r) => r.urgency);
    expect(levels()).toEqual(['critical', 'normal', 'critical', 'low']);
    expect(rows("select case_id from case_events where type = 'urgency_changed'")).toEqual([{ case_id: 1 }]);

    const rest = await repository.rescore(harsh, { batchCases: 1 });
    expect(rest).toMatchObject({ casesChanged: 1, levelChanges: { 'normal->critical': 1 } });
    expect(levels()).toEqual(['critical', 'critical', 'critical', 'low']);
  });
});
