import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { buttonClick, modalSubmit, postSigned } from '../helpers/slack-requests.js';
import { TestClock } from '../helpers/clock.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { blocksOf, drained, SLACK_SECRET, slackHubEnv } from '../helpers/slack-setup.js';
import { eventually } from '../helpers/eventually.js';

const SECRET = SLACK_SECRET;
const HR = 'C0HR';
const SUPERVISORS = 'C0SUPER';
const OFFICER = 'U0WANG';

describe('deadlines in Slack, with two hubs on one database', () => {
  const clock = new TestClock('2026-03-02T08:00:00Z');
  let slack: FakeSlack;
  let a: TestHub;
  let b: TestHub;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, [OFFICER, 'UBOT']);
    const env = slackHubEnv(slack.url, HR, SUPERVISORS);
    a = await startTestHub({ now: clock.now, env });
    b = await startTestHub({ now: clock.now, env, db: a.testDb });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.drop();
    await slack?.close();
  });

  it('reminds in the case thread, escalates to supervisors once, and posts no personal data', async () => {
    const { ref } = await fileLabourCase(a.url);
    const card = await slack.waitFor('chat.postMessage', (c) => c.args.channel === HR && blocksOf(c).includes(ref));
    // Where the card is, stored once the hub has Slack's answer.
    const thread = await eventually(() => a.db.slackCard.findFirst({ where: { case: { trackingNumber: ref } }, select: { ts: true } }), (c) => c?.ts != null);

    clock.set('2026-03-15T20:00:00Z'); // 36 hours before acceptance is due
    await Promise.all([a.deadlines.runDue(), b.deadlines.runDue()]);
    clock.set('2026-03-17T08:00:00Z'); // due now
    await Promise.all([a.deadlines.runDue(), b.deadlines.runDue(), a.deadlines.runDue(), b.deadlines.runDue()]);
    await drained(a);

    const inThread = slack.called('chat.postMessage').filter((c) => c.args.thread_ts === thread?.ts && c.status === 200);
    expect(inThread.map((c) => [c.args.channel, c.args.text])).toEqual([
      [HR, `:hourglass_flowing_sand: Reminder: the decision whether to accept on *${ref}* is due by 2026-03-17 16:00 (Asia/Shanghai).`],
      [HR, `:rotating_light: *${ref}* is overdue: the decision whether to accept was due by 2026-03-17 16:00 (Asia/Shanghai). Supervisors have been told.`],
    ]);
    const escalated = slack.called('chat.postMessage').filter((c) => c.args.channel === SUPERVISORS && c.status === 200);
    expect(escalated.map((c) => c.args.text)).toEqual([
      [
        `:rotating_light: Overdue: *${ref}* · Labour and social security · Human Resources and Social Security Bureau · status submitted`,
        'The decision whether to accept was due by 2026-03-17 16:00 (Asia/Shanghai).',
        `Card: <#${HR}>`,
        `Case page: https://petitions.example.gov/cases/${ref}`,
      ].join('\n'),
    ]);
    const posted = JSON.stringify([...inThread, ...escalated].map((c) => c.args));
    for (const secret of ['李建国', '13912345678', '宏达', '福永']) expect(posted).not.toContain(secret);
    expect(escalated[0].args.link_names).toBeUndefined();
    expect(card.args.channel).toBe(HR);
  });

  it('extends the deadline from the card: a form for days and reason, once, and the card says so', async () => {
    clock.set('2026-03-02T08:00:00Z');
    const { client, ref } = await fileLabourCase(b.url);
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === HR && blocksOf(c).includes(ref));
    const click = (action: string) => postSigned(a.url, SECRET, buttonClick(OFFICER, HR, `case:${action}`, ref));
    const submit = (days: string, text: string) =>
      postSigned(
        a.url,
        SECRET,
        modalSubmit(OFFICER, 'case-extend', { ref, channel: HR }, { days: { value: { type: 'number_input', value: days } }, text: { value: { type: 'plain_text_input', value: text } } }),
      );
    await click('accept');
    const accepted = await slack.waitFor('chat.update', (c) => blocksOf(c).includes(ref) && blocksOf(c).includes('accepted'));
    expect(blocksOf(accepted)).toContain('"action_id":"case:extend"');

    await click('extend');
    const form = await slack.waitFor('views.open', (c) => JSON.stringify(c.args.view).includes('case-extend') && JSON.stringify(c.args.view).includes(ref));
    expect(JSON.stringify(form.args.view)).toContain('"type":"number_input","action_id":"value","is_decimal_allowed":false,"min_value":"1","max_value":"30"');

    const tooLong = await submit('45', '需要调取工资台账');
    expect(await tooLong.json()).toEqual({ response_action: 'errors', errors: { days: 'A whole number of days from 1 to 30.' } });
    const c0 = await a.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } });
    expect([c0.resolutionDueAt.toISOString(), c0.resolutionExtendedAt]).toEqual(['2026-05-01T08:00:00.000Z', null]);

    expect((await submit('20', '需要调取工资台账')).status).toBe(200);
    const updated = await slack.waitFor('chat.update', (c) => blocksOf(c).includes(ref) && blocksOf(c).includes('(extended)'));
    expect(blocksOf(updated)).toContain('*Answer by*\\n2026-05-21 (extended)');
    expect(blocksOf(updated)).not.toContain('case:extend');
    const told = (await client.history()).at(-1);
    expect(told?.text).toBe(`人力资源和社会保障局决定将您的案件 ${ref} 的办理期限延长20天，将在2026年5月21日前给您书面答复。延期理由：需要调取工资台账`);
    const event = await a.db.caseEvent.findFirstOrThrow({ where: { case: { trackingNumber: ref }, type: 'extend' } });
    expect([event.actor, event.text]).toEqual([`slack:${OFFICER}`, '需要调取工资台账']);

    // A second try (an old card, a second officer) is refused and the officer is told why.
    await submit('5', '还要再等等');
    const refused = await slack.waitFor('chat.postEphemeral', (c) => c.args.user === OFFICER && String(c.args.text).includes(ref));
    expect(String(refused.args.text)).toBe(`Could not extend ${ref}: the answer period of ${ref} was already extended once; it cannot be extended again`);
    expect(await a.db.caseEvent.count({ where: { case: { trackingNumber: ref }, type: 'extend' } })).toBe(1);
  });
});
