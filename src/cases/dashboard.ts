import type { Db } from '../db/client.js';
import { dateFormat, localDate } from '../util/local-date.js';
import type { RoutingTable } from './routing-defaults.js';
import { ANSWER_DUE, OPEN_STATUSES } from './status-machine.js';

/**
 * The figures of the supervisors' dashboard in the console (GET /console/dashboard). Computed with
 * Prisma, so on either database; the queries read only the columns they need and count in SQL where
 * the database can (Prisma groupBy), the rest in memory over those columns.
 *
 * Three sets of cases are looked at:
 * - the period's cases: filed from the start of the oldest week shown (local Monday 00:00 in the
 *   time zone) up to `now` — weekly volumes, compliance, satisfaction and review rate;
 * - every case still open past its deadline, whenever it was filed — the overdue list;
 * - the last 14 / 7 days before `now` — emerging groups, top issues.
 * With `departments`, only cases whose (current) department is one of them count anywhere.
 */
export interface DashboardOptions {
  /** IANA zone whose calendar weeks (Monday start) and dates the figures use. */
  timeZone: string;
  /** How many weeks, the current one included (default 12). */
  weeks?: number;
  /** Department ids whose cases count; null or absent: every case. An empty list matches nothing. */
  departments?: readonly string[] | null;
}

export interface WeekFigures {
  /** The local date (YYYY-MM-DD) of the week's Monday. */
  start: string;
  /** Cases filed in the week, per category code / department id (every key of `categories` / `departments`, 0 included). */
  byCategory: Record<string, number>;
  byDepartment: Record<string, number>;
  total: number;
}

export interface Compliance {
  /** Cases the deadline applied to: it has passed, or the step was done (early or late). */
  due: number;
  /** Done by the deadline (at or before it). */
  onTime: number;
  /** due − onTime: done after the deadline, or not done and the deadline has passed. */
  late: number;
  /** onTime / due, 4 decimals; null when nothing was due. */
  rate: number | null;
}

export interface OverdueCase {
  trackingNumber: string;
  category: string;
  department: string;
  status: string;
  /** Which deadline is missed: acceptance (not accepted yet) or answer (accepted, not answered). */
  deadline: 'acceptance' | 'answer';
  dueAt: Date;
  /** Days begun since the deadline: 1 for anything up to 24 hours over, 2 up to 48, … */
  daysOver: number;
  urgency: string;
}

export interface EmergingGroup {
  id: string;
  category: string;
  /** Cases in the group (of the departments shown). */
  size: number;
  firstCaseAt: Date;
  latestCaseAt: Date;
  /** When the group was noticed. */
  createdAt: Date;
}

export interface TopIssue {
  category: string;
  /** Cases filed in the 7 days up to now. */
  count: number;
  /** Cases filed in the 7 days before those. */
  previous: number;
}

export interface DashboardFigures {
  now: Date;
  timeZone: string;
  /** The departments the figures are restricted to; null: all. */
  departmentFilter: string[] | null;
  /** The period's cases are those filed from `from` (local Monday 00:00 of the oldest week, `fromDate`) to now. */
  period: { from: Date; fromDate: string };
  /** Category codes and department ids the weekly figures have a key for, in routing-table order (then others seen). */
  categories: string[];
  departments: string[];
  /** Oldest first; the last is the current (partial) week. */
  weeks: WeekFigures[];
  /** Over the period's cases. */
  compliance: { acceptance: Compliance; answer: Compliance };
  /** Open cases past the deadline that applies now, most overdue first, at most OVERDUE_LIMIT. */
  overdue: OverdueCase[];
  /** How many open cases are overdue in all (the list may be cut at OVERDUE_LIMIT). */
  overdueCount: number;
  /** Over the period's cases rated in the follow-up: the latest rating per case; 4 or 5 is satisfied. */
  satisfaction: { rated: number; satisfied: number; rate: number | null };
  /** Over the period's cases answered at least once: how many had a review (复查, a `reopen` event). */
  review: { answered: number; reviewed: number; rate: number | null };
  /** Possible collective petitions noticed in the last GROUP_DAYS days, largest first. */
  groups: EmergingGroup[];
  /** The most frequent categories of the last 7 days, with the 7 days before, at most TOP_ISSUES. */
  topIssues: TopIssue[];
}

export const OVERDUE_LIMIT = 500;
export const GROUP_DAYS = 14;
export const TOP_ISSUES = 10;
const DEFAULT_WEEKS = 12;
const SATISFIED_FROM = 4;
const DAY_MS = 86_400_000;

const ratio = (part: number, whole: number) => (whole ? Number((part / whole).toFixed(4)) : null);

function compliance(due: number, onTime: number): Compliance {
  return { due, onTime, late: due - onTime, rate: ratio(onTime, due) };
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

/** Plain date arithmetic on YYYY-MM-DD (no time zone involved). */
function addDate(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The Monday of the week `date` falls in. */
function mondayOf(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDate(date, -((weekday + 6) % 7));
}

/** How far the zone's wall clock is ahead of UTC at `at`, in ms. */
function zoneOffset(at: number, timeZone: string): number {
  const parts = dateFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/** The instant the local date `date` begins in `timeZone` (00:00, or the first moment after a DST gap). */
export function startOfLocalDate(date: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T00:00:00Z`);
  const first = wall - zoneOffset(wall, timeZone);
  const second = wall - zoneOffset(first, timeZone);
  return new Date(localDate(new Date(second), timeZone) === date ? second : first);
}

/** Keys of the routing table (limited to the departments shown), then any other key the data has. */
function keysOf(known: readonly string[], seen: Iterable<string>): string[] {
  const out = [...known];
  const have = new Set(out);
  for (const k of seen) {
    if (!have.has(k)) {
      have.add(k);
      out.push(k);
    }
  }
  return out;
}

export async function dashboardFigures(db: Db, routing: RoutingTable, now: Date, options: DashboardOptions): Promise<DashboardFigures> {
  const { timeZone } = options;
  const weekCount = Math.max(1, Math.floor(options.weeks ?? DEFAULT_WEEKS));
  const filter = options.departments ? [...new Set(options.departments)] : null;
  const inDepartments = filter ? { department: { in: filter } } : {};

  const firstMonday = addDate(mondayOf(localDate(now, timeZone)), -7 * (weekCount - 1));
  const weekStarts = Array.from({ length: weekCount }, (_, i) => addDate(firstMonday, 7 * i));
  const weekBounds = weekStarts.map((d) => startOfLocalDate(d, timeZone).getTime());
  const from = new Date(weekBounds[0]);

  const inPeriod = { ...inDepartments, createdAt: { gte: from, lte: now } };
  const dayAgo = (days: number) => new Date(now.getTime() - days * DAY_MS);
  const count = { _count: { _all: true } } as const;
  const overdueSelect = { trackingNumber: true, category: true, department: true, status: true, urgency: true, acceptanceDueAt: true, resolutionDueAt: true } as const;
  const notAccepted = { ...inDepartments, status: 'submitted', acceptanceDueAt: { lt: now } };
  const notAnswered = { ...inDepartments, status: { in: [...ANSWER_DUE] }, resolutionDueAt: { lt: now } };

  const [cases, decisions, reopened, feedback, lateAcceptance, lateAnswer, lateAcceptanceCount, lateAnswerCount, groupRows, thisWeek, weekBefore] = await Promise.all([
    db.case.findMany({
      where: inPeriod,
      select: { id: true, createdAt: true, category: true, department: true, status: true, acceptanceDueAt: true, resolutionDueAt: true, answeredAt: true },
    }),
    // The decision on acceptance: accepted or not accepted (a rejection decides it as well).
    db.caseEvent.groupBy({ by: ['caseId'], where: { type: { in: ['accept', 'reject'] }, case: inPeriod }, _min: { createdAt: true } }),
    db.caseEvent.groupBy({ by: ['caseId'], where: { type: 'reopen', case: inPeriod }, ...count }),
    db.caseEvent.findMany({
      where: { type: 'feedback', case: inPeriod },
      select: { caseId: true, data: true },
      orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }],
    }),
    db.case.findMany({ where: notAccepted, select: overdueSelect, orderBy: [{ acceptanceDueAt: 'asc' }, { trackingNumber: 'asc' }], take: OVERDUE_LIMIT }),
    db.case.findMany({ where: notAnswered, select: overdueSelect, orderBy: [{ resolutionDueAt: 'asc' }, { trackingNumber: 'asc' }], take: OVERDUE_LIMIT }),
    db.case.count({ where: notAccepted }),
    db.case.count({ where: notAnswered }),
    db.caseGroup.findMany({ where: { createdAt: { gte: dayAgo(GROUP_DAYS), lte: now } }, select: { id: true, category: true, createdAt: true } }),
    db.case.groupBy({ by: ['category'], where: { ...inDepartments, createdAt: { gt: dayAgo(7), lte: now } }, ...count }),
    db.case.groupBy({ by: ['category'], where: { ...inDepartments, createdAt: { gt: dayAgo(14), lte: dayAgo(7) } }, ...count }),
  ]);

  // Weekly volumes.
  const shownDepartments = Object.keys(routing.departments).filter((d) => !filter || filter.includes(d));
  const categories = keysOf(
    Object.entries(routing.categories)
      .filter(([, c]) => !filter || filter.includes(c.department))
      .map(([code]) => code),
    cases.map((c) => c.category),
  );
  const departments = keysOf(shownDepartments, cases.map((c) => c.department));
  const weeks: WeekFigures[] = weekStarts.map((start) => ({
    start,
    byCategory: Object.fromEntries(categories.map((k) => [k, 0])),
    byDepartment: Object.fromEntries(departments.map((k) => [k, 0])),
    total: 0,
  }));
  for (const c of cases) {
    const at = c.createdAt.getTime();
    let i = weekBounds.length - 1;
    while (i > 0 && at < weekBounds[i]) i--;
    const week = weeks[i];
    week.byCategory[c.category]++;
    week.byDepartment[c.department]++;
    week.total++;
  }

  // Compliance with the deadlines.
  const decidedAt = new Map(decisions.map((d) => [d.caseId, d._min.createdAt]));
  const open = new Set<string>(OPEN_STATUSES);
  let acceptanceDue = 0;
  let acceptanceOnTime = 0;
  let answerDue = 0;
  let answerOnTime = 0;
  const t = now.getTime();
  for (const c of cases) {
    const decided = decidedAt.get(c.id) ?? null;
    if (decided || c.acceptanceDueAt.getTime() < t) {
      acceptanceDue++;
      if (decided && decided.getTime() <= c.acceptanceDueAt.getTime()) acceptanceOnTime++;
    }
    // A case under review (reopened) is open again: its earlier answer does not answer the review.
    const answered = c.answeredAt && !open.has(c.status) ? c.answeredAt : null;
    if (answered || c.resolutionDueAt.getTime() < t) {
      answerDue++;
      if (answered && answered.getTime() <= c.resolutionDueAt.getTime()) answerOnTime++;
    }
  }

  // Overdue: whichever deadline applies now.
  const overdue: OverdueCase[] = [
    ...lateAcceptance.map((c) => ({ c, deadline: 'acceptance' as const, dueAt: c.acceptanceDueAt })),
    ...lateAnswer.map((c) => ({ c, deadline: 'answer' as const, dueAt: c.resolutionDueAt })),
  ]
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.c.trackingNumber < b.c.trackingNumber ? -1 : a.c.trackingNumber > b.c.trackingNumber ? 1 : 0))
    .slice(0, OVERDUE_LIMIT)
    .map(({ c, deadline, dueAt }) => ({
      trackingNumber: c.trackingNumber,
      category: c.category,
      department: c.department,
      status: c.status,
      deadline,
      dueAt,
      daysOver: Math.ceil((t - dueAt.getTime()) / DAY_MS),
      urgency: c.urgency,
    }));

  // Satisfaction: a petitioner who rates again (after a review) counts with their latest rating.
  const latest = new Map<string, number>();
  for (const f of feedback) {
    const r = rating(f.data);
    if (r !== null) latest.set(f.caseId, r);
  }
  const satisfied = [...latest.values()].filter((r) => r >= SATISFIED_FROM).length;

  // Review rate: a review (reopen) is only possible after an answer, and keeps answeredAt set.
  const reviewedIds = new Set(reopened.map((r) => r.caseId));
  const answeredCases = cases.filter((c) => c.answeredAt || reviewedIds.has(c.id));
  const reviewed = answeredCases.filter((c) => reviewedIds.has(c.id)).length;

  // Emerging groups: their cases counted in SQL.
  const groupCases = groupRows.length
    ? await db.case.groupBy({
        by: ['groupId'],
        where: { ...inDepartments, groupId: { in: groupRows.map((g) => g.id) } },
        _count: { _all: true },
        _min: { createdAt: true },
        _max: { createdAt: true },
      })
    : [];
  const sizes = new Map(groupCases.map((g) => [g.groupId as string, g]));
  const groups: EmergingGroup[] = groupRows
    .flatMap((g) => {
      const s = sizes.get(g.id);
      if (!s || !s._count._all || !s._min.createdAt || !s._max.createdAt) return [];
      return [{ id: g.id, category: g.category, size: s._count._all, firstCaseAt: s._min.createdAt, latestCaseAt: s._max.createdAt, createdAt: g.createdAt }];
    })
    .sort((a, b) => b.size - a.size || b.latestCaseAt.getTime() - a.latestCaseAt.getTime() || (a.id < b.id ? -1 : 1));

  // Top issues of the last 7 days.
  const previous = new Map(weekBefore.map((r) => [r.category, r._count._all]));
  const topIssues: TopIssue[] = thisWeek
    .map((r) => ({ category: r.category, count: r._count._all, previous: previous.get(r.category) ?? 0 }))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1))
    .slice(0, TOP_ISSUES);

  return {
    now,
    timeZone,
    departmentFilter: filter,
    period: { from, fromDate: firstMonday },
    categories,
    departments,
    weeks,
    compliance: { acceptance: compliance(acceptanceDue, acceptanceOnTime), answer: compliance(answerDue, answerOnTime) },
    overdue,
    overdueCount: lateAcceptanceCount + lateAnswerCount,
    satisfaction: { rated: latest.size, satisfied, rate: ratio(satisfied, latest.size) },
    review: { answered: answeredCases.length, reviewed, rate: ratio(reviewed, answeredCases.length) },
    groups,
    topIssues,
  };
}
