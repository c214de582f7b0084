/**
 * Who wrote what when, for a synthetic database, decided before anything is written: cases with
 * their first contact, channel, customer, status and number of messages (1 to 5); each message's
 * sending time and follow-up kind. Pure: the same options and seed give the same plan. Kept in
 * typed arrays, so a plan for millions of messages costs tens of megabytes.
 *
 * Shapes a care team sees: contacts follow office hours and weekdays; follow-ups come within
 * hours (an impatient re-send), days, or after a week of waiting; the older a case, the likelier
 * it is resolved; an incident week (optional) packs many more contacts into seven days.
 */

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** Messages per case: 1..5, mean 2.5 (index = count). */
const CONTACT_WEIGHTS = [0, 0.3, 0.25, 0.2, 0.13, 0.12];

export const STATUSES = ['new', 'open', 'waiting', 'resolved', 'closed'] as const;
export type PlannedStatus = (typeof STATUSES)[number];

/** How a follow-up found its case, as dedupe would record it. */
export const JOINS = ['first', 'thread', 'request_number', 'conversation', 'near_duplicate'] as const;

export interface PlanOptions {
  messages: number;
  cases: number;
  /** End of the period (ms, exclusive) and its length in days. */
  endMs: number;
  days: number;
  /** Messages that fall in the seven days from `startMs` (their cases open that week). */
  denseWeek: { messages: number; startMs: number } | null;
  /** Share of cases that come by email (the rest from X). */
  emailShare: number;
}

export interface Plan {
  caseCount: number;
  messageCount: number;
  /** Per case, in id order (= order of first contact). */
  cases: {
    firstAt: Float64Array;
    /** 0 email, 1 x. */
    channel: Uint8Array;
    customer: Uint32Array;
    /** Index into STATUSES. */
    status: Uint8Array;
    /** The case's messages are [firstMessage, firstMessage + count) in the per-case arrays. */
    firstMessage: Uint32Array;
    count: Uint8Array;
  };
  /** Per message, grouped by case and in sending order within a case. */
  messages: {
    sentAt: Float64Array;
    case: Uint32Array;
    /** Index into JOINS. */
    join: Uint8Array;
  };
  /** Message indexes in sending order: row id of message `order[k]` is k + 1. */
  order: Uint32Array;
  rowId: Uint32Array;
  /** Distinct customers per channel (customer ids are below these). */
  customers: { email: number; x: number };
}

/** Contact counts (1..5) for `cases` cases that add up to exactly `messages`. */
function contactCounts(cases: number, messages: number, rand: () => number): Uint8Array {
  if (cases === 0) {
    if (messages !== 0) throw new Error(`${messages} messages cannot go into 0 cases`);
    return new Uint8Array(0);
  }
  if (messages < cases || messages > cases * 5) {
    throw new Error(`${messages} messages in ${cases} cases: a case has 1 to 5 messages (mean between 1 and 5)`);
  }
  const counts = new Uint8Array(cases);
  let total = 0;
  for (let i = 0; i < cases; i++) {
    let r = rand();
    let n = 1;
    while (n < 5 && r >= CONTACT_WEIGHTS[n]!) r -= CONTACT_WEIGHTS[n++]!;
    counts[i] = n;
    total += n;
  }
  // Nudge random cases up or down until the total is exact; the shape stays close to the weights.
  while (total !== messages) {
    const i = Math.floor(rand() * cases);
    if (total < messages && counts[i]! < 5) {
      counts[i]!++;
      total++;
    } else if (total > messages && counts[i]! > 1) {
      counts[i]!--;
      total--;
    }
  }
  return counts;
}

/** A contact time (whole ms) in [from, to): busier in office hours (UTC+7) and on weekdays. */
function contactTime(from: number, to: number, rand: () => number): number {
  for (;;) {
    const t = from + rand() * (to - from);
    const local = new Date(t + 7 * HOUR_MS);
    const hour = local.getUTCHours();
    const weekday = local.getUTCDay() !== 0 && local.getUTCDay() !== 6;
    const weight = (hour >= 8 && hour < 21 ? 1 : hour >= 6 && hour < 24 ? 0.45 : 0.12) * (weekday ? 1 : 0.7);
    if (rand() < weight) return Math.floor(t);
  }
}

/** Time from one contact of a case to the next. */
function followUpGap(rand: () => number): number {
  const r = rand();
  if (r < 0.4) return HOUR_MS * (0.25 + rand() * 6); // re-sent the same day
  if (r < 0.8) return HOUR_MS * (6 + rand() * 66); // the next days
  return DAY_MS * (3 + rand() * 11); // after waiting
}

function statusFor(ageMs: number, rand: () => number): number {
  // [new, open, waiting, resolved, closed]
  const weights = ageMs < 2 * DAY_MS ? [0.7, 0.25, 0.05, 0, 0] : ageMs < 14 * DAY_MS ? [0.45, 0.35, 0.1, 0.07, 0.03] : [0.35, 0.3, 0.08, 0.17, 0.1];
  let r = rand();
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return 0;
}

export function buildPlan(o: PlanOptions, rand: () => number): Plan {
  const startMs = o.endMs - o.days * DAY_MS;
  const dense = o.denseWeek;
  if (dense && (dense.startMs < startMs || dense.startMs + 7 * DAY_MS > o.endMs)) throw new Error('the dense week must lie within the period');
  if (dense && dense.messages > o.messages) throw new Error('the dense week cannot hold more messages than the database');
  // The incident week's cases: the same share of the cases as its share of the messages.
  const denseCases = dense ? Math.max(dense.messages > 0 ? 1 : 0, Math.round((o.cases * dense.messages) / Math.max(1, o.messages))) : 0;
  const groups = [
    { cases: o.cases - denseCases, messages: o.messages - (dense?.messages ?? 0), from: startMs, to: o.endMs },
    ...(dense ? [{ cases: denseCases, messages: dense.messages, from: dense.startMs, to: dense.startMs + 7 * DAY_MS }] : []),
  ];

  // Draw every case with its group's window, then number cases in order of first contact.
  const drawn: { firstAt: number; count: number; to: number }[] = [];
  for (const g of groups) {
    const counts = contactCounts(g.cases, g.messages, rand);
    for (let i = 0; i < g.cases; i++) drawn.push({ firstAt: contactTime(g.from, g.to, rand), count: counts[i]!, to: g.to });
  }
  drawn.sort((a, b) => a.firstAt - b.firstAt);

  const C = drawn.length;
  const M = o.messages;
  const customers = { email: Math.max(1, Math.round(C * o.emailShare * 0.8)), x: Math.max(1, Math.round(C * (1 - o.emailShare) * 0.8)) };
  const cases = {
    firstAt: new Float64Array(C),
    channel: new Uint8Array(C),
    customer: new Uint32Array(C),
    status: new Uint8Array(C),
    firstMessage: new Uint32Array(C),
    count: new Uint8Array(C),
  };
  const messages = { sentAt: new Float64Array(M), case: new Uint32Array(M), join: new Uint8Array(M) };
  let m = 0;
  for (let c = 0; c < C; c++) {
    const d = drawn[c]!;
    const channel = rand() < o.emailShare ? 0 : 1;
    cases.firstAt[c] = d.firstAt;
    cases.channel[c] = channel;
    cases.customer[c] = Math.floor(rand() * (channel === 0 ? customers.email : customers.x));
    cases.firstMessage[c] = m;
    cases.count[c] = d.count;
    let at = d.firstAt;
    for (let j = 0; j < d.count; j++, m++) {
      // Near the end of the window, later contacts squeeze in before it (never before the previous one).
      if (j > 0) at = Math.max(at, Math.min(at + followUpGap(rand), d.to - 1 - rand() * HOUR_MS * (d.count - j)));
      messages.sentAt[m] = Math.floor(at);
      messages.case[m] = c;
      const r = rand();
      // Email follow-ups reply in the thread or quote the number; posts stay in the conversation.
      messages.join[m] = j === 0 ? 0 : channel === 0 ? (r < 0.6 ? 1 : r < 0.9 ? 2 : 4) : r < 0.8 ? 3 : r < 0.9 ? 2 : 4;
    }
    cases.status[c] = statusFor(o.endMs - at, rand);
  }

  const order = new Uint32Array(M);
  for (let i = 0; i < M; i++) order[i] = i;
  order.sort((a, b) => messages.sentAt[a]! - messages.sentAt[b]! || a - b);
  const rowId = new Uint32Array(M);
  for (let k = 0; k < M; k++) rowId[order[k]!] = k + 1;
  return { caseCount: C, messageCount: M, cases, messages, order, rowId, customers };
}
