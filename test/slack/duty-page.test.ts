import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack, type SlackCall } from '../helpers/fake-slack.js';
import { buttonClick, postEvent, postSigned } from '../helpers/slack-requests.js';
import { TestClock } from '../helpers/clock.js';
import { WebchatClient } from '../helpers/webchat-client.js';
import { drained, SLACK_SECRET, slackHubEnv } from '../helpers/slack-setup.js';
import { eventually } from '../helpers/eventually.js';

const HR = 'C0HR';
const SUPERVISORS = 'C0SUPER';
const DUTY = 'C0DUTY';
const ON_DUTY = 'U0DUTY';
const SUPERVISOR = 'U0SUPER';
// Weekdays 09:00-18:00 in Shanghai. 2026-03-02 is a Monday: 02:00 UTC is 10:00 there.
const ROSTER = `mon-fri 09:00-18:00 ${ON_DUTY}`;
const MONDAY_MORNING = '2026-03-02T02:00:00Z';
const SATURDAY = '2026-03-07T02:00:00Z';
const CRISIS = '公司拖欠我工资半年了，房东也要赶我走，我真的不想活了';
const PHONE = '13912345678';
const PLACE = '城东区幸福路大桥';

const textOf = (c: SlackCall) => `${String(c.args.text ?? '')}\n${JSON.stringify(c.args.blocks ?? [])}`;
const minutes = (n: number) => n * 60_000;

describe('emergencies page the person on duty, and escalate until someone takes them', () => {
  const clock = new TestClock(MONDAY_MORNING);
  let slack: FakeSlack;
  let a: TestHub;
  let b: TestHub;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, ['UBOT']);
    const env = slackHubEnv(slack.url, HR, SUPERVISORS, { DUTY_ROSTER: ROSTER, DUTY_SLACK_CHANNEL: DUTY, EMERGENCY_ACK_MINUTES: '5' });
    a = await startTestHub({ now: clock.now, env });
    b = await startTestHub({ now: clock.now, env, db: a.testDb });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.drop();
    await slack?.close();
  });

  const caseOf = (ref: string) => a.db.case.findUniqueOrThrow({ where: { trackingNumber: ref }, include: { events: { orderBy: { createdAt: 'asc' } } } });
  const sweepBoth = () => Promise.all([a.deadlines.runDue(), b.deadlines.runDue()]);

  async function emergency(): Promise<{ client: WebchatClient; ref: string; first: string }> {
    const client = await WebchatClient.open(a.url, 'zh-CN');
    const [reply] = await client.say(CRISIS);
    const filed = await eventually(() => a.db.case.findFirst({ where: { conversationId: client.sessionId, urgency: 'emergency' } }), (c) => c !== null);
    return { client, ref: filed!.trackingNumber, first: reply.text };
  }

  it('pages the duty officer at once (mention in the duty channel, details by direct message), who takes it with one button', async () => {
    clock.set(MONDAY_MORNING);
    const { client, ref, first } = await emergency();
    // What the bot says is what happened: a person was alerted, with the numbers and a question to reach them.
    expect(first).toContain('我已经通知值班工作人员');
    expect(first).toContain('12356');
    expect(first).toContain('电话');

    const page = await slack.waitFor('chat.postMessage', (c) => c.args.channel === DUTY && textOf(c).includes(ref));
    expect(textOf(page)).toContain(`<@${ON_DUTY}>`);
    expect(page.args.link_names).toBeUndefined();
    const dm = await slack.waitFor('chat.postMessage', (c) => c.args.channel === `D${ON_DUTY}` && textOf(c).includes(ref));
    expect(textOf(dm)).toContain('Number to call back: not given yet');
    expect(slack.called('conversations.open').some((c) => c.args.users === ON_DUTY)).toBe(true);

    // The number and the place go straight to the duty officer, and only there.
    await client.say(PHONE);
    const withPhone = await slack.waitFor('chat.postMessage', (c) => c.args.channel === `D${ON_DUTY}` && textOf(c).includes(PHONE));
    expect(textOf(withPhone)).toContain(ref);
    const [last] = (await client.say(PLACE)).slice(-1);
    expect(last.text).toContain(ref);
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === `D${ON_DUTY}` && textOf(c).includes(PLACE));
    await drained(a);
    const elsewhere = slack.called('chat.postMessage').filter((c) => !String(c.args.channel).startsWith('D'));
    // The number to call back never leaves the direct message (the place is part of the petition, as on any case).
    expect(elsewhere.map(textOf).join('\n')).not.toContain(PHONE);
    // Each sending of personal data to the duty officer is recorded on the case.
    const views = (await caseOf(ref)).events.filter((e) => e.type === 'viewed' && e.actor === `slack:${ON_DUTY}`);
    expect(views.map((v) => JSON.parse(v.data ?? '{}').via)).toContain('duty_page');

    const click = await postSigned(a.url, SLACK_SECRET, buttonClick(ON_DUTY, DUTY, 'duty:ack', ref));
    expect(click.status).toBe(200);
    const updated = await slack.waitFor('chat.update', (c) => c.args.channel === DUTY && String(c.args.text).includes(`Taken by <@${ON_DUTY}>`));
    expect(JSON.stringify(updated.args.blocks)).not.toContain('duty:ack');
    const acked = await caseOf(ref);
    expect([acked.emergencyAckBy, acked.emergencyEscalateAt]).toEqual([`slack:${ON_DUTY}`, null]);
    expect(acked.events.filter((e) => e.type === 'acknowledge').map((e) => e.actor)).toEqual([`slack:${ON_DUTY}`]);
    // The petitioner is told that a person has it.
    await eventually(() => client.history(), (h) => h.some((m) => m.text.includes('值班工作人员已经接手')));
    // The case card says who took it.
    await slack.waitFor('chat.update', (c) => c.args.channel === HR && textOf(c).includes(`taken by <@${ON_DUTY}>`));

    // A second press, by anyone, changes nothing and says who has it.
    await postSigned(a.url, SLACK_SECRET, buttonClick(SUPERVISOR, DUTY, 'duty:ack', ref));
    await slack.waitFor('chat.update', (c) => String(c.args.text).includes(`Already taken by <@${ON_DUTY}>`));

    // Acknowledged: no escalation however long it stays open.
    clock.set(new Date(Date.parse(MONDAY_MORNING) + minutes(30)));
    await sweepBoth();
    await drained(a);
    expect((await caseOf(ref)).events.some((e) => e.type === 'emergency_unacknowledged')).toBe(false);
    expect(slack.called('chat.postMessage').filter((c) => c.args.channel === SUPERVISORS && textOf(c).includes(ref))).toEqual([]);
  });

  it('escalates to the supervisors every five minutes while nobody acknowledges, once across instances, and stops when taken', async () => {
    clock.set(MONDAY_MORNING);
    const { ref } = await emergency();
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === DUTY && textOf(c).includes(ref));
    const start = Date.parse(MONDAY_MORNING);
    const toSupervisors = () => slack.called('chat.postMessage').filter((c) => c.args.channel === SUPERVISORS && textOf(c).includes(ref) && c.status === 200);

    clock.set(new Date(start + minutes(4)));
    await sweepBoth();
    expect((await caseOf(ref)).events.some((e) => e.type === 'emergency_unacknowledged')).toBe(false);

    clock.set(new Date(start + minutes(5)));
    await Promise.all([sweepBoth(), sweepBoth()]);
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === SUPERVISORS && textOf(c).includes('after 5 minutes') && textOf(c).includes(ref));
    clock.set(new Date(start + minutes(10)));
    await sweepBoth();
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === SUPERVISORS && textOf(c).includes('after 10 minutes') && textOf(c).includes(ref));
    await drained(a);
    expect(toSupervisors()).toHaveLength(2);
    expect(textOf(toSupervisors()[0])).toContain(`On duty: <@${ON_DUTY}>`);
    const rounds = (await caseOf(ref)).events.filter((e) => e.type === 'emergency_unacknowledged').map((e) => JSON.parse(e.data ?? '{}'));
    expect(rounds).toEqual([
      { round: 1, minutes: 5, escalatedTo: 'supervisors' },
      { round: 2, minutes: 10, escalatedTo: 'supervisors' },
    ]);

    // A supervisor takes it from the escalation; the next round does not come.
    await postSigned(b.url, SLACK_SECRET, buttonClick(SUPERVISOR, SUPERVISORS, 'duty:ack', ref));
    await eventually(() => caseOf(ref), (c) => c.emergencyAckBy === `slack:${SUPERVISOR}`);
    clock.set(new Date(start + minutes(20)));
    await sweepBoth();
    await drained(a);
    expect(toSupervisors()).toHaveLength(2);
    expect((await caseOf(ref)).events.filter((e) => e.type === 'emergency_unacknowledged')).toHaveLength(2);
  });

  it('with nobody on duty, never says someone was alerted, still asks how to reach them and still posts the page', async () => {
    clock.set(SATURDAY);
    const { client, ref, first } = await emergency();
    expect(first).not.toMatch(/通知|值班/);
    expect(first).toContain('12356');
    expect(first).toContain('电话');
    const page = await slack.waitFor('chat.postMessage', (c) => c.args.channel === DUTY && textOf(c).includes(ref));
    expect(textOf(page)).toContain('Nobody is on the duty roster right now');
    const replies = [...(await client.say(PHONE)), ...(await client.say(PLACE))];
    expect(replies.map((r) => r.text).join('\n')).not.toMatch(/通知|值班|转给/);
    expect(replies.at(-1)?.text).toContain(ref);
  });

  it('an employee writing to the bot in a Slack direct message is answered truthfully and paged for', async () => {
    clock.set(MONDAY_MORNING);
    const staff = 'U0STAFF';
    const event = { type: 'message', channel: `D${staff}`, channel_type: 'im', user: staff, text: CRISIS, ts: '1700000900.000100' };
    expect((await postEvent(a.url, SLACK_SECRET, 'EvDuty1', event)).status).toBe(200);
    const answer = await slack.waitFor('chat.postMessage', (c) => c.args.channel === staff && String(c.args.text).includes('12356'));
    expect(String(answer.args.text)).toContain('我已经通知值班工作人员');
    const filed = await eventually(() => a.db.case.findFirst({ where: { channel: 'slack', urgency: 'emergency' } }), (c) => c !== null);
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === DUTY && textOf(c).includes(filed!.trackingNumber) && textOf(c).includes(`<@${ON_DUTY}>`));
  });

  it('a filed case that turns into an emergency pages for that case', async () => {
    clock.set(MONDAY_MORNING);
    const { fileLabourCase } = await import('../helpers/petitions.js');
    const { client, ref } = await fileLabourCase(a.url);
    const [reply] = await client.say('他们今天找了几个人堵在我家门口，说要打死我');
    expect(reply.text).toContain('我已经通知值班工作人员');
    const page = await slack.waitFor('chat.postMessage', (c) => c.args.channel === DUTY && textOf(c).includes(ref));
    expect(textOf(page)).toContain('violence');
    const c = await caseOf(ref);
    expect(c.urgency).toBe('emergency');
    expect(c.emergencyEscalateAt?.toISOString()).toBe(new Date(Date.parse(MONDAY_MORNING) + minutes(5)).toISOString());
  });
});

describe('emergencies with no officer side configured', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { DUTY_ROSTER: ROSTER, TIME_ZONE: 'Asia/Shanghai' } });
  });
  afterAll(async () => {
    await hub?.drop();
  });

  it('gives the numbers and never says that anyone was alerted: nobody can be paged', async () => {
    const client = await WebchatClient.open(hub.url, 'en');
    const [reply] = await client.say("I can't go on anymore, I want to end my life. My boss has not paid me for six months.");
    expect(reply.text).toContain('Mental health crisis line 12356');
    expect(reply.text).not.toMatch(/alerted|duty officer|notified/i);
    const c = await eventually(() => hub.db.case.findFirst({ where: { urgency: 'emergency' } }), (x) => x !== null);
    expect(c?.emergencyEscalateAt).toBeNull();
  });
});
