import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { buttonClick, postEvent, postSigned } from '../helpers/slack-requests.js';
import { WebchatClient } from '../helpers/webchat-client.js';

const SECRET = 'slack-test-signing-secret';
const INTAKE = 'C0INTAKE';
const OFFICER = 'U0ZHAO';

describe('live hand-off to an officer', () => {
  let hub: TestHub;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(INTAKE, [OFFICER]);
    hub = await startTestHub({ env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: INTAKE } });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('the bot is silent while an officer holds the conversation, and resumes when it is handed back', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const socket = await client.connect();
    try {
      await client.say('我家门口的下水道堵了一个星期,电话13711112222');
      const asked = await client.say('我要找真人工作人员');
      expect(asked.map((m) => m.text).join('')).toMatch(/工作人员/);

      const request = await slack.waitFor('chat.postMessage', (c) => c.args.channel === INTAKE && JSON.stringify(c.args.blocks).includes('handoff:take'));
      const blocks = JSON.stringify(request.args.blocks);
      expect(blocks).toContain('下水道');
      expect(blocks).not.toContain('13711112222');
      // Stored once the hub has Slack's answer, which may be a moment after Slack got the request.
      const live = await eventually(
        () => hub.db.slackLiveThread.findUnique({ where: { conversationId: client.sessionId } }),
        (t) => t?.ts != null,
      );
      expect(live?.ts).toMatch(/^\d+\.\d+$/);

      expect((await postSigned(hub.url, SECRET, buttonClick(OFFICER, INTAKE, 'handoff:take', client.sessionId))).status).toBe(200);
      const joined = await socket.next();
      expect(joined.role).toBe('system');
      expect(joined.text).toContain('工作人员已接入');

      // Never a bot reply while a person has it: the API answers with no messages.
      const silent = await client.post('是这样的,水已经漫到客厅了');
      expect(silent.status).toBe(200);
      expect(silent.body.messages).toEqual([]);
      const mirrored = await slack.waitFor('chat.postMessage', (c) => c.args.thread_ts === live?.ts && String(c.args.text).includes('客厅'));
      expect(mirrored.args.channel).toBe(INTAKE);

      await postEvent(hub.url, SECRET, 'EvLive1', { type: 'message', channel: INTAKE, channel_type: 'channel', user: OFFICER, text: '您好,我是值班的赵工,马上安排人上门疏通', ts: '1700000500.000100', thread_ts: live?.ts });
      const officer = await socket.next();
      expect(officer.role).toBe('officer');
      expect(officer.text).toBe('您好,我是值班的赵工,马上安排人上门疏通');

      await postSigned(hub.url, SECRET, buttonClick(OFFICER, INTAKE, 'handoff:release', client.sessionId));
      const back = await socket.next();
      expect(back.text).toContain('在线接待员');
      const resumed = await client.say('好的,谢谢');
      expect(resumed.length).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
  });

  it('someone outside the channel cannot take a conversation over', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    await client.say('转人工');
    await slack.waitFor('chat.postMessage', (c) => JSON.stringify(c.args.blocks ?? '').includes(client.sessionId));
    await postSigned(hub.url, SECRET, buttonClick('U0STRANGER', INTAKE, 'handoff:take', client.sessionId));
    await new Promise((r) => setTimeout(r, 300));
    const conv = await hub.db.conversation.findUnique({ where: { id: client.sessionId } });
    expect(conv?.liveAgent).toBeNull();
    expect((await client.say('在吗')).length).toBeGreaterThan(0);
  });
});
