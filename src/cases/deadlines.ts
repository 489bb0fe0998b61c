const DAY_MS = 24 * 60 * 60 * 1000;

/** Due dates from the filing time (calendar days; configurable lengths). */
export function dueDates(from: Date, acceptanceDays: number, resolutionDays: number) {
  return {
    acceptanceDueAt: new Date(from.getTime() + acceptanceDays * DAY_MS),
    resolutionDueAt: new Date(from.getTime() + resolutionDays * DAY_MS),
  };
}
