import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack, type SlackCall } from '../helpers/fake-slack.js';
import { TestClock } from '../helpers/clock.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { act } from '../helpers/follow-up.js';
import { buttonClick, postEvent, postSigned } from '../helpers/slack-requests.js';
import { blocksOf, drained, SLACK_SECRET, slackHubEnv } from '../helpers/slack-setup.js';

const HR = 'C0HR';
const SUPERVISORS = 'C0SUPER';

describe('the follow-up and collective petitions in Slack', () => {
  const clock = new TestClock('2026-03-02T08:00:00Z');
  let slack: FakeSlack;
  let hub: TestHub;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, ['U0WANG', 'UBOT']);
    hub = await startTestHub({
      now: clock.now,
      env: slackHubEnv(slack.url, HR, SUPERVISORS, { GROUP_MIN_PETITIONERS: '2' }),
    });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('shows the department the feedback and suggestion (redacted), and a review request, with the card refreshed', async () => {
    const { client, ref } = await fileLabourCase(hub.url);
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === HR && blocksOf(c).includes(ref));
    await act(hub.url, ref, { action: 'accept' });
    await act(hub.url, ref, { action: 'resolve', text: '已督促厂方发放工资' });
    await drained(hub);
    // Read once the card is stored (the fake answers before the hub has saved where the card is).
    const slackTs = (await hub.db.slackCard.findFirst({ where: { case: { trackingNumber: ref } } }))?.ts;
    expect(slackTs).toMatch(/^\d+\.\d+$/);
    const before = slack.called('chat.postMessage').length;

    await client.say('没有解决');
    await client.say('2');
    await client.say('李建国跟你们说过了,厂里只发了一半,有事打我电话13912345678');
    await client.say('yes');
    await drained(hub);

    const inThread = slack.called('chat.postMessage').slice(before).filter((c) => c.args.thread_ts === slackTs && c.status === 200);
    expect(inThread.map((c) => c.args.text)).toEqual([
      ':speech_balloon: *Follow-up:* the petitioner says not solved, rated 2/5.\n*Suggestion:* [name]跟你们说过了,厂里只发了一半,有事打我电话139****5678',
      ':leftwards_arrow_with_hook: *The petitioner requested a review (复查);* the case is reopened. The new answer is due by 2026-05-01 16:00 (Asia/Shanghai).',
    ]);
    const card = slack.called('chat.update').filter((c) => blocksOf(c).includes(ref)).at(-1) as SlackCall;
    expect(blocksOf(card)).toContain('*Status*\\nreopened');
  });

  it('flags similar petitions from several petitioners to supervisors once, without personal data', async () => {
    clock.set('2026-03-02T09:00:00Z');
    const first = await hub.db.case.findFirstOrThrow({ orderBy: { createdAt: 'asc' } });
    const second = await fileLabourCase(hub.url);
    await drained(hub);
    clock.set('2026-03-02T10:00:00Z');
    const third = await fileLabourCase(hub.url);
    await drained(hub);

    const flagged = slack.called('chat.postMessage').filter((c) => c.args.channel === SUPERVISORS && c.status === 200);
    expect(flagged.map((c) => c.args.text)).toEqual([
      [
        `:busts_in_silhouette: *Possible collective petition* (G-${first.trackingNumber}): 2 similar petitions from 2 petitioners · Labour and social security · Human Resources and Social Security Bureau`,
        `Filed from 2026-03-02 16:00 (Asia/Shanghai) to 2026-03-02 17:00 (Asia/Shanghai): ${first.trackingNumber}, ${second.ref}`,
        `Case page: https://petitions.example.gov/cases/${first.trackingNumber}`,
      ].join('\n'),
    ]);
    expect(flagged[0].args.link_names).toBeUndefined();
    const posted = JSON.stringify(flagged.map((c) => c.args));
    for (const secret of ['李建国', '13912345678', '宏达', '福永', '工资']) expect(posted).not.toContain(secret);
    const third_ = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: third.ref } });
    expect(third_.groupId).toBe(`G-${first.trackingNumber}`);
  });

  it('reaches a petitioner in a Slack DM too, with buttons for the answers', async () => {
    const EMPLOYEE = 'U0EMPLOYEE';
    const toEmployee = () => slack.called('chat.postMessage').filter((c) => c.args.channel === EMPLOYEE && c.status === 200);
    const arrived = async (before: number) => {
      const until = Date.now() + 10_000;
      while (toEmployee().length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
      await drained(hub);
      return toEmployee().slice(before);
    };
    let n = 0;
    const dm = async (text: string) => {
      const before = toEmployee().length;
      n++;
      const event = { type: 'message', channel: 'D0EMPLOYEE', channel_type: 'im', user: EMPLOYEE, text, ts: `1700100${String(n).padStart(3, '0')}.000100` };
      expect((await postEvent(hub.url, SLACK_SECRET, `EvFollow${n}`, event)).status).toBe(200);
      return arrived(before);
    };
    const press = async (call: SlackCall, value: string) => {
      const actions = (call.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[]).find((b) => b.type === 'actions');
      const button = actions?.elements?.find((e) => e.action_id === `intake:reply:${value}`);
      if (!button) throw new Error(`no button ${value} on ${JSON.stringify(call.args.blocks)}`);
      const before = toEmployee().length;
      n++;
      await postSigned(hub.url, SLACK_SECRET, buttonClick(EMPLOYEE, 'D0EMPLOYEE', `intake:reply:${value}`, button.value, `1700200${n}.000100`));
      return arrived(before);
    };

    let last = await dm('公司食堂的饭菜不干净,这周好几个同事吃完都拉肚子了,在总部大楼一楼食堂,我叫周晓,电话13512340000');
    for (let i = 0; i < 8 && !JSON.stringify(last.at(-1)?.args.blocks ?? []).includes('intake:reply:yes'); i++) last = await dm('不方便说');
    const filed = await press(last.at(-1) as SlackCall, 'yes');
    const ref = /XF-\d{6}-[A-Z2-9]{5}/.exec(String(filed.at(-1)?.args.text))?.[0] as string;
    expect(String(filed.at(-1)?.args.text)).toMatch(/查询码：[2-9A-HJ-NP-Z]{6}。/);

    await act(hub.url, ref, { action: 'accept' });
    const before = toEmployee().length;
    await act(hub.url, ref, { action: 'resolve', text: '食堂已停业整顿' });
    const resolved = await arrived(before);
    const question = resolved.find((c) => String(c.args.text) === '想跟您做个简短的回访：您反映的问题解决了吗？') as SlackCall;
    const rating = await press(question, 'yes');
    expect(JSON.stringify(rating.at(-1)?.args.blocks)).toContain('"text":"5 非常满意"');
    const comment = await press(rating.at(-1) as SlackCall, '5');
    const thanked = await press(comment.at(-1) as SlackCall, 'none');
    expect(String(thanked.at(-1)?.args.text)).toBe(`谢谢您的评价，这对我们改进工作很重要。案件 ${ref} 已经办结。以后有任何需要，随时可以再来找我。`);
    const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } });
    expect(c.status).toBe('closed');
    const feedback = await hub.db.caseEvent.findFirstOrThrow({ where: { caseId: c.id, type: 'feedback' } });
    expect(JSON.parse(feedback.data ?? '')).toEqual({ rating: 5, solved: true });
  });
});
