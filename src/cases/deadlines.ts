import type { Config } from '../config.js';
import type { DayKind } from '../domain.js';
import { localDate } from '../util/local-date.js';

const DAY_MS = 24 * 60 * 60 * 1000;


export interface WorkCalendar {
  kind: DayKind;
  /** IANA zone whose dates decide what a working day is (the hub's time zone). */
  timeZone: string;
  /** YYYY-MM-DD dates that are not working days although they fall on Monday to Friday. */
  holidays?: readonly string[];
  /** YYYY-MM-DD weekend dates worked to make up for a holiday (调休). */
  workdays?: readonly string[];
}

/** Plain date arithmetic on YYYY-MM-DD, free of time zones (the date is the zone's already). */
function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

function isWorkingDay(date: string, holidays: ReadonlySet<string>, workdays: ReadonlySet<string>): boolean {
  if (workdays.has(date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !holidays.has(date);
}

/**
 * `days` days after `from`: calendar days exactly, or working days counted from the next day (a
 * petition filed on Friday evening starts counting on Monday), due at the same time of day as `from`.
 */
export function addDays(from: Date, days: number, calendar: WorkCalendar): Date {
  if (calendar.kind === 'calendar') return new Date(from.getTime() + days * DAY_MS);
  const holidays = new Set(calendar.holidays ?? []);
  const workdays = new Set(calendar.workdays ?? []);
  let date = localDate(from, calendar.timeZone);
  let elapsed = 0;
  for (let counted = 0; counted < days; ) {
    date = nextDate(date);
    elapsed++;
    if (isWorkingDay(date, holidays, workdays)) counted++;
  }
  return new Date(from.getTime() + elapsed * DAY_MS);
}

export interface DeadlineLengths {
  acceptanceDays: number;
  resolutionDays: number;
  /** The one extension of the answer period may add at most this many days. */
  extensionMaxDays: number;
  /** A review (复查) may be requested within this many days of the answer (default 30). */
  reviewWindowDays?: number;
}

/** The configured time limits, counted in the configured kind of day. */
export class DeadlinePolicy {
  constructor(
    readonly lengths: DeadlineLengths,
    readonly calendar: WorkCalendar,
  ) {}

  /** At filing: acceptance is decided, and (provisionally, until acceptance) answered, within. */
  dueDates(from: Date): { acceptanceDueAt: Date; resolutionDueAt: Date } {
    return {
      acceptanceDueAt: addDays(from, this.lengths.acceptanceDays, this.calendar),
      resolutionDueAt: this.resolutionDue(from),
    };
  }

  resolutionDue(from: Date): Date {
    return addDays(from, this.lengths.resolutionDays, this.calendar);
  }

  extended(due: Date, days: number): Date {
    return addDays(due, days, this.calendar);
  }

  /** The last moment a review of an answer given at `answeredAt` may be requested. */
  reviewDue(answeredAt: Date): Date {
    return addDays(answeredAt, this.reviewWindowDays, this.calendar);
  }

  get reviewWindowDays(): number {
    return this.lengths.reviewWindowDays ?? 30;
  }
}

/** The policy a hub's configuration describes. */
export function deadlinePolicy(config: Config): DeadlinePolicy {
  return new DeadlinePolicy(
    {
      acceptanceDays: config.ACCEPTANCE_DAYS,
      resolutionDays: config.RESOLUTION_DAYS,
      extensionMaxDays: config.EXTENSION_MAX_DAYS,
      reviewWindowDays: config.REVIEW_WINDOW_DAYS,
    },
    { kind: config.DEADLINE_DAY_KIND, timeZone: config.TIME_ZONE, holidays: config.HOLIDAYS, workdays: config.MAKEUP_WORKDAYS },
  );
}
