import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING } from '../../src/cases/routing-defaults.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { buttonClick, postEvent, postSigned } from '../helpers/slack-requests.js';
import { WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';

const SECRET = 'slack-test-signing-secret';
const HR = 'C0HR';
const ENV_CH = 'C0ENV';
const OFFICER = 'U0WANG';

describe('App Home and /case', () => {
  let hub: TestHub;
  let slack: FakeSlack;
  const refs: Record<string, string> = {};

  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, [OFFICER]);
    slack.setMembers(ENV_CH, ['U0LI']);
    const table = structuredClone(DEFAULT_ROUTING);
    table.departments.human_resources_social_security.slackChannel = HR;
    table.departments.ecology_environment.slackChannel = ENV_CH;
    const file = join(mkdtempSync(join(tmpdir(), 'routing-')), 'routing.json');
    writeFileSync(file, JSON.stringify(table));
    hub = await startTestHub({ env: { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.url, SLACK_INTAKE_CHANNEL: 'C0INTAKE', ROUTING_FILE: file, OFFICE_LOCALE: 'en' } });
    for (const [key, story] of [
      ['wages', '电子厂老板拖欠我们三个月工资'],
      ['pension', '单位一直没有给我缴纳养老保险'],
      ['smell', '化工厂每天晚上排放刺鼻的臭气,熏得人头疼'],
    ] as const) {
      const c = await WebchatClient.open(hub.url, 'zh-CN');
      refs[key] = (await completeIntake(c, story, { location: '苏州市', time: '上个月', contactName: '不方便', contactPhone: '不方便' })).trackingNumber;
      await slack.waitFor('chat.postMessage', (m) => JSON.stringify(m.args.blocks).includes(refs[key]));
    }
    await postSigned(hub.url, SECRET, buttonClick(OFFICER, HR, 'case:claim', refs.wages));
    await slack.waitFor('chat.update', (m) => JSON.stringify(m.args.blocks).includes(`<@${OFFICER}>`));
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('shows the officer their own cases and what is due soonest, only from their channels', async () => {
    const opened = { type: 'app_home_opened', user: OFFICER, channel: 'D0HOME', tab: 'home', event_ts: '1700000000.000100' };
    expect((await postEvent(hub.url, SECRET, 'EvHome1', opened)).status).toBe(200);
    const published = await slack.waitFor('views.publish', (m) => m.args.user_id === OFFICER);
    const [mineHeader, mine, , soonest] = (published.args.view as { blocks: { text?: { text: string } }[] }).blocks;
    expect(mineHeader.text?.text).toBe('Your open cases');
    expect(mine.text?.text).toContain(refs.wages);
    expect(mine.text?.text).not.toContain(refs.pension);
    expect(soonest.text?.text).toContain(refs.pension);
    expect(JSON.stringify(published.args.view)).not.toContain(refs.smell);
  });

  it('/case shows a case to a member of its channel, and the same "no case" to anyone else', async () => {
    const command = (user: string, text: string, n: string) =>
      new URLSearchParams({
        token: 'legacy', team_id: 'T1', team_domain: 'office', channel_id: 'C0ANY', channel_name: 'general', user_id: user, user_name: 'x',
        command: '/case', text, api_app_id: 'A1', response_url: `${slack.url}response/${n}`, trigger_id: `trig.${n}`,
      }).toString();
    expect((await postSigned(hub.url, SECRET, command(OFFICER, refs.pension.toLowerCase(), 'a'))).status).toBe(200);
    const shown = await slack.waitFor('response/a');
    expect(JSON.stringify(shown.args)).toContain(refs.pension);
    expect(shown.args.response_type).toBe('ephemeral');
    await postSigned(hub.url, SECRET, command(OFFICER, refs.smell, 'b'));
    const hidden = await slack.waitFor('response/b');
    await postSigned(hub.url, SECRET, command(OFFICER, 'XF-000000-AAAAA', 'c'));
    const missing = await slack.waitFor('response/c');
    expect(JSON.stringify(hidden.args)).not.toContain('blocks');
    expect(String(hidden.args.text).replace(refs.smell, 'REF')).toBe(String(missing.args.text).replace('XF-000000-AAAAA', 'REF'));
  });
});
