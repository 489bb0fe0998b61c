import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack, type SlackCall } from '../helpers/fake-slack.js';
import { buttonClick, modalSubmit, postEvent, postSigned } from '../helpers/slack-requests.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { routingFileWithHrChannel } from '../helpers/slack-setup.js';
import { eventually } from '../helpers/eventually.js';
import { ConsoleClient, createAccount } from '../helpers/console-client.js';

const SECRET = 'slack-test-signing-secret';
const HR = 'C0HR';
const INTAKE = 'C0INTAKE';
const OFFICER = 'U0WANG';
const OUTSIDER = 'U0OTHER';

function cardText(call: SlackCall): string {
  return JSON.stringify(call.args.blocks);
}

async function filePetition(hub: TestHub, story: string): Promise<{ client: WebchatClient; ref: string }> {
  const client = await WebchatClient.open(hub.url, 'zh-CN');
  const { trackingNumber } = await completeIntake(client, story, {
    location: '深圳市宝安区福永街道',
    time: '今年八月开始',
    desiredOutcome: '希望尽快结清工资',
    priorAttempts: '找过老板',
    contactName: '李建国',
    contactPhone: '13912345678',
  });
  return { client, ref: trackingNumber };
}

describe('officers work a web chat petition in Slack', () => {
  let hub: TestHub;
  let slack: FakeSlack;
  const click = (user: string, action: string, ref: string) => postSigned(hub.url, SECRET, buttonClick(user, HR, `case:${action}`, ref));

  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, [OFFICER, 'UBOT']);
    hub = await startTestHub({
      env: {
        SLACK_BOT_TOKEN: 'xoxb-test',
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.url,
        SLACK_INTAKE_CHANNEL: INTAKE,
        ROUTING_FILE: routingFileWithHrChannel(HR),
        PUBLIC_URL: 'https://petitions.example.gov',
        OFFICE_LOCALE: 'en',
      },
    });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('posts an escaped, redacted card in the department channel, and each action reaches the petitioner', async () => {
    const { client, ref } = await filePetition(
      hub,
      '<!channel> <@U0BOSS> 我叫李建国,电话13912345678,身份证11010519491231002X。宏达电子厂老板拖欠我们三个月工资 <http://evil.example|点这里>',
    );
    const posted = await slack.waitFor('chat.postMessage', (c) => cardText(c).includes(ref));
    expect(posted.args.channel).toBe(HR);
    expect(posted.args.link_names).toBeUndefined();
    const card = cardText(posted);
    expect(card).toContain('&lt;!channel&gt; &lt;@U0BOSS&gt;');
    expect(card).toContain('&lt;http://evil.example|点这里&gt;');
    expect(card).not.toContain('<!channel>');
    // Why it came here, so that a wrong routing is quick to see; still no personal data.
    expect(card).toMatch(/\*Routing:\* Labour and social security \d+ %/);
    expect(card).toMatch(/Words that weighed most:[^"]*工资/);
    expect(card).not.toContain('13912345678');
    expect(card).not.toContain('11010519491231002X');
    expect(card).not.toContain('李建国');
    expect(card).toContain(`https://petitions.example.gov/cases/${ref}`);
    expect(String(posted.args.text)).not.toContain('李建国');

    const socket = await client.connect();
    try {
      expect((await click(OFFICER, 'claim', ref)).status).toBe(200);
      await slack.waitFor('chat.update', (c) => cardText(c).includes(`<@${OFFICER}>`));
      expect((await socket.next()).text).toContain('接手');

      await click(OFFICER, 'accept', ref);
      await slack.waitFor('chat.update', (c) => cardText(c).includes('accepted'));
      expect((await socket.next()).text).toContain('受理');

      // Reply: the button opens a modal; submitting it sends the text to the petitioner.
      await click(OFFICER, 'reply', ref);
      const modal = await slack.waitFor('views.open', (c) => JSON.stringify(c.args.view).includes('case-text:reply'));
      expect(modal.args.trigger_id).toBe('1234.5678.abcd');
      expect(modal.args.view).toMatchObject({ title: { text: 'Reply to petitioner' }, submit: { text: 'Send' } });
      const submit = await postSigned(
        hub.url,
        SECRET,
        modalSubmit(OFFICER, 'case-text:reply', { ref, channel: HR }, { text: { value: { type: 'plain_text_input', value: '我们已约谈厂方负责人' } } }),
      );
      expect(submit.status).toBe(200);
      const reply = await socket.next();
      expect(reply.role).toBe('officer');
      expect(reply.text).toContain('我们已约谈厂方负责人');

      await click(OFFICER, 'start', ref);
      await socket.next();
      await postSigned(hub.url, SECRET, modalSubmit(OFFICER, 'case-text:resolve', { ref, channel: HR }, { text: { value: { type: 'plain_text_input', value: '厂方已结清全部工资' } } }));
      expect((await socket.next()).text).toContain('厂方已结清全部工资');
      await slack.waitFor('chat.update', (c) => cardText(c).includes('resolved'));
    } finally {
      socket.close();
    }
    const c = await api<{ status: string }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.body.status).toBe('resolved');
  });

  it('opens the full case, personal data included, only through a one-time link issued to a member', async () => {
    const { ref } = await filePetition(hub, '<script>alert(1)</script> 我叫李建国,工厂拖欠工资三个月');
    await slack.waitFor('chat.postMessage', (c) => cardText(c).includes(ref));
    await click(OFFICER, 'view', ref);
    const note = await slack.waitFor('chat.postEphemeral', (c) => c.args.user === OFFICER && String(c.args.text).includes(`/cases/${ref}?t=`));
    const link = /<([^|>]+)\|/.exec(String(note.args.text))?.[1] as string;
    const local = new URL(link);
    const url = `${hub.url}${local.pathname}${local.search}`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const html = await first.text();
    expect(html).toContain('李建国');
    expect(html).toContain('13912345678');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    // Why it was routed here, for the officer who may correct it.
    expect(html).toMatch(/<h2>Routing<\/h2><p>labour_social_security \d+ %/);
    expect(html).toMatch(/Words that weighed most: [^<]*工资/);
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(`${hub.url}/cases/${ref}`)).status).toBe(401);
    const viewed = await hub.db.caseEvent.findMany({ where: { case: { trackingNumber: ref }, type: 'viewed' } });
    expect(viewed.map((e) => e.actor)).toEqual([`slack:${OFFICER}`]);

    await click(OUTSIDER, 'view', ref);
    await slack.waitFor('chat.postEphemeral', (c) => c.args.user === OUTSIDER && String(c.args.text).includes('Only members'));
    expect(slack.called('chat.postEphemeral').some((c) => c.args.user === OUTSIDER && String(c.args.text).includes('?t='))).toBe(false);
  });

  it('an empty modal is refused with a field error and changes nothing', async () => {
    const { ref } = await filePetition(hub, '工厂拖欠我工资两个月了');
    await slack.waitFor('chat.postMessage', (c) => cardText(c).includes(ref));
    const r = await postSigned(hub.url, SECRET, modalSubmit(OFFICER, 'case-text:reject', { ref, channel: HR }, { text: { value: { type: 'plain_text_input', value: '  ' } } }));
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ response_action: 'errors' });
    const c = await api<{ status: string }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.body.status).toBe('submitted');
  });

  it('someone outside the department channel cannot act on its cases', async () => {
    const { ref } = await filePetition(hub, '公司不给我们交社保,已经一年了');
    await slack.waitFor('chat.postMessage', (c) => cardText(c).includes(ref));
    await click(OUTSIDER, 'accept', ref);
    const warned = await slack.waitFor('chat.postEphemeral', (c) => c.args.user === OUTSIDER && String(c.args.text).includes(ref));
    expect(String(warned.args.text)).toContain(ref);
    const c = await api<{ status: string }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.body.status).toBe('submitted');
  });

  it('transfer moves the card to the new department channel', async () => {
    const { ref } = await filePetition(hub, '我们厂今年裁员没有给任何补偿');
    const first = await slack.waitFor('chat.postMessage', (c) => cardText(c).includes(ref));
    await click(OFFICER, 'transfer', ref);
    const modal = await slack.waitFor('views.open', (c) => JSON.stringify(c.args.view).includes('case-transfer') && JSON.stringify(c.args.view).includes('general_intake'));
    expect(JSON.stringify(modal.args.view)).not.toContain('"value":"human_resources_social_security"');
    await postSigned(hub.url, SECRET, modalSubmit(OFFICER, 'case-transfer', { ref, channel: HR }, { department: { value: { type: 'static_select', selected_option: { value: 'general_intake', text: { type: 'plain_text', text: 'x' } } } } }));
    await slack.waitFor('chat.delete', (c) => c.args.channel === HR && typeof c.args.ts === 'string');
    expect(first.args.channel).toBe(HR);
    const moved = await slack.waitFor('chat.postMessage', (c) => c.args.channel === INTAKE && cardText(c).includes(ref));
    expect(cardText(moved)).toContain('Petition Reception Centre');
  });

  it('a corrected category moves the card to that department and makes the case a labelled example', async () => {
    const { ref } = await filePetition(hub, '老板拖欠我们三个月工资,一直说没钱');
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === HR && cardText(c).includes(ref));
    await click(OFFICER, 'categorise', ref);
    const modal = await slack.waitFor('views.open', (c) => JSON.stringify(c.args.view).includes('case-categorise'));
    const view = JSON.stringify(modal.args.view);
    // The category it has is not offered; the others are.
    expect(view).not.toContain('"value":"labour_social_security"');
    expect(view).toContain('"value":"commerce_tourism"');
    await postSigned(hub.url, SECRET, modalSubmit(OFFICER, 'case-categorise', { ref, channel: HR }, { category: { value: { type: 'static_select', selected_option: { value: 'commerce_tourism', text: { type: 'plain_text', text: 'x' } } } } }));
    const moved = await slack.waitFor('chat.postMessage', (c) => c.args.channel === INTAKE && cardText(c).includes(ref));
    expect(cardText(moved)).toContain('Commerce and tourism');
    const c = await api<{ category: string; department: string; categoryConfirmed: { by: string } | null }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.body).toMatchObject({ category: 'commerce_tourism', department: 'commerce_tourism', categoryConfirmed: { by: `slack:${OFFICER}` } });
  });
});

describe('the case thread', () => {
  let hub: TestHub;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, [OFFICER]);
    hub = await startTestHub({
      env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: INTAKE, ROUTING_FILE: routingFileWithHrChannel(HR), OFFICE_LOCALE: 'en' },
    });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  const threadReply = (eventId: string, thread: string, text: string, headers?: Record<string, string>) =>
    postEvent(hub.url, SECRET, eventId, { type: 'message', channel: HR, channel_type: 'channel', user: OFFICER, text, ts: `17000001${eventId.length}.000300`, thread_ts: thread }, headers);

  it('mirrors what the petitioner adds (redacted), and relays officer replies once, however often Slack delivers them', async () => {
    const { client, ref } = await filePetition(hub, '厂里拖欠我们工资,老板跑路了');
    await slack.waitFor('chat.postMessage', (c) => cardText(c).includes(ref));
    // Where the card is, stored once the hub has Slack's answer.
    const saved = await eventually(() => hub.db.slackCard.findFirst({ where: { case: { trackingNumber: ref } } }), (c) => c?.ts != null);
    const thread = saved?.ts as string;
    expect(thread).toMatch(/^\d+\.\d+$/);

    await client.say('补充一下:我有工资条和考勤记录,<!here> 我的新手机是13700001111');
    const mirrored = await slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === thread);
    expect(mirrored.args.channel).toBe(saved?.channel);
    expect(String(mirrored.args.text)).toContain('工资条');
    expect(String(mirrored.args.text)).toContain('&lt;!here&gt;');
    expect(String(mirrored.args.text)).not.toContain('13700001111');

    const reply = '请您明天上午带上工资条来劳动监察大队';
    expect((await threadReply('Ev0001', thread, reply)).status).toBe(200);
    // Slack's retry of the same delivery:
    expect((await threadReply('Ev0001', thread, reply, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' })).status).toBe(200);
    await threadReply('Ev0002', thread, '// 这个人上个月也来反映过');
    // The officers-only line is the case's internal note; once it is recorded, both lines were handled.
    const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } });
    const note = await eventually(() => hub.db.caseEvent.findFirst({ where: { caseId: c.id, type: 'note' } }), (e) => e !== null);
    expect(note).toMatchObject({ actor: `slack:${OFFICER}`, text: '这个人上个月也来反映过' });
    const officer = (await eventually(() => client.history(), (h) => h.some((m) => m.role === 'officer'))).filter((m) => m.role === 'officer');
    expect(officer).toHaveLength(1);
    expect(officer[0].text).toContain('请您明天上午带上工资条来劳动监察大队');
    expect(JSON.stringify(await client.history())).not.toContain('上个月也来反映过');
  });
  it('stays in step with the console: an action there is a line in the thread, a note here is on the case', async () => {
    const { ref } = await filePetition(hub, '工地拖欠我们农民工工资半年了');
    const saved = await eventually(() => hub.db.case.findUnique({ where: { trackingNumber: ref }, include: { slackCard: true } }), (c) => c?.slackCard?.ts != null);
    await createAccount(hub, { username: 'chen', displayName: '陈静', role: 'officer', departments: [saved?.department as string] });
    const chen = await ConsoleClient.signIn(hub.url, 'chen');
    expect((await chen.post(`/console/cases/${ref}/actions`, { action: 'accept' })).status).toBe(303);
    expect((await chen.post(`/console/cases/${ref}/actions`, { action: 'note', text: '<!channel> 已约谈项目经理' })).status).toBe(303);
    const accepted = await slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === saved?.slackCard?.ts && String(c.args.text).includes('accepted the case'));
    expect(String(accepted.args.text)).toContain('chen');
    const note = await slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === saved?.slackCard?.ts && String(c.args.text).includes('internal note'));
    expect(String(note.args.text)).toContain('&lt;!channel&gt; 已约谈项目经理');
    // The card follows the status the console set.
    await slack.waitFor('chat.update', (c) => cardText(c).includes(ref) && cardText(c).includes('*Status*\\naccepted'));
    await threadReply('Ev0003', saved?.slackCard?.ts as string, '// 项目经理承诺月底前结清');
    await eventually(() => chen.get(`/console/cases/${ref}`), (p) => p.text.includes('项目经理承诺月底前结清'));
  });
});
