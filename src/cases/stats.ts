import type { Db } from '../db/client.js';
import type { RoutingTable } from './routing-defaults.js';
import { ANSWER_DUE, STATUSES } from './status-machine.js';

/** Cases filed at or after `from` and before `to`. */
export interface StatsFilter {
  from?: Date;
  to?: Date;
}

export interface CaseStats {
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  byDepartment: Record<string, number>;
  /** Open cases past the deadline that applies to them now. */
  overdue: number;
  /** From filing to the (first) acceptance / resolution, over the cases that got there. */
  medianHoursToAcceptance: number | null;
  medianHoursToResolution: number | null;
  /** From the follow-up ratings (case events `feedback`, data `{rating: 1..5}`): the latest per case. */
  satisfaction: { rated: number; satisfied: number; rate: number | null };
}

/** A rating of 4 or 5 counts as satisfied. */
const SATISFIED_FROM = 4;
const HOUR_MS = 3_600_000;

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (n: number | null, places: number) => (n === null ? null : Number(n.toFixed(places)));

/** Every known key at 0 (a dashboard should not lose a row when it empties), then the counts. */
function tally(keys: readonly string[], rows: { key: string; count: number }[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(keys.map((k) => [k, 0]));
  for (const r of rows) out[r.key] = (out[r.key] ?? 0) + r.count;
  return out;
}

function rating(data: string | null): number | null {
  if (!data) return null;
  try {
    const value = (JSON.parse(data) as { rating?: unknown }).rating;
    return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
  } catch {
    return null;
  }
}

/** Hours from filing to the first event of `type`, per case that has one. */
function hoursToFirst(events: { caseId: string; type: string; createdAt: Date; case: { createdAt: Date } }[], type: string): number[] {
  const first = new Map<string, number>();
  for (const e of events) {
    if (e.type !== type) continue;
    const hours = (e.createdAt.getTime() - e.case.createdAt.getTime()) / HOUR_MS;
    const seen = first.get(e.caseId);
    if (seen === undefined || hours < seen) first.set(e.caseId, hours);
  }
  return [...first.values()];
}

/** Figures for supervisors, computed from the cases and their events (Prisma, so on either database). */
export async function caseStats(db: Db, routing: RoutingTable, now: Date, filter: StatsFilter = {}): Promise<CaseStats> {
  const filed = { createdAt: { gte: filter.from, lt: filter.to } };
  const count = { _count: { _all: true } } as const;
  const [byStatus, byCategory, byDepartment, overdue, times, feedback] = await Promise.all([
    db.case.groupBy({ by: ['status'], where: filed, ...count }),
    db.case.groupBy({ by: ['category'], where: filed, ...count }),
    db.case.groupBy({ by: ['department'], where: filed, ...count }),
    db.case.count({
      where: {
        ...filed,
        OR: [
          { status: 'submitted', acceptanceDueAt: { lte: now } },
          { status: { in: [...ANSWER_DUE] }, resolutionDueAt: { lte: now } },
        ],
      },
    }),
    db.caseEvent.findMany({
      where: { type: { in: ['accept', 'resolve'] }, case: filed },
      select: { caseId: true, type: true, createdAt: true, case: { select: { createdAt: true } } },
    }),
    db.caseEvent.findMany({ where: { type: 'feedback', case: filed }, select: { caseId: true, data: true }, orderBy: { createdAt: 'asc' } }),
  ]);
  // A petitioner who rates again (after a review) is counted by their latest rating.
  const latest = new Map<string, number>();
  for (const f of feedback) {
    const r = rating(f.data);
    if (r !== null) latest.set(f.caseId, r);
  }
  const rated = latest.size;
  const satisfied = [...latest.values()].filter((r) => r >= SATISFIED_FROM).length;
  return {
    byStatus: tally(STATUSES, byStatus.map((r) => ({ key: r.status, count: r._count._all }))),
    byCategory: tally(Object.keys(routing.categories), byCategory.map((r) => ({ key: r.category, count: r._count._all }))),
    byDepartment: tally(Object.keys(routing.departments), byDepartment.map((r) => ({ key: r.department, count: r._count._all }))),
    overdue,
    medianHoursToAcceptance: round(median(hoursToFirst(times, 'accept')), 2),
    medianHoursToResolution: round(median(hoursToFirst(times, 'resolve')), 2),
    satisfaction: { rated, satisfied, rate: rated ? round(satisfied / rated, 4) : null },
  };
}
