import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';
import { TestClock } from '../helpers/clock.js';
import { fileLabourCase } from '../helpers/petitions.js';

const DAY_H = 24;
const hubs: TestHub[] = [];
afterAll(async () => {
  // The first hub of each database drops it, after the others have stopped.
  for (const h of [...hubs].reverse()) await (h === hubs.find((x) => x.testDb === h.testDb) ? h.drop() : h.stop());
});

async function start(clock: TestClock, from?: TestHub): Promise<TestHub> {
  const hub = await startTestHub({ now: clock.now, db: from?.testDb, env: { DEADLINE_REMINDER_HOURS: '48' } });
  hubs.push(hub);
  return hub;
}

/** What the scheduler recorded, per case: event types in order, and the deadline of each. */
async function alerts(hub: TestHub, ref: string): Promise<string[]> {
  const events = await hub.db.caseEvent.findMany({
    where: { case: { trackingNumber: ref }, actor: 'hub:deadlines' },
    orderBy: { createdAt: 'asc' },
  });
  return events.map((e) => `${e.type}:${(JSON.parse(e.data ?? '{}') as { deadline: string }).deadline}`);
}

/** Both instances sweep at the same moment, twice each: the race the unique claim settles. */
async function sweepBoth(a: TestHub, b: TestHub): Promise<void> {
  await Promise.all([a.deadlines.runDue(), b.deadlines.runDue(), a.deadlines.runDue(), b.deadlines.runDue()]);
  await Promise.all([a.deadlines.runDue(), b.deadlines.runDue()]);
}

describe('deadline reminders and escalations with two hubs on one database', () => {
  it('reminds before and escalates after each deadline exactly once per case', async () => {
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const a = await start(clock);
    const b = await start(clock, a);
    const waiting = [(await fileLabourCase(a.url)).ref, (await fileLabourCase(b.url)).ref];
    const accepted = (await fileLabourCase(a.url)).ref;
    expect((await api(b.url, `/api/cases/${accepted}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'accept', actor: 'a' } })).status).toBe(200);

    clock.advanceHours(13 * DAY_H - 1); // just before the reminder window of acceptance (15 days - 48 hours)
    await sweepBoth(a, b);
    for (const ref of [...waiting, accepted]) expect(await alerts(a, ref)).toEqual([]);

    clock.advanceHours(2);
    await sweepBoth(a, b);
    for (const ref of waiting) expect(await alerts(a, ref)).toEqual(['deadline_reminder:acceptance']);
    expect(await alerts(a, accepted)).toEqual([]);

    clock.set('2026-03-17T08:00:00.001Z'); // acceptance was due at 08:00
    await sweepBoth(a, b);
    for (const ref of waiting) expect(await alerts(b, ref)).toEqual(['deadline_reminder:acceptance', 'overdue:acceptance']);
    expect(await alerts(b, accepted)).toEqual([]);

    clock.set('2026-04-29T09:00:00Z'); // the answer to the accepted case is due on 1 May, 08:00
    await sweepBoth(a, b);
    clock.set('2026-05-01T08:00:00Z');
    await sweepBoth(a, b);
    expect(await alerts(a, accepted)).toEqual(['deadline_reminder:resolution', 'overdue:resolution']);
    // Cases never accepted have no answer period running: nothing more about them.
    for (const ref of waiting) expect(await alerts(a, ref)).toEqual(['deadline_reminder:acceptance', 'overdue:acceptance']);
    expect(await a.db.deadlineAlert.count()).toBe(6);
    const overdue = await a.db.caseEvent.findFirstOrThrow({ where: { case: { trackingNumber: accepted }, type: 'overdue' } });
    expect([overdue.fromStatus, overdue.toStatus, overdue.createdAt.toISOString()]).toEqual(['accepted', 'accepted', '2026-05-01T08:00:00.000Z']);
    expect(JSON.parse(overdue.data ?? '')).toEqual({ deadline: 'resolution', dueAt: '2026-05-01T08:00:00.000Z' });
  });

  it('reminds again of a deadline that moved: the extended answer date is a new deadline', async () => {
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const a = await start(clock);
    const { ref } = await fileLabourCase(a.url);
    await api(a.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'accept', actor: 'a' } });
    clock.set('2026-04-30T08:00:00Z');
    await a.deadlines.runDue();
    expect(await alerts(a, ref)).toEqual(['deadline_reminder:resolution']);
    const r = await api(a.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'extend', days: 10, text: '需要补充调查', actor: 'a' } });
    expect(r.status).toBe(200);
    clock.set('2026-05-02T08:00:00Z'); // past the first date, before the extended one (11 May)
    await a.deadlines.runDue();
    expect(await alerts(a, ref)).toEqual(['deadline_reminder:resolution']);
    clock.set('2026-05-10T08:00:00Z');
    await a.deadlines.runDue();
    await a.deadlines.runDue();
    expect(await alerts(a, ref)).toEqual(['deadline_reminder:resolution', 'deadline_reminder:resolution']);
  });
});

describe('a deadline that passes while the hub is stopped', () => {
  it('is escalated once when a hub starts again, without a late reminder', async () => {
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const first = await start(clock);
    const { ref } = await fileLabourCase(first.url);
    await first.stop();

    clock.set('2026-03-20T00:00:00Z'); // the whole reminder window and the deadline went by
    const second = await start(clock, first);
    // Starting sweeps by itself; this waits for that sweep (or runs one more).
    await second.deadlines.runDue();
    expect(await alerts(second, ref)).toEqual(['overdue:acceptance']);
    await second.stop();

    const third = await start(clock, first);
    await third.deadlines.runDue();
    expect(await alerts(third, ref)).toEqual(['overdue:acceptance']);
  });
});
