import { afterAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { TestClock } from '../helpers/clock.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { WebchatClient } from '../helpers/webchat-client.js';
import { act, adminCase, lines } from '../helpers/follow-up.js';

const hubs: TestHub[] = [];
afterAll(async () => {
  // The first hub of each database drops it, after the others have stopped.
  for (const h of [...hubs].reverse()) await (h === hubs.find((x) => x.testDb === h.testDb) ? h.drop() : h.stop());
});

async function start(clock: TestClock, env: Record<string, string> = {}, from?: TestHub): Promise<TestHub> {
  const hub = await startTestHub({ now: clock.now, db: from?.testDb, env: { TIME_ZONE: 'Asia/Shanghai', ...env } });
  hubs.push(hub);
  return hub;
}

async function closes(hub: TestHub, ref: string) {
  const events = await hub.db.caseEvent.findMany({ where: { case: { trackingNumber: ref }, type: 'close' } });
  return events.map((e) => [e.actor, JSON.parse(e.data ?? '{}').reason as string]);
}

const SILENT = (ref: string) => `您的案件 ${ref} 办结后，我们一直没有收到您的回访答复，案件现已结案。感谢您的信任，以后有任何需要，随时可以再来找我。`;

describe('a follow-up nobody answers', () => {
  it('closes the case once after FEEDBACK_TIMEOUT_DAYS, however many hubs sweep, and tells the petitioner', async () => {
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const a = await start(clock);
    const b = await start(clock, {}, a);
    const { client, ref } = await fileLabourCase(a.url);
    await act(a.url, ref, { action: 'accept' });
    clock.set('2026-03-05T08:00:00Z');
    await act(b.url, ref, { action: 'resolve', text: '厂方已结清工资' });
    const socket = await client.connect();
    try {
      clock.set('2026-03-12T07:59:00Z'); // a minute before the 7 days are up
      await Promise.all([a.deadlines.runDue(), b.deadlines.runDue()]);
      expect((await adminCase(a.url, ref)).status).toBe('resolved');

      clock.set('2026-03-12T08:00:00Z');
      await Promise.all([a.deadlines.runDue(), b.deadlines.runDue(), a.deadlines.runDue(), b.deadlines.runDue()]);
      expect((await adminCase(a.url, ref)).status).toBe('closed');
      expect(await closes(a, ref)).toEqual([['hub', 'no_feedback']]);
      expect(await a.db.deadlineAlert.count({ where: { case: { trackingNumber: ref }, deadline: 'feedback' } })).toBe(1);
      const told = (await client.history()).filter((m) => m.text === SILENT(ref));
      expect(told.map((m) => m.role)).toEqual(['system']);
      expect((await socket.next()).text).toBe(SILENT(ref));
    } finally {
      socket.close();
    }

    // An answer to the old question is no longer taken as feedback, and a review is refused with the reason.
    expect(lines(await client.say('yes'))).toEqual([['bot', `您的案件 ${ref} 目前的状态是：已结案。现在由人力资源和社会保障局负责。已经结案。`]]);
    expect((await client.say('我要申请复查'))[0].text).toBe(`案件 ${ref} 已经办结归档，不能再申请复查了。如果有新的情况，可以直接告诉我，我会为您登记为一件新的诉求。`);
    expect(await a.db.caseEvent.count({ where: { case: { trackingNumber: ref }, type: 'feedback' } })).toBe(0);
  });

  it('closes one that ran out while no hub was running when a hub starts', async () => {
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const first = await start(clock, { FEEDBACK_TIMEOUT_DAYS: '3' });
    const { client, ref } = await fileLabourCase(first.url);
    await act(first.url, ref, { action: 'accept' });
    await act(first.url, ref, { action: 'resolve', text: '已处理' });
    await first.stop();

    clock.set('2026-03-06T00:00:00Z');
    const second = await start(clock, { FEEDBACK_TIMEOUT_DAYS: '3' }, first);
    // Starting sweeps by itself; this waits for that sweep (or runs one more).
    await second.deadlines.runDue();
    expect((await adminCase(second.url, ref)).status).toBe('closed');
    await second.stop();
    const third = await start(clock, { FEEDBACK_TIMEOUT_DAYS: '3' }, first);
    await third.deadlines.runDue();
    expect(await closes(third, ref)).toEqual([['hub', 'no_feedback']]);
    const resumed = WebchatClient.resume(third.url, client.sessionId, client.token);
    expect((await resumed.history()).filter((m) => m.text === SILENT(ref))).toHaveLength(1);
  });
});

describe('an unsatisfied follow-up', () => {
  it('keeps the case open for a review until the window ends, refuses a late one with the reason, then closes', async () => {
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const env = { FEEDBACK_TIMEOUT_DAYS: '3', REVIEW_WINDOW_DAYS: '10' };
    const hub = await start(clock, env);
    const { client, ref } = await fileLabourCase(hub.url);
    await act(hub.url, ref, { action: 'accept' });
    await act(hub.url, ref, { action: 'resolve', text: '已协调厂方' });

    clock.set('2026-03-03T08:00:00Z');
    await client.say('没有解决');
    await client.say('1');
    const offered = await client.say('没有');
    expect(offered.at(-1)?.text).toContain('复查请在2026年3月12日前申请');

    clock.set('2026-03-06T08:00:00Z'); // past the 3 days without an answer, inside the review window
    await hub.deadlines.runDue();
    expect((await adminCase(hub.url, ref)).status).toBe('resolved');

    clock.set('2026-03-12T09:00:00Z'); // the window ended an hour ago; the sweep has not run yet
    expect(lines(await client.say('yes'))).toEqual([
      ['bot', `很抱歉，复查需要在收到答复之日起10天内申请。案件 ${ref} 是2026年3月2日答复的，已经超过了这个期限，所以不能再申请复查了。如果有新的情况，可以直接告诉我，我会为您登记为一件新的诉求。`],
    ]);
    expect((await adminCase(hub.url, ref)).status).toBe('resolved');

    await hub.deadlines.runDue();
    expect((await adminCase(hub.url, ref)).status).toBe('closed');
    expect(await closes(hub, ref)).toEqual([['hub', 'review_window_ended']]);
    expect((await client.history()).at(-1)?.text).toBe(`案件 ${ref} 申请复查的期限已经过了，案件现已结案。感谢您的反馈，以后有任何需要，随时可以再来找我。`);
  });
});

describe('a review of a rejection', () => {
  it('reopens a rejected case when asked within the window, and refuses once it has passed', async () => {
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const hub = await start(clock, { REVIEW_WINDOW_DAYS: '5' });
    const first = await fileLabourCase(hub.url);
    await act(hub.url, first.ref, { action: 'reject', text: '不属于本机关职责范围' });
    expect((await first.client.history()).at(-1)?.text).toContain('您可以在收到本通知之日起5天内申请复查');
    clock.set('2026-03-04T08:00:00Z');
    expect((await first.client.say('我不服,我要申请复查'))[0].text).toBe(
      `已经为您申请复查。案件 ${first.ref} 已重新交给人力资源和社会保障局办理，2026年5月3日前会给您答复，办理进展会在这里告诉您。`,
    );
    const reopened = await adminCase(hub.url, first.ref);
    expect([reopened.status, reopened.resolutionDueAt]).toEqual(['reopened', '2026-05-03T08:00:00.000Z']);

    const second = await fileLabourCase(hub.url);
    await act(hub.url, second.ref, { action: 'reject', text: '不属于本机关职责范围' });
    clock.set('2026-03-10T08:00:00Z');
    expect((await second.client.say('我要申请复查'))[0].text).toContain('复查需要在收到答复之日起5天内申请');
    expect((await adminCase(hub.url, second.ref)).status).toBe('rejected');
  });
});
