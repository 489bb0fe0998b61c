import { afterAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { TestClock } from '../helpers/clock.js';
import { act, adminCase, lines, queryCodeIn } from '../helpers/follow-up.js';

const ENV = { TIME_ZONE: 'Asia/Shanghai' };
const hubs: TestHub[] = [];
afterAll(async () => {
  for (const h of [...hubs].reverse()) await (h === hubs[0] ? h.drop() : h.stop());
});

const satisfaction = async (hub: TestHub) => (await api<{ satisfaction: unknown }>(hub.url, '/api/stats', { token: ADMIN_TOKEN })).body.satisfaction;

describe('a petition from filing to closing, with a review, across a restart', () => {
  it('files, is answered, follows up, reviews on an unsatisfied answer, and closes on a satisfied one', async () => {
    const clock = new TestClock('2026-03-02T08:00:00Z');
    const first = await startTestHub({ now: clock.now, env: ENV });
    hubs.push(first);
    const client = await WebchatClient.open(first.url, 'zh-CN');
    const { trackingNumber: ref, seen } = await completeIntake(
      client,
      '我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元。',
      { location: '深圳市宝安区福永街道', time: '从今年八月开始', desiredOutcome: '希望尽快把工资结清', priorAttempts: '找过老板', contactName: '李建国', contactPhone: '13912345678' },
      client.greeting,
    );
    const code = queryCodeIn(seen);
    expect(seen.find((m) => m.caseRef)?.text).toContain(`受理编号是 ${ref}`);

    clock.set('2026-03-03T08:00:00Z');
    await act(first.url, ref, { action: 'accept' });
    clock.set('2026-03-04T08:00:00Z');
    await act(first.url, ref, { action: 'reply', text: '我们已联系厂方核实' });
    clock.set('2026-03-10T08:00:00Z');
    await act(first.url, ref, { action: 'resolve', text: '厂方已补发两个月工资' });
    const answered = await client.history();
    expect(lines(answered.slice(-4))).toEqual([
      ['system', `您的案件 ${ref} 已被人力资源和社会保障局受理。已经受理，2026年5月2日前会给您书面答复。`],
      ['officer', '人力资源和社会保障局工作人员回复：我们已联系厂方核实'],
      ['system', `您的案件 ${ref} 已办结。处理结果：厂方已补发两个月工资`],
      ['bot', '想跟您做个简短的回访：您反映的问题解决了吗？'],
    ]);
    expect(answered.at(-1)?.expects?.type).toBe('confirm');
    expect((await adminCase(first.url, ref)).status).toBe('resolved');

    // The hub restarts between the resolution and the petitioner's answers.
    await first.stop();
    const second = await startTestHub({ now: clock.now, env: ENV, db: first.testDb });
    hubs.push(second);
    const petitioner = WebchatClient.resume(second.url, client.sessionId, client.token);
    expect(await petitioner.history()).toEqual(answered);

    clock.set('2026-03-11T08:00:00Z');
    const unsatisfied = [
      ...(await petitioner.say('no')),
      ...(await petitioner.say('2')),
      ...(await petitioner.say('只发了两个月,还差一个月,希望继续督促')),
      ...(await petitioner.say('yes')),
    ];
    expect(lines(unsatisfied)).toEqual([
      ['bot', '很抱歉，问题还没有解决好。请您为这次办理打个分：1到5分，5分表示非常满意。'],
      ['bot', '您对我们的工作还有什么意见或建议吗？有的话直接告诉我；没有的话回复“没有”就好。'],
      ['bot', '谢谢您的评价，您的意见和建议已经转给人力资源和社会保障局，我们会认真改进。'],
      ['bot', '如果您对处理结果不满意，可以申请复查：我们会重新办理，并在新的期限内给您答复。复查请在2026年4月9日前申请。需要为您申请复查吗？'],
      ['bot', `已经为您申请复查。案件 ${ref} 已重新交给人力资源和社会保障局办理，2026年5月10日前会给您答复，办理进展会在这里告诉您。`],
    ]);
    const reviewed = await adminCase(second.url, ref);
    expect([reviewed.status, reviewed.resolutionDueAt]).toEqual(['reopened', '2026-05-10T08:00:00.000Z']);
    const review = await second.db.caseEvent.findFirstOrThrow({ where: { case: { trackingNumber: ref }, type: 'reopen' } });
    expect([review.actor, review.fromStatus, review.toStatus]).toEqual(['petitioner', 'resolved', 'reopened']);
    expect(await satisfaction(second)).toEqual({ rated: 1, satisfied: 0, rate: 0 });

    // Another channel can follow it with the number and the code.
    const elsewhere = await WebchatClient.open(second.url, 'zh-CN');
    expect(lines(await elsewhere.say(`查询 ${ref} 验证码 ${code}`))).toEqual([
      ['bot', `您的案件 ${ref} 目前的状态是：复查中。现在由人力资源和社会保障局负责。已重新办理，2026年5月10日前会给您答复。`],
    ]);

    clock.set('2026-03-12T08:00:00Z');
    await act(second.url, ref, { action: 'start' });
    clock.set('2026-03-20T08:00:00Z');
    await act(second.url, ref, { action: 'resolve', text: '厂方已结清全部工资' });
    clock.set('2026-03-21T08:00:00Z');
    const satisfied = [...(await petitioner.say('已经解决了')), ...(await petitioner.say('5')), ...(await petitioner.say('没有'))];
    expect(lines(satisfied)).toEqual([
      ['bot', '太好了，问题解决了就好。请您为这次办理打个分：1到5分，5分表示非常满意。'],
      ['bot', '您对我们的工作还有什么意见或建议吗？有的话直接告诉我；没有的话回复“没有”就好。'],
      ['bot', `谢谢您的评价，这对我们改进工作很重要。案件 ${ref} 已经办结。以后有任何需要，随时可以再来找我。`],
    ]);
    expect((await adminCase(second.url, ref)).status).toBe('closed');
    const events = await second.db.caseEvent.findMany({ where: { case: { trackingNumber: ref } }, orderBy: { createdAt: 'asc' } });
    expect(events.filter((e) => e.fromStatus !== e.toStatus).map((e) => `${e.type}:${e.actor}:${e.toStatus}`)).toEqual([
      'filed:petitioner:submitted',
      'accept:officer:wang:accepted',
      'resolve:officer:wang:resolved',
      'reopen:petitioner:reopened',
      'start:officer:wang:in_progress',
      'resolve:officer:wang:resolved',
      'close:petitioner:closed',
    ]);
    // The comment is the event's text (personal data, encrypted at rest when keys are set), not its data.
    expect(events.filter((e) => e.type === 'feedback').map((e) => [JSON.parse(e.data ?? ''), e.text])).toEqual([
      [{ rating: 2, solved: false }, '只发了两个月,还差一个月,希望继续督促'],
      [{ rating: 5, solved: true }, null],
    ]);
    // The latest rating of the case counts.
    expect(await satisfaction(second)).toEqual({ rated: 1, satisfied: 1, rate: 1 });
  });
});
