import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { buttonClick, postSigned } from '../helpers/slack-requests.js';
import { fileByWebchat } from '../helpers/intake.js';
import { blocksOf, SLACK_SECRET, slackHubEnv } from '../helpers/slack-setup.js';
import { eventually } from '../helpers/eventually.js';
import { petitionNames } from '../../src/cases/named-officers.js';

const HR = 'C0HR';
const NAMED = 'U0ZHANGWEI';
const COLLEAGUE = 'U0LIMIN';

describe('a petition that names an officer is kept from that officer', () => {
  let slack: FakeSlack;
  let hub: TestHub;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, [NAMED, COLLEAGUE, 'UBOT']);
    slack.setUser(NAMED, { real_name: '张伟', display_name: 'zhang.wei' });
    slack.setUser(COLLEAGUE, { real_name: '李敏' });
    hub = await startTestHub({ env: slackHubEnv(slack.url, HR, 'C0SUPER') });
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  const click = (user: string, action: string, ref: string) => postSigned(hub.url, SLACK_SECRET, buttonClick(user, HR, `case:${action}`, ref));

  it('refuses them the case page and every action, records it, and lets a colleague work it', async () => {
    const { ref } = await fileByWebchat(hub.url, '我在宏达电子厂上班,车间主任张伟三个月克扣我们的加班费,一共三千多元', {
      location: '深圳市宝安区福永街道', time: '今年八月开始', desiredOutcome: '补发加班费', priorAttempts: '找过厂里', contactName: '陈芳', contactPhone: '13912345670',
    });
    await slack.waitFor('chat.postMessage', (c) => c.args.channel === HR && blocksOf(c).includes(ref));

    await click(NAMED, 'view', ref);
    const refused = await slack.waitFor('chat.postEphemeral', (c) => c.args.user === NAMED && String(c.args.text).includes('names you'));
    expect(String(refused.args.text)).not.toContain('/cases/');
    await click(NAMED, 'accept', ref);
    await eventually(() => hub.db.caseEvent.count({ where: { case: { trackingNumber: ref }, type: 'access_refused', actor: `slack:${NAMED}` } }), (n) => n === 2);
    expect((await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } })).status).toBe('submitted');

    await click(COLLEAGUE, 'view', ref);
    await slack.waitFor('chat.postEphemeral', (c) => c.args.user === COLLEAGUE && String(c.args.text).includes(`/cases/${ref}?t=`));
    await click(COLLEAGUE, 'accept', ref);
    await eventually(() => hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref } }), (c) => c.status === 'accepted');
  });
});

describe('petitionNames', () => {
  const petition = (issue: string) => ({ details: { issue }, summary: '' });
  it('finds an officer by any of their names, Chinese or Latin, and not by a fragment', () => {
    expect(petitionNames(petition('劳动监察大队的张伟一直推脱'), ['张伟'])).toBe(true);
    expect(petitionNames(petition('the inspector Tom Reed refused to help'), ['Zhang Wei', 'Tom Reed'])).toBe(true);
    expect(petitionNames(petition('a reed bed by the river'), ['Reed'])).toBe(true);
    expect(petitionNames(petition('the reeds by the river'), ['Reed'])).toBe(false);
    expect(petitionNames(petition('张伟伟的店卫生很差'), ['张'])).toBe(false);
    expect(petitionNames(petition('工厂拖欠工资'), [])).toBe(false);
  });
});
