import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack, type SlackCall } from '../helpers/fake-slack.js';
import { buttonClick, postEvent, postSigned } from '../helpers/slack-requests.js';
import { api } from '../helpers/webchat-client.js';
import { TestClock } from '../helpers/clock.js';

const SECRET = 'slack-test-signing-secret';
const EMPLOYEE = 'U0EMPLOYEE';

let n = 0;
const dmsTo = (slack: FakeSlack, user: string) => slack.called('chat.postMessage').filter((c) => c.args.channel === user && c.status === 200);

/** Sends a DM as Slack delivers it and waits for the bot's answer to arrive in the DM. */
async function sendDm(hub: TestHub, slack: FakeSlack, user: string, text: string): Promise<SlackCall[]> {
  const before = dmsTo(slack, user).length;
  n++;
  const event = { type: 'message', channel: `D${user}`, channel_type: 'im', user, text, ts: `1700000${String(n).padStart(3, '0')}.000100` };
  expect((await postEvent(hub.url, SECRET, `EvDM${n}`, event)).status).toBe(200);
  const until = Date.now() + 10_000;
  while (dmsTo(slack, user).length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  await new Promise((r) => setTimeout(r, 100));
  return dmsTo(slack, user).slice(before);
}

/** Answers "不方便说" until the summary's buttons come, then presses "yes"; returns the tracking number. */
async function fileByDm(hub: TestHub, slack: FakeSlack, user: string, first: string): Promise<string> {
  let last = await sendDm(hub, slack, user, first);
  for (let i = 0; i < 8 && !JSON.stringify(last.at(-1)?.args.blocks ?? []).includes('intake:reply:yes'); i++) last = await sendDm(hub, slack, user, '不方便说');
  const button = (last.at(-1)?.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[] | undefined)
    ?.find((b) => b.type === 'actions')
    ?.elements?.find((e) => e.action_id === 'intake:reply:yes');
  expect(button).toBeDefined();
  const before = dmsTo(slack, user).length;
  await postSigned(hub.url, SECRET, buttonClick(user, `D${user}`, 'intake:reply:yes', button?.value ?? ''));
  const until = Date.now() + 10_000;
  while (dmsTo(slack, user).length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  const ref = /XF-\d{6}-[A-Z2-9]{5}/.exec(String(dmsTo(slack, user).at(-1)?.args.text))?.[0];
  expect(ref).toBeDefined();
  return ref as string;
}

describe('an employee petitions through a Slack DM', () => {
  let hub: TestHub;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    hub = await startTestHub({ env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: 'C0INTAKE' } });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  const dmsToEmployee = () => dmsTo(slack, EMPLOYEE);
  const dm = (text: string) => sendDm(hub, slack, EMPLOYEE, text);

  it('greets, asks only what is missing, and files the same kind of case as the web chat', async () => {
    const first = await dm('我要反映我们部门主管长期克扣加班费的问题,已经半年了,我叫周晓,电话13512340000,在公司总部三楼研发部');
    const texts = first.map((c) => String(c.args.text));
    expect(texts[0]).toContain('您好');
    let last = first;
    for (let i = 0; i < 8; i++) {
      const blocks = JSON.stringify(last.at(-1)?.args.blocks ?? []);
      if (blocks.includes('intake:reply:yes')) break;
      last = await dm('不方便说');
    }
    // The summary comes with buttons; pressing "yes" is a signed block_actions request.
    const confirm = last.at(-1) as SlackCall;
    const button = (confirm.args.blocks as { type: string; elements?: { action_id: string; value: string }[] }[])
      .find((b) => b.type === 'actions')
      ?.elements?.find((e) => e.action_id === 'intake:reply:yes');
    expect(button).toBeDefined();
    // Name and phone were in the first message: never asked for.
    expect(dmsToEmployee().some((c) => /怎么称呼|联系电话/.test(String(c.args.text)) && !String(c.args.text).includes('•'))).toBe(false);
    const before = dmsToEmployee().length;
    await postSigned(hub.url, SECRET, buttonClick(EMPLOYEE, `D${EMPLOYEE}`, 'intake:reply:yes', button?.value ?? ''));
    const until = Date.now() + 10_000;
    while (dmsToEmployee().length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    const filed = String(dmsToEmployee().at(-1)?.args.text);
    const ref = /XF-\d{6}-[A-Z2-9]{5}/.exec(filed)?.[0];
    expect(ref).toBeDefined();
    const c = await api<{ channel: string; details: { contactName?: string } }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.body.channel).toBe('slack');
    expect(c.body.details.contactName).toBe('周晓');

    // An officer's reply reaches the employee in the DM.
    await api(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '已转交人事部核查 <!channel>', actor: 'officer:1' } });
    await slack.waitFor('chat.postMessage', (m) => m.args.channel === EMPLOYEE && String(m.args.text).includes('已转交人事部核查'));
    const relayed = dmsToEmployee().find((m) => String(m.args.text).includes('已转交人事部核查'));
    expect(String(relayed?.args.text)).toContain('&lt;!channel&gt;');
  });

  it('handles a redelivered DM event once', async () => {
    const event = { type: 'message', channel: 'D0OTHER', channel_type: 'im', user: 'U0DUP', text: '你好', ts: '1700009999.000100' };
    await postEvent(hub.url, SECRET, 'EvDMdup', event);
    await postEvent(hub.url, SECRET, 'EvDMdup', event, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === 'U0DUP');
    await new Promise((r) => setTimeout(r, 500));
    const conv = await hub.db.conversation.findFirst({ where: { petitioner: { channelUserId: 'U0DUP' } } });
    const mine = await hub.db.message.count({ where: { conversationId: conv?.id, role: 'petitioner' } });
    expect(mine).toBe(1);
  });
});

describe('an employee who comes back to the Slack DM', () => {
  const clock = new TestClock('2026-03-02T08:00:00Z');
  let hub: TestHub;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    hub = await startTestHub({ now: clock.now, env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: 'C0INTAKE' } });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('is greeted back with where their case stands after two days, before anything is asked', async () => {
    const user = 'U0RETURNS';
    const ref = await fileByDm(hub, slack, user, '食堂承包商连续三个月克扣我们夜班员工的餐补，我叫李娜，电话13698765432，在二号厂区');
    clock.advanceHours(48);
    const back = (await sendDm(hub, slack, user, '你好')).map((c) => String(c.args.text));
    expect(back[0]).toContain('欢迎回来');
    expect(back[0]).toContain(ref);
  });
});
