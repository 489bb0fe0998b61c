import { describe, expect, it } from 'vitest';
import { DutyRoster, DutyRosterError } from '../../src/cases/duty-roster.js';
import { loadConfig } from '../../src/config.js';

const ROSTER = 'mon-fri 08:30-17:30 U0DAY1 U0DAY2; sat,sun 08:30-17:30 U0WEEKEND; daily 17:30-08:30 U0NIGHT';
const at = (iso: string) => new Date(iso);

describe('duty roster', () => {
  const roster = DutyRoster.parse(ROSTER);

  it('finds who is on duty in the office time zone', () => {
    // 2026-03-02 is a Monday. 09:00 in Shanghai is 01:00 UTC.
    expect(roster.onDutyAt(at('2026-03-02T01:00:00Z'), 'Asia/Shanghai')).toEqual(['U0DAY1', 'U0DAY2']);
    // The same moment in London is 01:00 on Monday night: the night shift that began on Sunday.
    expect(roster.onDutyAt(at('2026-03-02T01:00:00Z'), 'Europe/London')).toEqual(['U0NIGHT']);
    expect(roster.onDutyAt(at('2026-03-07T02:00:00Z'), 'Asia/Shanghai')).toEqual(['U0WEEKEND']);
  });

  it('counts a shift past midnight to the day it starts, and ends shifts at their end minute', () => {
    const nights = DutyRoster.parse('fri 22:00-06:00 U0FRI');
    // Friday 2026-03-06 23:00 and Saturday 05:59 local are on; Saturday 06:00 and Friday 05:00 are not.
    expect(nights.onDutyAt(at('2026-03-06T23:00:00Z'), 'UTC')).toEqual(['U0FRI']);
    expect(nights.onDutyAt(at('2026-03-07T05:59:00Z'), 'UTC')).toEqual(['U0FRI']);
    expect(nights.onDutyAt(at('2026-03-07T06:00:00Z'), 'UTC')).toEqual([]);
    expect(nights.onDutyAt(at('2026-03-06T05:00:00Z'), 'UTC')).toEqual([]);
    expect(DutyRoster.parse('mon 00:00-24:00 U0ALL').onDutyAt(at('2026-03-02T23:59:00Z'), 'UTC')).toEqual(['U0ALL']);
  });

  it('reads day ranges that wrap, lists and commas between people, each person once', () => {
    const r = DutyRoster.parse('fri-mon 10:00-11:00 U0A,U0B\nsun 10:00-12:00 U0A');
    expect(r.onDutyAt(at('2026-03-08T10:30:00Z'), 'UTC')).toEqual(['U0A', 'U0B']); // a Sunday
    expect(r.onDutyAt(at('2026-03-04T10:30:00Z'), 'UTC')).toEqual([]); // a Wednesday
    expect(DutyRoster.parse('').onDutyAt(at('2026-03-04T10:30:00Z'), 'UTC')).toEqual([]);
  });

  it.each([
    ['someday 08:00-17:00 U0A', /not a list of days/],
    ['mon 8-17 U0A', /expected "<days> <HH:MM>-<HH:MM> <who>"/],
    ['mon 08:00-25:00 U0A', /not a time of day/],
    ['mon 08:00-08:00 U0A', /cannot start and end at the same time/],
    ['mon 08:00-17:00', /nobody is named/],
    ['mon 08:00-17:00 @zhang', /not a Slack user id/],
  ])('refuses "%s" with a clear error', (text, message) => {
    expect(() => DutyRoster.parse(text)).toThrow(DutyRosterError);
    expect(() => DutyRoster.parse(text)).toThrow(message);
  });

  it('is checked when the hub starts: a bad roster stops it with the reason', () => {
    expect(() => loadConfig({ DUTY_ROSTER: 'mon 08:00 U0A' })).toThrow(/DUTY_ROSTER: "mon 08:00 U0A": expected/);
    expect(loadConfig({ DUTY_ROSTER: ROSTER }).DUTY_ROSTER).toBe(ROSTER);
  });
});
