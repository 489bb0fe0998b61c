import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { eventually } from '../helpers/eventually.js';

const SECRET = 'slack-test-signing-secret';

async function file(hub: TestHub, story: string): Promise<string> {
  const client = await WebchatClient.open(hub.url, 'zh-CN');
  return (await completeIntake(client, story, { location: '北京市朝阳区', time: '上周', contactName: '不方便', contactPhone: '不方便' })).trackingNumber;
}

const includes = (ref: string) => (c: { args: Record<string, unknown> }) => JSON.stringify(c.args.blocks).includes(ref);

describe('Slack is slow, limited or down: cards are delayed, never lost', () => {
  let slack: FakeSlack;
  const hubs: TestHub[] = [];
  beforeAll(async () => {
    slack = await FakeSlack.start();
  });
  afterAll(async () => {
    for (const h of hubs.slice(1)) await h.stop();
    await hubs[0]?.drop();
    await slack?.close();
  });
  const env = () => ({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: 'C0INTAKE' });

  it('waits as long as a 429 Retry-After says, then posts', async () => {
    const hub = await startTestHub({ env: env() });
    hubs.push(hub);
    slack.fail('chat.postMessage', 1, 429, 2);
    const ref = await file(hub, '小区旁边的工地晚上施工噪音太大');
    const posted = await slack.waitFor('chat.postMessage', includes(ref), 15_000);
    const attempts = slack.called('chat.postMessage').filter(includes(ref));
    expect(attempts).toHaveLength(2);
    expect(posted.at - attempts[0].at).toBeGreaterThanOrEqual(1900);
  });

  it('keeps the card through a Slack outage and a hub restart, and posts it once Slack is back', async () => {
    const first = hubs[0];
    slack.fail('chat.postMessage', 1000, 500);
    const ref = await file(first, '我们村的自来水管道破了一个月没人修');
    // Slack is down: the hub tries, fails, and keeps the card as a pending job.
    const until = Date.now() + 10_000;
    while (!slack.called('chat.postMessage').some((c) => includes(ref)(c) && c.status === 500) && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
    expect(await first.db.outboxJob.count()).toBe(1);
    await first.stop();

    slack.fail('chat.postMessage', 0, 500);
    const second = await startTestHub({ db: first.testDb, env: env() });
    hubs.push(second);
    await slack.waitFor('chat.postMessage', includes(ref), 15_000);
    const tries = slack.called('chat.postMessage').filter(includes(ref));
    expect(tries.filter((c) => c.status === 200)).toHaveLength(1);
    expect(tries.filter((c) => c.status === 500).length).toBeGreaterThanOrEqual(1);
    // Stored once the hub has Slack's answer, a moment after Slack got the request.
    const saved = await eventually(() => second.db.slackCard.findFirst({ where: { case: { trackingNumber: ref } } }), (c) => c?.ts != null);
    expect(saved?.ts).toMatch(/^\d+\.\d+$/);
    expect(await eventually(() => second.db.outboxJob.count(), (n) => n === 0)).toBe(0);
  });
});
