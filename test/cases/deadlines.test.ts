import { describe, expect, it } from 'vitest';
import { addDays, DeadlinePolicy, type WorkCalendar } from '../../src/cases/deadlines.js';
import { isIsoDate, localDate } from '../../src/util/local-date.js';

const SHANGHAI: WorkCalendar = { kind: 'working', timeZone: 'Asia/Shanghai' };
const CALENDAR: WorkCalendar = { kind: 'calendar', timeZone: 'Asia/Shanghai' };
// National Day week as a holiday schedule would publish it: five weekday holidays, one Saturday worked.
const GOLDEN_WEEK: WorkCalendar = {
  ...SHANGHAI,
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  workdays: ['2026-10-10'],
};

describe('deadlines in calendar days', () => {
  it('adds whole days to the moment of filing, as before', () => {
    const filed = new Date('2026-03-02T08:00:00Z');
    expect(addDays(filed, 15, CALENDAR).toISOString()).toBe('2026-03-17T08:00:00.000Z');
    const policy = new DeadlinePolicy({ acceptanceDays: 15, resolutionDays: 60, extensionMaxDays: 30 }, CALENDAR);
    expect(policy.dueDates(filed)).toEqual({ acceptanceDueAt: new Date('2026-03-17T08:00:00Z'), resolutionDueAt: new Date('2026-05-01T08:00:00Z') });
    expect(policy.extended(new Date('2026-05-01T08:00:00Z'), 30).toISOString()).toBe('2026-05-31T08:00:00.000Z');
  });
});

describe('deadlines in working days', () => {
  it('skips weekends, counting from the next day, due at the same time of day', () => {
    // Friday 18:00 in Shanghai: the first working day after it is Monday.
    const friday = new Date('2026-03-06T10:00:00Z');
    expect(addDays(friday, 1, SHANGHAI).toISOString()).toBe('2026-03-09T10:00:00.000Z');
    expect(addDays(friday, 5, SHANGHAI).toISOString()).toBe('2026-03-13T10:00:00.000Z');
    // Monday + 15 working days = three weeks.
    expect(addDays(new Date('2026-03-02T08:00:00Z'), 15, SHANGHAI).toISOString()).toBe('2026-03-23T08:00:00.000Z');
  });

  it('skips configured holidays and counts make-up working days', () => {
    const filed = new Date('2026-09-30T02:00:00Z'); // Wednesday 10:00 in Shanghai
    expect(addDays(filed, 3, GOLDEN_WEEK).toISOString()).toBe('2026-10-10T02:00:00.000Z');
    expect(addDays(filed, 3, { ...GOLDEN_WEEK, workdays: [] }).toISOString()).toBe('2026-10-12T02:00:00.000Z');
    expect(addDays(filed, 3, SHANGHAI).toISOString()).toBe('2026-10-05T02:00:00.000Z');
  });

  it('decides the day in the hub time zone, not the server one', () => {
    // 17:00 UTC on Friday is already Saturday 01:00 in Shanghai.
    const late = new Date('2026-03-06T17:00:00Z');
    expect(localDate(late, 'Asia/Shanghai')).toBe('2026-03-07');
    expect(addDays(late, 1, SHANGHAI).toISOString()).toBe('2026-03-08T17:00:00.000Z'); // Monday 01:00 in Shanghai
    expect(addDays(late, 1, { kind: 'working', timeZone: 'UTC' }).toISOString()).toBe('2026-03-09T17:00:00.000Z');
  });

  it('extends the answer period by working days after the current due date', () => {
    const policy = new DeadlinePolicy({ acceptanceDays: 15, resolutionDays: 60, extensionMaxDays: 30 }, GOLDEN_WEEK);
    expect(policy.extended(new Date('2026-09-30T02:00:00Z'), 3).toISOString()).toBe('2026-10-10T02:00:00.000Z');
  });
});

describe('dates in configuration', () => {
  it.each([
    ['2026-10-01', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-01', false],
    ['20261001', false],
  ])('%s is a date: %s', (text, valid) => {
    expect(isIsoDate(text)).toBe(valid);
  });
});
