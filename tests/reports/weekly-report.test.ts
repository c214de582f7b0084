/**
 * The weekly report over the fixed dataset (tests/helpers/report-dataset.ts), stored through the
 * real pipeline into a real SQLite file: every figure for ISO week 2026-W43 in Asia/Jakarta and in
 * Europe/Amsterdam, against values worked out by hand from the dataset's table. The same week
 * holds different messages in the two zones (Amsterdam's W43 starts 5 h later and, with the
 * clocks falling back on its Sunday, ends 6 h later).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { generateWeeklyReport } from '../../src/reports/generate.js';
import { weekPeriod } from '../../src/reports/week.js';
import type { WeeklyReport } from '../../src/reports/weekly.report.js';
import { AS_OF, INJECTION_SUBJECT, reportDataset } from '../helpers/report-dataset.js';

const SLA = parseConfig({}).sla;
const none = { newCases: 0, messages: 0 };
const c = (newCases: number, messages: number) => ({ newCases, messages });
const zeroBacklog = { under1d: 0, d1to3: 0, d3to7: 0, d7to14: 0, d14to30: 0, d30plus: 0 };
const W43_DAYS = ['2026-10-19', '2026-10-20', '2026-10-21', '2026-10-22', '2026-10-23', '2026-10-24', '2026-10-25'];
const byDay = (counts: [number, number][]) => W43_DAYS.map((date, i) => ({ date, ...c(...counts[i]!) }));
const rt = (channel: string, urgency: string, cases: number, responded: number, fr: [number, number] | null, resolved: number, res: [number, number] | null) => ({
  channel,
  urgency,
  cases,
  responded,
  firstResponseMedianMinutes: fr?.[0] ?? null,
  firstResponseP90Minutes: fr?.[1] ?? null,
  resolved,
  resolutionMedianMinutes: res?.[0] ?? null,
  resolutionP90Minutes: res?.[1] ?? null,
});
const dist = (counts: number[]) =>
  ['< 15 min', '15–60 min', '1–4 h', '4–24 h', '1–3 days', '3+ days', 'no response yet'].map((bucket, i) => ({ bucket, cases: counts[i]! }));
const theme = (code: string, label: string, cases: number, previousCases: number, changePct: number | null) => ({ code, label, cases, previousCases, change: cases - previousCases, changePct });

let ds: Awaited<ReturnType<typeof reportDataset>>;
let jakarta: WeeklyReport;
let amsterdam: WeeklyReport;

beforeAll(async () => {
  ds = await reportDataset();
  jakarta = await generateWeeklyReport(ds.repository, weekPeriod('2026-W43', 'Asia/Jakarta'), SLA, AS_OF);
  amsterdam = await generateWeeklyReport(ds.repository, weekPeriod('2026-W43', 'Europe/Amsterdam'), SLA, AS_OF);
});

describe('the dataset as the pipeline stored it (what the hand-computed figures rest on)', () => {
  it('case and message urgencies, categories and join rules', () => {
    const cases = ds.sqlite.prepare('select request_number, channel, urgency, category, contact_count from cases order by request_number').all();
    expect(cases).toEqual([
      { request_number: ds.requestNumbers.H, channel: 'email', urgency: 'normal', category: 'app_bug_outage', contact_count: 1 },
      { request_number: ds.requestNumbers.I, channel: 'email', urgency: 'low', category: 'registration_kyc', contact_count: 1 },
      { request_number: ds.requestNumbers.A, channel: 'email', urgency: 'critical', category: 'balance_missing_unauthorised', contact_count: 2 },
      { request_number: ds.requestNumbers.B, channel: 'email', urgency: 'normal', category: 'top_up', contact_count: 2 },
      { request_number: ds.requestNumbers.C, channel: 'x', urgency: 'high', category: 'app_bug_outage', contact_count: 2 },
      { request_number: ds.requestNumbers.D, channel: 'email', urgency: 'critical', category: 'balance_missing_unauthorised', contact_count: 2 },
      { request_number: ds.requestNumbers.E, channel: 'x', urgency: 'high', category: 'account_access', contact_count: 1 },
      { request_number: ds.requestNumbers.F, channel: 'email', urgency: 'low', category: 'promotion_cashback', contact_count: 1 },
      { request_number: ds.requestNumbers.G, channel: 'email', urgency: 'high', category: 'refund', contact_count: 1 },
    ]);
    const joined = ds.sqlite.prepare('select urgency, category, join_reason from messages where join_reason is not null order by id').all();
    expect(joined).toEqual([
      { urgency: 'critical', category: 'balance_missing_unauthorised', join_reason: 'thread' }, // A2
      { urgency: 'normal', category: 'top_up', join_reason: 'request_number' }, // B2
      { urgency: 'high', category: 'app_bug_outage', join_reason: 'conversation' }, // C2
      { urgency: 'critical', category: 'balance_missing_unauthorised', join_reason: 'near_duplicate' }, // D2
    ]);
  });
});

describe('2026-W43 in Asia/Jakarta', () => {
  it('period: Monday 00:00 WIB = Sunday 17:00 UTC, seven 24 h days', () => {
    expect(jakarta.period).toMatchObject({ label: '2026-W43', timeZone: 'Asia/Jakarta', from: '2026-10-19', to: '2026-10-25', start: '2026-10-18T17:00:00.000Z', end: '2026-10-25T17:00:00.000Z' });
    expect(jakarta.period.days.map((d) => d.hours)).toEqual([24, 24, 24, 24, 24, 24, 24]);
  });

  it('summary', () => {
    expect(jakarta.summary).toEqual({ newCases: 4, messages: 7, previousNewCases: 2, previousMessages: 2, absorbedMessages: 3, repeatContactCases: 4, slaBreaches: 2, openAtEnd: 3, bursts: 0 });
  });

  it('volume per day, channel, source, urgency and category (A at 04:30 and D at 23:59:59 local are in; E at 00:00 Monday is not)', () => {
    const v = jakarta.volume;
    expect(v.byDay).toEqual(byDay([[2, 2], [0, 1], [1, 2], [0, 1], [0, 0], [0, 0], [1, 1]]));
    expect(v.byDayChannel).toEqual(
      W43_DAYS.flatMap((date, i) => [
        { date, channel: 'email', ...[c(2, 2), c(0, 1), none, c(0, 1), none, none, c(1, 1)][i]! },
        { date, channel: 'x', ...[none, none, c(1, 2), none, none, none, none][i]! },
      ]),
    );
    expect(v.byChannel).toEqual([{ channel: 'email', ...c(3, 5) }, { channel: 'x', ...c(1, 2) }]);
    expect(v.bySource).toEqual([{ channel: 'email', source: 'care-inbox', ...c(3, 5) }, { channel: 'x', source: 'x-mentions', ...c(1, 2) }]);
    expect(v.byUrgency).toEqual([{ urgency: 'critical', ...c(2, 3) }, { urgency: 'high', ...c(1, 1) }, { urgency: 'normal', ...c(1, 3) }, { urgency: 'low', ...none }]);
    expect(v.byCategory).toEqual([
      { category: 'balance_missing_unauthorised', ...c(2, 3), previousNewCases: 0, previousMessages: 0, newCasesChange: 2 },
      { category: 'app_bug_outage', ...c(1, 2), previousNewCases: 1, previousMessages: 1, newCasesChange: 0 },
      { category: 'top_up', ...c(1, 2), previousNewCases: 0, previousMessages: 0, newCasesChange: 1 },
      { category: 'registration_kyc', ...none, previousNewCases: 1, previousMessages: 1, newCasesChange: -1 },
    ]);
  });

  it('first-response and resolution medians and p90 (linear interpolation), in minutes', () => {
    expect(jakarta.responsiveness.times).toEqual([
      rt('all', 'all', 4, 3, [120, 1176], 2, [4290, 6618]),
      rt('email', 'all', 3, 2, [75, 111], 2, [4290, 6618]),
      rt('x', 'all', 1, 1, [1440, 1440], 0, null),
      rt('all', 'critical', 2, 1, [30, 30], 1, [1380, 1380]),
      rt('all', 'high', 1, 1, [1440, 1440], 0, null),
      rt('all', 'normal', 1, 1, [120, 120], 1, [7200, 7200]),
      rt('all', 'low', 0, 0, null, 0, null),
    ]);
    expect(jakarta.responsiveness.firstResponseDistribution).toEqual(dist([0, 1, 1, 0, 1, 0, 1]));
  });

  it('SLA breaches: C (high, answered after 24 h, unresolved) and D (critical, unanswered); B resolved exactly at its deadline is not one', () => {
    const s = jakarta.slaBreaches;
    expect([s.count, s.firstResponse, s.resolution]).toEqual([2, 2, 2]);
    expect(s.byUrgency).toEqual([
      { urgency: 'critical', cases: 2, breached: 1, firstResponse: 1, resolution: 1 },
      { urgency: 'high', cases: 1, breached: 1, firstResponse: 1, resolution: 1 },
      { urgency: 'normal', cases: 1, breached: 0, firstResponse: 0, resolution: 0 },
      { urgency: 'low', cases: 0, breached: 0, firstResponse: 0, resolution: 0 },
    ]);
    expect(s.cases).toEqual([
      {
        requestNumber: ds.requestNumbers.C,
        channel: 'x',
        urgency: 'high',
        category: 'app_bug_outage',
        subject: null,
        status: 'open',
        firstContactAt: '2026-10-21T03:00:00.000Z',
        firstResponseDueAt: '2026-10-21T07:00:00.000Z',
        firstResponseAt: '2026-10-22T03:00:00.000Z',
        firstResponseBreached: true,
        resolutionDueAt: '2026-10-24T03:00:00.000Z',
        resolvedAt: null,
        resolutionBreached: true,
      },
      {
        requestNumber: ds.requestNumbers.D,
        channel: 'email',
        urgency: 'critical',
        category: 'balance_missing_unauthorised',
        subject: '余额不见了',
        status: 'new',
        firstContactAt: '2026-10-25T16:59:59.000Z',
        firstResponseDueAt: '2026-10-25T17:59:59.000Z',
        firstResponseAt: null,
        firstResponseBreached: true,
        resolutionDueAt: '2026-10-26T16:59:59.000Z',
        resolvedAt: null,
        resolutionBreached: true,
      },
    ]);
  });

  it('repeat contacts and absorbed duplicates (D2 is Monday in Jakarta: not absorbed this week)', () => {
    expect(jakarta.repeatContacts).toEqual({
      cases: 4,
      repeatCases: 4,
      share: 1,
      topReasons: [
        { category: 'balance_missing_unauthorised', cases: 2, repeatCases: 2, share: 1 },
        { category: 'app_bug_outage', cases: 1, repeatCases: 1, share: 1 },
        { category: 'top_up', cases: 1, repeatCases: 1, share: 1 },
      ],
      absorbed: [
        { reason: 'conversation', messages: 1 },
        { reason: 'request_number', messages: 1 },
        { reason: 'thread', messages: 1 },
      ],
    });
  });

  it('backlog at Sunday 24:00 WIB: C (4 d 14 h), D (1 s old) and H (13 d 7 h)', () => {
    expect(jakarta.backlog).toEqual({
      at: '2026-10-25T17:00:00.000Z',
      total: 3,
      rows: [
        { urgency: 'critical', total: 1, ...zeroBacklog, under1d: 1 },
        { urgency: 'high', total: 1, ...zeroBacklog, d3to7: 1 },
        { urgency: 'normal', total: 1, ...zeroBacklog, d7to14: 1 },
        { urgency: 'low', total: 0, ...zeroBacklog },
      ],
    });
  });

  it('themes with week-over-week change; incidents: none recorded, no burst', () => {
    expect(jakarta.themes).toEqual([
      theme('repeat_contact', 'repeat contact', 3, 0, null),
      theme('amount', 'amount', 2, 0, null),
      theme('money_missing', 'money missing', 2, 0, null),
      theme('unauthorised_transaction', 'unauthorised transaction', 2, 0, null),
      theme('problem', 'problem', 1, 1, 0),
      theme('service_problem', 'service problem', 1, 1, 0),
      theme('prolonged', 'prolonged', 1, 0, null),
      theme('waiting', 'waiting', 1, 0, null),
    ]);
    expect(jakarta.incidents).toMatchObject({ recorded: false, bursts: [] });
  });
});

describe('2026-W43 in Europe/Amsterdam (clocks fall back on its Sunday)', () => {
  it('period: Monday 00:00 CEST = Sunday 22:00 UTC; Sunday 25 October has 25 hours', () => {
    expect(amsterdam.period).toMatchObject({ start: '2026-10-18T22:00:00.000Z', end: '2026-10-25T23:00:00.000Z' });
    expect(amsterdam.period.days.map((d) => d.hours)).toEqual([24, 24, 24, 24, 24, 24, 25]);
    expect(amsterdam.period.previous).toEqual({ from: '2026-10-12', to: '2026-10-18', start: '2026-10-11T22:00:00.000Z', end: '2026-10-18T22:00:00.000Z' });
  });

  it('summary', () => {
    expect(amsterdam.summary).toEqual({ newCases: 5, messages: 9, previousNewCases: 3, previousMessages: 3, absorbedMessages: 4, repeatContactCases: 3, slaBreaches: 4, openAtEnd: 5, bursts: 0 });
  });

  it('volume: B at 00:00 Monday and F at 23:30 CET Sunday are in; A (Sunday 23:30 CEST) and G (00:00 Monday CET) are not', () => {
    const v = amsterdam.volume;
    expect(v.byDay).toEqual(byDay([[1, 1], [0, 1], [1, 2], [0, 1], [0, 0], [0, 0], [3, 4]]));
    expect(v.byDayChannel).toEqual(
      W43_DAYS.flatMap((date, i) => [
        { date, channel: 'email', ...[c(1, 1), c(0, 1), none, c(0, 1), none, none, c(2, 3)][i]! },
        { date, channel: 'x', ...[none, none, c(1, 2), none, none, none, c(1, 1)][i]! },
      ]),
    );
    expect(v.byChannel).toEqual([{ channel: 'email', ...c(3, 6) }, { channel: 'x', ...c(2, 3) }]);
    expect(v.bySource).toEqual([{ channel: 'email', source: 'care-inbox', ...c(3, 6) }, { channel: 'x', source: 'x-mentions', ...c(2, 3) }]);
    expect(v.byUrgency).toEqual([{ urgency: 'critical', ...c(1, 3) }, { urgency: 'high', ...c(2, 2) }, { urgency: 'normal', ...c(1, 3) }, { urgency: 'low', ...c(1, 1) }]);
    expect(v.byCategory).toEqual([
      { category: 'balance_missing_unauthorised', ...c(1, 3), previousNewCases: 1, previousMessages: 1, newCasesChange: 0 },
      { category: 'app_bug_outage', ...c(1, 2), previousNewCases: 1, previousMessages: 1, newCasesChange: 0 },
      { category: 'top_up', ...c(1, 2), previousNewCases: 0, previousMessages: 0, newCasesChange: 1 },
      { category: 'account_access', ...c(1, 1), previousNewCases: 0, previousMessages: 0, newCasesChange: 1 },
      { category: 'promotion_cashback', ...c(1, 1), previousNewCases: 0, previousMessages: 0, newCasesChange: 1 },
      { category: 'registration_kyc', ...none, previousNewCases: 1, previousMessages: 1, newCasesChange: -1 },
    ]);
  });

  it('response times', () => {
    expect(amsterdam.responsiveness.times).toEqual([
      rt('all', 'all', 5, 3, [270, 1206], 2, [4320, 6624]),
      rt('email', 'all', 3, 1, [120, 120], 1, [7200, 7200]),
      rt('x', 'all', 2, 2, [855, 1323], 1, [1440, 1440]),
      rt('all', 'critical', 1, 0, null, 0, null),
      rt('all', 'high', 2, 2, [855, 1323], 1, [1440, 1440]),
      rt('all', 'normal', 1, 1, [120, 120], 1, [7200, 7200]),
      rt('all', 'low', 1, 0, null, 0, null),
    ]);
    expect(amsterdam.responsiveness.firstResponseDistribution).toEqual(dist([0, 0, 1, 1, 1, 0, 2]));
  });

  it('SLA breaches: C, D, E (answered 30 min late) and F (low, unanswered after 3 days; its resolution is not yet due)', () => {
    const s = amsterdam.slaBreaches;
    expect([s.count, s.firstResponse, s.resolution]).toEqual([4, 4, 2]);
    expect(s.byUrgency).toEqual([
      { urgency: 'critical', cases: 1, breached: 1, firstResponse: 1, resolution: 1 },
      { urgency: 'high', cases: 2, breached: 2, firstResponse: 2, resolution: 1 },
      { urgency: 'normal', cases: 1, breached: 0, firstResponse: 0, resolution: 0 },
      { urgency: 'low', cases: 1, breached: 1, firstResponse: 1, resolution: 0 },
    ]);
    expect(s.cases.map((b) => b.requestNumber)).toEqual([ds.requestNumbers.C, ds.requestNumbers.D, ds.requestNumbers.E, ds.requestNumbers.F]);
    expect(s.cases[2]).toEqual({
      requestNumber: ds.requestNumbers.E,
      channel: 'x',
      urgency: 'high',
      category: 'account_access',
      subject: null,
      status: 'resolved',
      firstContactAt: '2026-10-25T17:00:00.000Z',
      firstResponseDueAt: '2026-10-25T21:00:00.000Z',
      firstResponseAt: '2026-10-25T21:30:00.000Z',
      firstResponseBreached: true,
      resolutionDueAt: '2026-10-28T17:00:00.000Z',
      resolvedAt: '2026-10-26T17:00:00.000Z',
      resolutionBreached: false,
    });
    expect(s.cases[3]).toMatchObject({ subject: INJECTION_SUBJECT, firstResponseDueAt: '2026-10-28T22:30:00.000Z', resolutionDueAt: '2026-11-04T22:30:00.000Z', firstResponseBreached: true, resolutionBreached: false });
  });

  it('repeat contacts and absorbed duplicates (all four rules this week)', () => {
    expect(amsterdam.repeatContacts).toEqual({
      cases: 5,
      repeatCases: 3,
      share: 0.6,
      topReasons: [
        { category: 'app_bug_outage', cases: 1, repeatCases: 1, share: 1 },
        { category: 'balance_missing_unauthorised', cases: 1, repeatCases: 1, share: 1 },
        { category: 'top_up', cases: 1, repeatCases: 1, share: 1 },
      ],
      absorbed: [
        { reason: 'conversation', messages: 1 },
        { reason: 'near_duplicate', messages: 1 },
        { reason: 'request_number', messages: 1 },
        { reason: 'thread', messages: 1 },
      ],
    });
  });

  it('backlog at Monday 00:00 CET: E counts as open (resolved the next day), G (contacted at that instant) does not', () => {
    expect(amsterdam.backlog).toEqual({
      at: '2026-10-25T23:00:00.000Z',
      total: 5,
      rows: [
        { urgency: 'critical', total: 1, ...zeroBacklog, under1d: 1 },
        { urgency: 'high', total: 2, ...zeroBacklog, under1d: 1, d3to7: 1 },
        { urgency: 'normal', total: 1, ...zeroBacklog, d7to14: 1 },
        { urgency: 'low', total: 1, ...zeroBacklog, under1d: 1 },
      ],
    });
  });

  it('themes against the previous week (A and H fall in it here)', () => {
    expect(amsterdam.themes).toEqual([
      theme('repeat_contact', 'repeat contact', 3, 0, null),
      theme('prolonged', 'prolonged', 2, 0, null),
      theme('problem', 'problem', 1, 2, -0.5),
      theme('amount', 'amount', 1, 1, 0),
      theme('money_missing', 'money missing', 1, 1, 0),
      theme('service_problem', 'service problem', 1, 1, 0),
      theme('unauthorised_transaction', 'unauthorised transaction', 1, 1, 0),
      theme('account_blocked', 'account blocked', 1, 0, null),
      theme('waiting', 'waiting', 1, 0, null),
    ]);
  });
});

describe('as of the report clock', () => {
  it('a report made during the week counts open cases at its clock and does not call future deadlines breached', async () => {
    const midweek = new Date('2026-10-21T04:00:00Z'); // Wednesday 11:00 in Jakarta
    const r = await generateWeeklyReport(ds.repository, weekPeriod('2026-W43', 'Asia/Jakarta'), SLA, midweek);
    expect(r.backlog.at).toBe('2026-10-21T04:00:00.000Z');
    // C (contacted 03:00, high: first answer due 07:00) is not breached yet at 04:00.
    expect(r.slaBreaches.cases.map((b) => b.requestNumber)).not.toContain(ds.requestNumbers.C);
  });
});
