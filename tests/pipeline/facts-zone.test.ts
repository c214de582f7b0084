import { describe, expect, it } from 'vitest';
import { addDays, localDateTime, startOfLocalDay } from '../../src/pipeline/facts/zone.js';

function fromIntl(instant: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute') };
}

describe('localDateTime', () => {
  it.each([
    // Zones with daylight saving (some on half hours) around their 2026 changes, and fixed ones.
    ['Europe/Amsterdam', '2026-10-24T22:00:00Z'],
    ['Europe/Amsterdam', '2026-03-28T22:00:00Z'],
    ['America/St_Johns', '2026-11-01T00:00:00Z'],
    ['Australia/Lord_Howe', '2026-04-04T12:00:00Z'],
    ['Asia/Kathmandu', '2026-11-25T12:00:00Z'],
    ['Asia/Jakarta', '2026-12-31T12:00:00Z'],
  ])('agrees with Intl minute by minute in %s from %s', (timeZone, from) => {
    const start = new Date(from).getTime();
    // Every 7 minutes for 6 hours: crosses the change and several cached quarter hours.
    for (let ms = start; ms < start + 6 * 3_600_000; ms += 7 * 60_000) {
      const instant = new Date(ms);
      expect(localDateTime(instant, timeZone), instant.toISOString()).toEqual(fromIntl(instant, timeZone));
    }
  });

  it('moves whole days across month and year ends', () => {
    expect(addDays({ year: 2026, month: 12, day: 31 }, 1)).toEqual({ year: 2027, month: 1, day: 1 });
    expect(addDays({ year: 2028, month: 3, day: 1 }, -1)).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it.each([
    // Jakarta (UTC+7): 03:00 on the 18th local is 20:00Z on the 17th.
    ['Asia/Jakarta', '2026-11-17T20:00:00Z', '2026-11-17T17:00:00.000Z'],
    ['Asia/Jakarta', '2026-11-17T16:59:00Z', '2026-11-16T17:00:00.000Z'],
    // The day DST starts (02:00 -> 03:00): midnight was still at +1.
    ['Europe/Amsterdam', '2026-03-29T20:00:00Z', '2026-03-28T23:00:00.000Z'],
    // The day DST ends: midnight was at +2.
    ['Europe/Amsterdam', '2026-10-25T20:00:00Z', '2026-10-24T22:00:00.000Z'],
    // Sao Paulo 2018-11-04: clocks jumped from 00:00 to 01:00, so the day began at 01:00 (-02).
    ['America/Sao_Paulo', '2018-11-04T15:00:00Z', '2018-11-04T03:00:00.000Z'],
    ['Asia/Kathmandu', '2026-11-25T12:00:00Z', '2026-11-24T18:15:00.000Z'],
  ])('startOfLocalDay in %s at %s is %s', (timeZone, at, expected) => {
    expect(startOfLocalDay(new Date(at), timeZone).toISOString()).toBe(expected);
  });
});
