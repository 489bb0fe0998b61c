import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { postSigned, slackSignature } from '../helpers/slack-requests.js';

const SECRET = 'slack-test-signing-secret';

describe('Slack request signing (Slack\'s published example, docs/test-vectors.md)', () => {
  it('reproduces the published example exactly', () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', '1531420618', body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});

describe('the hub at /slack/events', () => {
  let hub: TestHub;
  let slack: FakeSlack;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    hub = await startTestHub({ env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url } });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  const challenge = JSON.stringify({ token: 'x', challenge: 'c-123', type: 'url_verification' });

  it('answers a correctly signed url_verification with the challenge', async () => {
    const r = await postSigned(hub.url, SECRET, challenge, { contentType: 'application/json' });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('c-123');
  });

  it('refuses a wrong signature and a request older than five minutes', async () => {
    const wrong = await postSigned(hub.url, SECRET, challenge, { contentType: 'application/json', signature: slackSignature('other-secret', Math.floor(Date.now() / 1000), challenge) });
    expect(wrong.status).toBe(401);
    const old = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await postSigned(hub.url, SECRET, challenge, { contentType: 'application/json', timestamp: old });
    expect(stale.status).toBe(401);
  });

  it('refuses a correctly signed request dated more than five minutes in the future, and takes slight clock skew', async () => {
    const future = Math.floor(Date.now() / 1000) + 6 * 60;
    const ahead = await postSigned(hub.url, SECRET, challenge, { contentType: 'application/json', timestamp: future });
    expect(ahead.status).toBe(401);
    expect(await ahead.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const skewed = await postSigned(hub.url, SECRET, challenge, { contentType: 'application/json', timestamp: Math.floor(Date.now() / 1000) + 30 });
    expect(skewed.status).toBe(200);
  });
});
