import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { eventCallback } from '../helpers/slack-requests.js';

describe('Slack over Socket Mode (SLACK_APP_TOKEN)', () => {
  let hub: TestHub;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    hub = await startTestHub({ env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_APP_TOKEN: 'xapp-test', SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: 'C0INTAKE' } });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('connects out to Slack, acknowledges events and answers a DM, with no HTTP endpoint', async () => {
    expect(slack.called('apps.connections.open')).toHaveLength(1);
    const ack = await slack.envelope(
      'events_api',
      eventCallback('EvSock1', { type: 'message', channel: 'D0SOCK', channel_type: 'im', user: 'U0SOCK', text: '你好,我想反映个问题', ts: '1700000000.000100' }),
    );
    expect(ack.envelope_id).toBeDefined();
    const answer = await slack.waitFor('chat.postMessage', (c) => c.args.channel === 'U0SOCK');
    expect(String(answer.args.text)).toContain('您好');
    expect((await fetch(`${hub.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
