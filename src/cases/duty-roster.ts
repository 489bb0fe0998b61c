/**
 * Who is on duty when, for emergencies, in the office's time zone. Written in configuration as
 * shifts separated by ";" or new lines, each "<days> <HH:MM>-<HH:MM> <who> [<who> …]":
 *
 *   mon-fri 08:30-17:30 U0AAA U0BBB; sat,sun 08:30-17:30 U0CCC; daily 17:30-08:30 U0DDD
 *
 * Days are mon … sun, ranges (mon-fri, fri-mon), lists (sat,sun), or "daily". A shift whose end is
 * before its start runs past midnight and belongs to the day it starts on; 24:00 ends at midnight.
 * Who: the officers' Slack user ids (U…/W…), paged by mention and direct message.
 */
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const MINUTES_PER_DAY = 24 * 60;

export interface Shift {
  /** Days the shift starts on, 0 = Monday. */
  days: ReadonlySet<number>;
  /** Minutes after local midnight. */
  start: number;
  end: number;
  who: readonly string[];
}

export class DutyRosterError extends Error {}

function parseDays(text: string): Set<number> {
  if (text === 'daily' || text === '*') return new Set(DAYS.map((_, i) => i));
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const [from, to] = part.split('-').map((d) => DAYS.indexOf(d as (typeof DAYS)[number]));
    if (from === undefined || from < 0 || (to !== undefined && to < 0) || part.split('-').length > 2) {
      throw new DutyRosterError(`"${text}" is not a list of days (mon … sun, mon-fri, sat,sun or daily)`);
    }
    const last = to ?? from;
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (d === last) break;
    }
  }
  return days;
}

function parseTime(text: string, allowMidnightEnd: boolean): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(text);
  const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  const valid = m !== null && Number(m[2]) < 60 && (minutes < MINUTES_PER_DAY || (allowMidnightEnd && minutes === MINUTES_PER_DAY));
  if (!valid) throw new DutyRosterError(`"${text}" is not a time of day (HH:MM)`);
  return minutes;
}

function parseShift(line: string): Shift {
  const [days, hours, ...rest] = line.trim().split(/\s+/);
  const range = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/.exec(hours ?? '');
  if (!days || !range) throw new DutyRosterError(`"${line.trim()}": expected "<days> <HH:MM>-<HH:MM> <who>"`);
  const start = parseTime(range[1], false);
  const end = parseTime(range[2], true);
  if (start === end) throw new DutyRosterError(`"${line.trim()}": a shift cannot start and end at the same time`);
  const who = rest.flatMap((w) => w.split(',')).filter(Boolean);
  if (!who.length) throw new DutyRosterError(`"${line.trim()}": nobody is named for this shift`);
  const bad = who.find((p) => !/^[UW][A-Z0-9]{2,}$/.test(p));
  if (bad) throw new DutyRosterError(`"${bad}" is not a Slack user id (U… or W…)`);
  return { days: parseDays(days.toLowerCase()), start, end, who };
}

export class DutyRoster {
  private constructor(readonly shifts: readonly Shift[]) {}

  /** Throws DutyRosterError, naming the part it could not read. */
  static parse(text: string | undefined): DutyRoster {
    const lines = (text ?? '').split(/[;\n]/).filter((l) => l.trim());
    return new DutyRoster(lines.map(parseShift));
  }


  /** Who is on duty at `at`, in `timeZone` (an IANA name), each once, in roster order. */
  onDutyAt(at: Date, timeZone: string): string[] {
    const { day, minutes } = localDayAndMinutes(at, timeZone);
    const previous = (day + 6) % 7;
    const on = new Set<string>();
    for (const s of this.shifts) {
      const within =
        s.start < s.end
          ? s.days.has(day) && minutes >= s.start && minutes < s.end
          : (s.days.has(day) && minutes >= s.start) || (s.days.has(previous) && minutes < s.end);
      if (within) for (const w of s.who) on.add(w);
    }
    return [...on];
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localDayAndMinutes(at: Date, timeZone: string): { day: number; minutes: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const day = DAYS.indexOf(String(parts.weekday).toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
  return { day, minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}
