import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.js';
import { dashboardFigures, startOfLocalDate, type DashboardFigures } from '../../src/cases/dashboard.js';
import { DEFAULT_ROUTING } from '../../src/cases/routing-defaults.js';
import { TEST_PROVIDER } from '../helpers/test-db.js';
import { migratedTestDb, type MigratedDb } from '../helpers/migrated-db.js';

const TZ = 'Asia/Shanghai';
/** Wednesday 2026-03-18 12:00 in Shanghai. Local weeks start Monday 00:00 +08:00, i.e. Sunday 16:00 UTC. */
const NOW = new Date('2026-03-18T04:00:00Z');
const at = (iso: string) => new Date(iso);
const DAY = 86_400_000;

interface CaseSpec {
  id: string;
  created: string;
  category: string;
  department?: string;
  status: string;
  urgency?: string;
  acceptanceDue?: string;
  resolutionDue?: string;
  answered?: string;
  groupId?: string;
}

interface EventSpec {
  caseId: string;
  type: string;
  at: string;
  data?: Record<string, unknown>;
}

const CASES: CaseSpec[] = [
  // Before the period (filed one second before local Monday 2026-03-02 00:00): only in the overdue list.
  { id: 'c-before', created: '2026-03-01T15:59:59Z', category: 'environment', status: 'submitted', acceptanceDue: '2026-03-08T15:59:59Z' },
  // Week of 2026-03-02.
  { id: 'c-first', created: '2026-03-01T16:00:00Z', category: 'education_culture', status: 'closed', acceptanceDue: '2026-03-08T16:00:00Z', resolutionDue: '2026-03-08T00:00:00Z', answered: '2026-03-09T00:00:00Z' },
  { id: 'c-acc-ontime', created: '2026-03-03T02:00:00Z', category: 'environment', status: 'resolved', acceptanceDue: '2026-03-10T02:00:00Z', resolutionDue: '2026-03-20T02:00:00Z', answered: '2026-03-12T02:00:00Z' },
  { id: 'c-acc-late', created: '2026-03-03T03:00:00Z', category: 'transport', status: 'in_progress', acceptanceDue: '2026-03-10T03:00:00Z', resolutionDue: '2026-03-16T03:00:00Z' },
  { id: 'c-unaccepted', created: '2026-03-04T00:00:00Z', category: 'health', status: 'submitted', urgency: 'emergency', acceptanceDue: '2026-03-11T00:00:00Z', resolutionDue: '2026-03-25T00:00:00Z' },
  { id: 'c-rejected', created: '2026-03-05T00:00:00Z', category: 'other', status: 'rejected', acceptanceDue: '2026-03-12T00:00:00Z', resolutionDue: '2026-03-26T00:00:00Z', answered: '2026-03-06T00:00:00Z' },
  // Week of 2026-03-09.
  { id: 'c-reviewed', created: '2026-03-09T02:00:00Z', category: 'environment', status: 'reopened', acceptanceDue: '2026-03-16T02:00:00Z', resolutionDue: '2026-03-17T02:00:00Z', answered: '2026-03-10T02:00:00Z' },
  { id: 'g1a', created: '2026-03-13T01:00:00Z', category: 'environment', status: 'submitted', groupId: 'g1' },
  { id: 'g1b', created: '2026-03-13T09:00:00Z', category: 'environment', status: 'submitted', groupId: 'g1' },
  { id: 'g1c', created: '2026-03-14T00:00:00Z', category: 'environment', status: 'submitted', groupId: 'g1' },
  // Sunday 23:00 in Shanghai: still the week of 2026-03-09 there (and in UTC).
  { id: 'c-sunday', created: '2026-03-15T15:00:00Z', category: 'transport', status: 'accepted', acceptanceDue: '2026-03-22T15:00:00Z', resolutionDue: '2026-04-10T00:00:00Z' },
  // Sunday in UTC but Monday 2026-03-16 in Shanghai: the current local week, the previous UTC week.
  { id: 'c-fresh', created: '2026-03-15T17:00:00Z', category: 'environment', status: 'submitted' },
  { id: 'g2a', created: '2026-03-15T20:00:00Z', category: 'transport', status: 'submitted', groupId: 'g2' },
  { id: 'g2b', created: '2026-03-16T02:00:00Z', category: 'transport', status: 'submitted', groupId: 'g2' },
  // An old group, noticed more than 14 days ago.
  { id: 'g0a', created: '2026-02-27T00:00:00Z', category: 'transport', status: 'closed', acceptanceDue: '2026-03-06T00:00:00Z', resolutionDue: '2026-03-20T00:00:00Z', answered: '2026-03-01T00:00:00Z', groupId: 'g0' },
];

const EVENTS: EventSpec[] = [
  { caseId: 'c-first', type: 'accept', at: '2026-03-02T00:00:00Z' },
  { caseId: 'c-first', type: 'resolve', at: '2026-03-09T00:00:00Z' },
  { caseId: 'c-first', type: 'feedback', at: '2026-03-09T05:00:00Z', data: { rating: 4 } },
  { caseId: 'c-acc-ontime', type: 'accept', at: '2026-03-05T02:00:00Z' },
  // A second accept (after a transfer, say) does not make the first one late.
  { caseId: 'c-acc-ontime', type: 'accept', at: '2026-03-11T02:00:00Z' },
  { caseId: 'c-acc-ontime', type: 'feedback', at: '2026-03-12T05:00:00Z', data: { rating: 2 } },
  { caseId: 'c-acc-ontime', type: 'feedback', at: '2026-03-13T05:00:00Z', data: { rating: 5 } },
  { caseId: 'c-acc-late', type: 'accept', at: '2026-03-11T03:00:00Z' },
  { caseId: 'c-rejected', type: 'reject', at: '2026-03-06T00:00:00Z' },
  { caseId: 'c-rejected', type: 'feedback', at: '2026-03-07T00:00:00Z', data: { rating: 9 } },
  { caseId: 'c-reviewed', type: 'accept', at: '2026-03-09T05:00:00Z' },
  { caseId: 'c-reviewed', type: 'resolve', at: '2026-03-10T02:00:00Z' },
  { caseId: 'c-reviewed', type: 'feedback', at: '2026-03-10T06:00:00Z', data: { rating: 2 } },
  { caseId: 'c-reviewed', type: 'reopen', at: '2026-03-11T02:00:00Z' },
  { caseId: 'c-sunday', type: 'accept', at: '2026-03-16T01:00:00Z' },
  // Outside the period: not counted.
  { caseId: 'c-before', type: 'feedback', at: '2026-03-02T00:00:00Z', data: { rating: 1 } },
  { caseId: 'g0a', type: 'reopen', at: '2026-03-02T00:00:00Z' },
];

const GROUPS = [
  { id: 'g0', category: 'transport', createdAt: at('2026-02-28T00:00:00Z') },
  { id: 'g1', category: 'environment', createdAt: at('2026-03-13T09:00:00Z') },
  { id: 'g2', category: 'transport', createdAt: at('2026-03-16T02:00:00Z') },
];

async function seed(db: Db): Promise<void> {
  await db.petitioner.create({ data: { id: 'p1', channel: 'webchat', channelUserId: 'u1' } });
  await db.conversation.create({ data: { id: 'conv1', petitionerId: 'p1', channel: 'webchat', locale: 'zh-CN', state: '{}' } });
  await db.caseGroup.createMany({ data: GROUPS });
  await db.case.createMany({
    data: CASES.map((c) => {
      const created = at(c.created);
      return {
        id: c.id,
        trackingNumber: `T-${c.id}`,
        petitionerId: 'p1',
        conversationId: 'conv1',
        status: c.status,
        category: c.category,
        categoryScore: 0.9,
        department: c.department ?? DEFAULT_ROUTING.categories[c.category].department,
        urgency: c.urgency ?? 'normal',
        language: 'zh-CN',
        channel: 'webchat',
        details: '{}',
        summary: '',
        acceptanceDueAt: c.acceptanceDue ? at(c.acceptanceDue) : new Date(created.getTime() + 7 * DAY),
        resolutionDueAt: c.resolutionDue ? at(c.resolutionDue) : new Date(created.getTime() + 30 * DAY),
        answeredAt: c.answered ? at(c.answered) : null,
        groupId: c.groupId ?? null,
        createdAt: created,
        updatedAt: created,
      };
    }),
  });
  await db.caseEvent.createMany({
    data: EVENTS.map((e, i) => ({
      id: `e${i}`,
      caseId: e.caseId,
      type: e.type,
      actor: 'test',
      data: e.data ? JSON.stringify(e.data) : null,
      createdAt: at(e.at),
    })),
  });
}

describe(`dashboard figures on ${TEST_PROVIDER}`, () => {
  let testDb: MigratedDb;
  let db: Db;
  let all: DashboardFigures;
  beforeAll(async () => {
    testDb = await migratedTestDb();
    db = testDb.db;
    await seed(db);
    all = await dashboardFigures(db, DEFAULT_ROUTING, NOW, { timeZone: TZ, weeks: 3 });
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('counts the cases filed per local week (Monday start in the time zone), not per UTC week', () => {
    expect(all.period).toEqual({ from: at('2026-03-01T16:00:00Z'), fromDate: '2026-03-02' });
    expect(all.weeks.map((w) => w.start)).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    expect(all.weeks.map((w) => w.total)).toEqual([5, 5, 3]);
    // Every category and department of the routing table has a key, empty ones at 0.
    expect(all.categories).toEqual(Object.keys(DEFAULT_ROUTING.categories));
    expect(all.departments).toEqual(Object.keys(DEFAULT_ROUTING.departments));
    const nonZero = (r: Record<string, number>) => Object.fromEntries(Object.entries(r).filter(([, n]) => n));
    expect(all.weeks.map((w) => nonZero(w.byCategory))).toEqual([
      { education_culture: 1, environment: 1, transport: 1, health: 1, other: 1 },
      { environment: 4, transport: 1 },
      // c-fresh and g2a were filed on Sunday UTC, which is Monday in Shanghai.
      { environment: 1, transport: 2 },
    ]);
    expect(all.weeks[2].byCategory.health).toBe(0);
    expect(all.weeks.map((w) => nonZero(w.byDepartment))).toEqual([
      { education_culture: 1, ecology_environment: 1, transport: 1, health: 1, general_intake: 1 },
      { ecology_environment: 4, transport: 1 },
      { ecology_environment: 1, transport: 2 },
    ]);
  });

  it('shows 12 weeks by default, the oldest starting on a Monday', async () => {
    const f = await dashboardFigures(db, DEFAULT_ROUTING, NOW, { timeZone: TZ });
    expect(f.weeks).toHaveLength(12);
    expect(f.weeks[0].start).toBe('2025-12-29');
    expect(f.weeks[11].start).toBe('2026-03-16');
    // c-before and g0a fall in the week of 2026-02-23, shown now.
    expect(f.weeks[8]).toMatchObject({ start: '2026-02-23', total: 2 });
  });

  it('measures acceptance and answer against their deadlines', () => {
    // Decided on time: c-first, c-acc-ontime, c-rejected (a rejection decides too), c-reviewed, c-sunday;
    // late: c-acc-late (accepted after the deadline), c-unaccepted (still waiting, deadline passed).
    expect(all.compliance.acceptance).toEqual({ due: 7, onTime: 5, late: 2, rate: 0.7143 });
    // On time: c-acc-ontime, c-rejected; late: c-first (answered after the deadline), c-acc-late (not
    // answered, deadline passed), c-reviewed (under review past the review's deadline).
    expect(all.compliance.answer).toEqual({ due: 5, onTime: 2, late: 3, rate: 0.4 });
  });

  it('lists open cases past the deadline that applies now, most overdue first, whenever filed', () => {
    expect(all.overdueCount).toBe(4);
    expect(all.overdue).toEqual([
      { trackingNumber: 'T-c-before', category: 'environment', department: 'ecology_environment', status: 'submitted', deadline: 'acceptance', dueAt: at('2026-03-08T15:59:59Z'), daysOver: 10, urgency: 'normal' },
      { trackingNumber: 'T-c-unaccepted', category: 'health', department: 'health', status: 'submitted', deadline: 'acceptance', dueAt: at('2026-03-11T00:00:00Z'), daysOver: 8, urgency: 'emergency' },
      { trackingNumber: 'T-c-acc-late', category: 'transport', department: 'transport', status: 'in_progress', deadline: 'answer', dueAt: at('2026-03-16T03:00:00Z'), daysOver: 3, urgency: 'normal' },
      { trackingNumber: 'T-c-reviewed', category: 'environment', department: 'ecology_environment', status: 'reopened', deadline: 'answer', dueAt: at('2026-03-17T02:00:00Z'), daysOver: 2, urgency: 'normal' },
    ]);
  });

  it('counts satisfaction by the latest valid rating per case, and reviews of answered cases', () => {
    // c-acc-ontime rated 2 then 5 (satisfied), c-first 4, c-reviewed 2; c-rejected's 9 is no rating.
    expect(all.satisfaction).toEqual({ rated: 3, satisfied: 2, rate: 0.6667 });
    // Answered: c-first, c-acc-ontime, c-rejected, c-reviewed; reviewed: c-reviewed.
    expect(all.review).toEqual({ answered: 4, reviewed: 1, rate: 0.25 });
  });

  it('lists the groups noticed in the last 14 days, largest first', () => {
    expect(all.groups).toEqual([
      { id: 'g1', category: 'environment', size: 3, firstCaseAt: at('2026-03-13T01:00:00Z'), latestCaseAt: at('2026-03-14T00:00:00Z'), createdAt: at('2026-03-13T09:00:00Z') },
      { id: 'g2', category: 'transport', size: 2, firstCaseAt: at('2026-03-15T20:00:00Z'), latestCaseAt: at('2026-03-16T02:00:00Z'), createdAt: at('2026-03-16T02:00:00Z') },
    ]);
  });

  it('ranks the categories of the last 7 days, with the 7 days before', () => {
    // Last 7 days (from 2026-03-11T04:00Z): 4 environment, 3 transport. The 7 days before: c-reviewed
    // (environment) and c-rejected (other); c-unaccepted was filed 4 hours before that window.
    expect(all.topIssues).toEqual([
      { category: 'environment', count: 4, previous: 1 },
      { category: 'transport', count: 3, previous: 0 },
    ]);
  });

  it('restricts every figure to the cases of the given departments', async () => {
    const f = await dashboardFigures(db, DEFAULT_ROUTING, NOW, { timeZone: TZ, weeks: 3, departments: ['ecology_environment'] });
    expect(f.departmentFilter).toEqual(['ecology_environment']);
    expect(f.categories).toEqual(['environment']);
    expect(f.departments).toEqual(['ecology_environment']);
    expect(f.weeks.map((w) => [w.total, w.byCategory, w.byDepartment])).toEqual([
      [1, { environment: 1 }, { ecology_environment: 1 }],
      [4, { environment: 4 }, { ecology_environment: 4 }],
      [1, { environment: 1 }, { ecology_environment: 1 }],
    ]);
    expect(f.compliance).toEqual({
      acceptance: { due: 2, onTime: 2, late: 0, rate: 1 },
      answer: { due: 2, onTime: 1, late: 1, rate: 0.5 },
    });
    expect(f.overdue.map((o) => o.trackingNumber)).toEqual(['T-c-before', 'T-c-reviewed']);
    expect(f.overdueCount).toBe(2);
    expect(f.satisfaction).toEqual({ rated: 2, satisfied: 1, rate: 0.5 });
    expect(f.review).toEqual({ answered: 2, reviewed: 1, rate: 0.5 });
    expect(f.groups.map((g) => [g.id, g.size])).toEqual([['g1', 3]]);
    expect(f.topIssues).toEqual([{ category: 'environment', count: 4, previous: 1 }]);
  });

  it('shows nothing for an empty department list', async () => {
    const f = await dashboardFigures(db, DEFAULT_ROUTING, NOW, { timeZone: TZ, weeks: 3, departments: [] });
    expect(f.weeks.map((w) => w.total)).toEqual([0, 0, 0]);
    expect(f.compliance.acceptance).toEqual({ due: 0, onTime: 0, late: 0, rate: null });
    expect(f.overdue).toEqual([]);
    expect(f.overdueCount).toBe(0);
    expect(f.satisfaction.rate).toBeNull();
    expect(f.review.rate).toBeNull();
    expect(f.groups).toEqual([]);
    expect(f.topIssues).toEqual([]);
  });

  it('keeps a case of a category the routing table no longer has', async () => {
    const routing = { ...DEFAULT_ROUTING, categories: Object.fromEntries(Object.entries(DEFAULT_ROUTING.categories).filter(([k]) => k !== 'health')) };
    const f = await dashboardFigures(db, routing, NOW, { timeZone: TZ, weeks: 3 });
    expect(f.categories.at(-1)).toBe('health');
    expect(f.weeks[0].byCategory.health).toBe(1);
  });
});

describe('local week boundaries', () => {
  it('finds the instant a local date begins, across a daylight saving change', () => {
    expect(startOfLocalDate('2026-03-16', 'Asia/Shanghai')).toEqual(at('2026-03-15T16:00:00Z'));
    // London moves to summer time on 2026-03-29 at 01:00 UTC.
    expect(startOfLocalDate('2026-03-29', 'Europe/London')).toEqual(at('2026-03-29T00:00:00Z'));
    expect(startOfLocalDate('2026-03-30', 'Europe/London')).toEqual(at('2026-03-29T23:00:00Z'));
    expect(startOfLocalDate('2026-01-05', 'America/New_York')).toEqual(at('2026-01-05T05:00:00Z'));
    // Where midnight itself is skipped (Santiago, 2026-09-06 00:00 → 01:00), the day starts at 01:00.
    expect(startOfLocalDate('2026-09-06', 'America/Santiago')).toEqual(at('2026-09-06T04:00:00Z'));
  });
});
