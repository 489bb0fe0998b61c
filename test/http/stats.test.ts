import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { median } from '../../src/cases/stats.js';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';
import { TestClock } from '../helpers/clock.js';
import { fileLabourCase } from '../helpers/petitions.js';

const clock = new TestClock();
let hub: TestHub;
const refs: Record<'answered' | 'working' | 'waiting' | 'rejected', string> = { answered: '', working: '', waiting: '', rejected: '' };

const act = (ref: string, json: object) => api(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { actor: 'officer:wang', ...json } });
const stats = (query = '', token = ADMIN_TOKEN) => api<Record<string, unknown> & { error: { code: string } }>(hub.url, `/api/stats${query}`, { token });

/** A follow-up rating as the feedback step will record it (it does not exist yet). */
async function rate(ref: string, data: string, at: string): Promise<void> {
  const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } });
  await hub.db.caseEvent.create({ data: { id: randomUUID(), caseId: c.id, type: 'feedback', actor: 'petitioner', data, createdAt: new Date(at) } });
}

const zero = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, 0]));
const STATUSES = zero(['submitted', 'accepted', 'rejected', 'in_progress', 'awaiting_petitioner', 'resolved', 'closed', 'reopened']);
const CATEGORIES = zero(['urban_construction', 'environment', 'transport', 'education_culture', 'labour_social_security', 'commerce_tourism', 'health', 'other']);
const DEPARTMENTS = zero(['housing_construction', 'ecology_environment', 'transport', 'education_culture', 'human_resources_social_security', 'commerce_tourism', 'health', 'general_intake']);

beforeAll(async () => {
  hub = await startTestHub({ now: clock.now });
  clock.set('2026-03-02T08:00:00Z');
  refs.answered = (await fileLabourCase(hub.url)).ref;
  clock.set('2026-03-02T18:00:00Z');
  await act(refs.answered, { action: 'accept' }); // 10 hours
  clock.set('2026-03-03T08:00:00Z');
  refs.working = (await fileLabourCase(hub.url, 'en')).ref;
  clock.set('2026-03-03T18:00:00Z');
  await act(refs.answered, { action: 'resolve', text: '已结清' }); // 34 hours after filing
  clock.set('2026-03-04T04:00:00Z');
  await act(refs.working, { action: 'accept' }); // 20 hours
  await act(refs.working, { action: 'transfer', department: 'general_intake' });
  clock.set('2026-03-05T08:00:00Z');
  refs.waiting = (await fileLabourCase(hub.url)).ref;
  clock.set('2026-03-10T08:00:00Z');
  refs.rejected = (await fileLabourCase(hub.url)).ref;
  await act(refs.rejected, { action: 'reject', text: '不属于本机关职责' });

  // The petitioner of the answered case rated twice (the latest counts); malformed ratings count for nothing.
  await rate(refs.answered, JSON.stringify({ rating: 2, solved: false }), '2026-03-06T08:00:00Z');
  await rate(refs.answered, JSON.stringify({ rating: 4, solved: true }), '2026-03-07T08:00:00Z');
  await rate(refs.rejected, JSON.stringify({ rating: 1, solved: false }), '2026-03-11T08:00:00Z');
  await rate(refs.waiting, 'not json', '2026-03-11T08:00:00Z');
  await rate(refs.waiting, JSON.stringify({ rating: 9 }), '2026-03-11T09:00:00Z');
  clock.set('2026-03-25T08:00:00Z'); // the waiting case should have been accepted or not by 20 March
});
afterAll(async () => hub?.drop());

describe('GET /api/stats', () => {
  it('counts by status, category and department, overdue cases, median times and satisfaction', async () => {
    const r = await stats();
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      byStatus: { ...STATUSES, submitted: 1, accepted: 1, rejected: 1, resolved: 1 },
      byCategory: { ...CATEGORIES, labour_social_security: 4 },
      byDepartment: { ...DEPARTMENTS, human_resources_social_security: 3, general_intake: 1 },
      overdue: 1,
      medianHoursToAcceptance: 15,
      medianHoursToResolution: 34,
      satisfaction: { rated: 2, satisfied: 1, rate: 0.5 },
    });
  });

  it('filters by filing date: from inclusive, to exclusive, with or without a time and zone', async () => {
    const r = await stats('?from=2026-03-03T16:00:00%2B08:00&to=2026-03-06');
    expect(r.body).toEqual({
      byStatus: { ...STATUSES, submitted: 1, accepted: 1 },
      byCategory: { ...CATEGORIES, labour_social_security: 2 },
      byDepartment: { ...DEPARTMENTS, human_resources_social_security: 1, general_intake: 1 },
      overdue: 1,
      medianHoursToAcceptance: 20,
      medianHoursToResolution: null,
      satisfaction: { rated: 0, satisfied: 0, rate: null },
    });
    const later = await stats('?from=2026-03-10');
    expect(later.body).toMatchObject({ byStatus: { ...STATUSES, rejected: 1 }, medianHoursToAcceptance: null, satisfaction: { rated: 1, satisfied: 0, rate: 0 } });
  });

  it.each([
    ['?from=yesterday', 'from'],
    ['?from=2026-02-30', 'from'],
    ['?to=2026-03-01T08:00', 'to'],
    ['?from=2026-03-01&from=2026-03-02', 'from'],
    ['?from=2026-03-10&to=2026-03-01', 'from must be before to'],
  ])('refuses %s with a 400', async (query, named) => {
    const r = await stats(query);
    expect([r.status, r.body.error.code]).toEqual([400, 'bad_request']);
    expect(JSON.stringify(r.body.error)).toContain(named);
  });

  it('needs the admin token', async () => {
    const r = await stats('', 'wrong');
    expect([r.status, r.body.error.code]).toEqual([401, 'unauthorized']);
  });

  it('takes the median of an even count as the mean of the middle two', () => {
    expect([median([]), median([3]), median([4, 1, 3]), median([10, 20, 2, 40])]).toEqual([null, 3, 3, 15]);
  });
});
