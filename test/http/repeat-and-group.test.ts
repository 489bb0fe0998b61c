import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { TestClock } from '../helpers/clock.js';
import { adminCase } from '../helpers/follow-up.js';

const clock = new TestClock('2026-03-02T08:00:00Z');
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ now: clock.now, env: { GROUP_MIN_PETITIONERS: '3', GROUP_WINDOW_HOURS: '48' } });
});
afterAll(async () => hub?.drop());

const CONTACT = { contactName: '不方便', contactPhone: '不方便' };

async function petition(first: string, location: string, client?: WebchatClient): Promise<{ client: WebchatClient; ref: string; seen: string[] }> {
  const c = client ?? (await WebchatClient.open(hub.url, 'zh-CN'));
  const { trackingNumber, seen } = await completeIntake(c, first, { location, time: '三个月了', desiredOutcome: '结清工资', ...CONTACT }, client ? [] : c.greeting);
  return { client: c, ref: trackingNumber, seen: seen.map((m) => m.text) };
}

describe('a petitioner who raises the same matter again', () => {
  it('is linked to the open case, whose details grow, instead of getting a second case', async () => {
    const first = await petition('我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元。', '深圳市宝安区福永街道');
    const started = await first.client.say('我还要反映另一件事');
    expect(started[0].text).toContain('登记一件新的事情');
    const again = await petition('宏达电子厂老板欠我们三个月工资不发,现在快过年了,大家都急', '宝安区福永街道', first.client);
    expect(again.ref).toBe(first.ref);
    expect(again.seen.at(-1)).toBe(
      `我查了一下，这件事和您之前反映、正在办理的案件 ${first.ref} 是同一件事，所以就不重复登记了。您这次说的情况已经补充到这个案件里，负责的部门会看到。您随时可以问我办理进展。`,
    );
    const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: first.ref } });
    expect(await hub.db.case.count({ where: { petitionerId: c.petitionerId } })).toBe(1);
    const added = await hub.db.caseEvent.findMany({ where: { caseId: c.id, type: 'info_added' } });
    expect(added).toHaveLength(1);
    expect(added[0].text).toContain('反映的问题：宏达电子厂老板欠我们三个月工资不发,现在快过年了,大家都急');

    // Another matter from the same petitioner is a case of its own.
    await first.client.say('我还要反映另一件事');
    const other = await petition('我们公司一直不给员工交社保,已经半年了', '深圳市宝安区福永街道', first.client);
    expect(other.ref).not.toBe(first.ref);
    expect(other.seen.at(-1)).toContain(`受理编号是 ${other.ref}`);
  });
});

describe('similar petitions from many petitioners in a short time', () => {
  it('are grouped as a possible collective petition, which the case shows; other matters and late ones are not', async () => {
    clock.set('2026-03-10T08:00:00Z');
    const p1 = await petition('我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元。', '深圳市宝安区福永街道');
    clock.advanceHours(1);
    const p2 = await petition('我也是宏达电子厂的工人,老板拖欠了我们三个月的工资,两万多块钱', '宝安区福永街道宏达电子厂');
    expect((await adminCase(hub.url, p1.ref)).group).toBeNull();
    expect((await adminCase(hub.url, p2.ref)).group).toBeNull();

    clock.advanceHours(1);
    const p3 = await petition('宏达电子厂老板欠我们三个月工资不发', '宝安区');
    const group = { id: `G-${p1.ref}`, size: 3, trackingNumbers: [p1.ref, p2.ref, p3.ref] };
    for (const ref of [p1.ref, p2.ref, p3.ref]) expect((await adminCase(hub.url, ref)).group).toEqual(group);

    clock.advanceHours(1);
    const p4 = await petition('宏达电子厂老板拖欠三个月工资,我们几十个工人都没拿到钱', '深圳市宝安区福永街道');
    expect((await adminCase(hub.url, p4.ref)).group).toEqual({ ...group, size: 4, trackingNumbers: [...group.trackingNumbers, p4.ref] });

    const unrelated = await petition('我们公司一直不给员工交社保,已经半年了', '广州市天河区');
    expect((await adminCase(hub.url, unrelated.ref)).group).toBeNull();

    clock.advanceHours(60);
    const late = await petition('宏达电子厂老板欠我们三个月工资不发', '宝安区');
    expect((await adminCase(hub.url, late.ref)).group).toBeNull();

    expect(await hub.db.caseGroup.count()).toBe(1);
    const grouped = await hub.db.caseEvent.findMany({ where: { type: 'grouped' }, include: { case: { select: { trackingNumber: true } } }, orderBy: { createdAt: 'asc' } });
    // One event per case as it joined (three at once when the third made it a group).
    const byCase = grouped.map((e) => [e.case.trackingNumber, e.actor, JSON.parse(e.data ?? '{}').groupId]).sort();
    expect(byCase).toEqual([p1.ref, p2.ref, p3.ref, p4.ref].sort().map((ref) => [ref, 'hub', group.id]));
  });
});

describe('grouping across a restart', () => {
  it('still finds the similar petitions filed before it, read from the database', async () => {
    const restartClock = new TestClock('2026-04-01T08:00:00Z');
    const env = { GROUP_MIN_PETITIONERS: '3', GROUP_WINDOW_HOURS: '48' };
    let current = await startTestHub({ now: restartClock.now, env });
    const file = async (first: string, location: string) => {
      const c = await WebchatClient.open(current.url, 'zh-CN');
      return (await completeIntake(c, first, { location, time: '三个月了', desiredOutcome: '结清工资', ...CONTACT }, c.greeting)).trackingNumber;
    };
    try {
      const first = await file('我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元。', '深圳市宝安区福永街道');
      restartClock.advanceHours(1);
      const second = await file('我也是宏达电子厂的工人,老板拖欠了我们三个月的工资,两万多块钱', '宝安区福永街道宏达电子厂');
      await current.stop();
      current = await startTestHub({ now: restartClock.now, env, db: current.testDb });
      restartClock.advanceHours(1);
      const third = await file('宏达电子厂老板欠我们三个月工资不发', '宝安区');
      expect((await adminCase(current.url, third)).group).toEqual({ id: `G-${first}`, size: 3, trackingNumbers: [first, second, third] });
    } finally {
      await current.drop();
    }
  });
});
