import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { buttonClick, modalSubmit, postEvent, postSigned } from '../helpers/slack-requests.js';
import { TestClock } from '../helpers/clock.js';
import { fileLabourCase } from '../helpers/petitions.js';
import { blocksOf, drained, SLACK_SECRET, slackHubEnv } from '../helpers/slack-setup.js';
import { eventually } from '../helpers/eventually.js';

const HR = 'C0HR';
const SUPERVISORS = 'C0SUPER';
const OFFICER = 'U0WANG';

/*
 * An office reading Chinese in Shanghai, through the real Bolt app. Filed at 01:00 on 3 March in
 * Shanghai (17:00 on 2 March UTC): acceptance is due 01:00 on 18 March there, still the 17th in UTC.
 */
describe('Slack in the office language (OFFICE_LOCALE=zh-CN, TIME_ZONE=Asia/Shanghai)', () => {
  const clock = new TestClock('2026-03-02T17:00:00Z');
  let slack: FakeSlack;
  let hub: TestHub;
  let ref: string;
  beforeAll(async () => {
    slack = await FakeSlack.start();
    slack.setMembers(HR, [OFFICER, 'UBOT']);
    hub = await startTestHub({ now: clock.now, env: slackHubEnv(slack.url, HR, SUPERVISORS, { OFFICE_LOCALE: 'zh-CN' }) });
    ref = (await fileLabourCase(hub.url)).ref;
  });
  afterAll(async () => {
    await hub?.drop();
    await slack?.close();
  });

  it('posts the card in Chinese with the due dates in Shanghai time, buttons routed as ever', async () => {
    const card = await slack.waitFor('chat.postMessage', (c) => c.args.channel === HR && blocksOf(c).includes(ref));
    const blocks = blocksOf(card);
    expect(blocks).toContain('*状态*\\n已登记');
    expect(blocks).toContain('*承办部门*\\n人力资源和社会保障局');
    expect(blocks).toContain('*受理期限*\\n2026年3月18日');
    expect(blocks).toContain('*答复期限*\\n2026年5月2日');
    expect(blocks).toContain('"action_id":"case:claim","value":"' + ref + '","text":{"type":"plain_text","text":"认领"}');
    expect(blocks).not.toContain('2026-03-17');
    expect(String(card.args.text)).toBe(`${ref}（已登记）：劳动和社会保障`);
  });

  it('opens forms in Chinese and refuses an empty one in Chinese', async () => {
    await postSigned(hub.url, SLACK_SECRET, buttonClick(OFFICER, HR, 'case:reply', ref));
    const form = await slack.waitFor('views.open', (c) => JSON.stringify(c.args.view).includes('case-text:reply'));
    expect(form.args.view).toMatchObject({
      callback_id: 'case-text:reply',
      title: { text: '回复群众' },
      submit: { text: '发送' },
      blocks: [{ block_id: 'text', label: { text: '回复内容（群众将看到）' }, element: { action_id: 'value' } }],
    });
    const empty = await postSigned(hub.url, SLACK_SECRET, modalSubmit(OFFICER, 'case-text:reply', { ref, channel: HR }, { text: { value: { type: 'plain_text_input', value: ' ' } } }));
    expect(await empty.json()).toEqual({ response_action: 'errors', errors: { text: '请填写给群众的内容。' } });

    await postSigned(hub.url, SLACK_SECRET, buttonClick('U0OTHER', HR, 'case:accept', ref));
    const refused = await slack.waitFor('chat.postEphemeral', (c) => c.args.user === 'U0OTHER');
    expect(refused.args.text).toBe(`只有 <#${HR}> 的成员才能办理案件 ${ref}。`);
  });

  it('shows App Home in Chinese, with what is due on the Shanghai date', async () => {
    const opened = { type: 'app_home_opened', user: OFFICER, channel: 'D0HOME', tab: 'home', event_ts: '1700000000.000100' };
    expect((await postEvent(hub.url, SLACK_SECRET, 'EvHomeZh', opened)).status).toBe(200);
    const published = await slack.waitFor('views.publish', (m) => m.args.user_id === OFFICER);
    const [mineHeader, mine, soonestHeader, soonest, hint] = (published.args.view as { blocks: { text?: { text: string }; elements?: { text: string }[] }[] }).blocks;
    expect([mineHeader.text?.text, mine.text?.text, soonestHeader.text?.text]).toEqual(['我认领的未办结案件', '您还没有认领案件，可在案件卡片上认领。', '本部门即将到期的案件']);
    expect(soonest.text?.text).toBe(`*${ref}* · 劳动和社会保障 · 已登记 · 2026年3月18日到期`);
    expect(hint.elements?.[0].text).toBe('在任意位置输入 `/case XF-…` 即可查看案件。');
  });

  it('says in Chinese, with Shanghai time, that acceptance is overdue, in the thread and to supervisors', async () => {
    const slackTs = (await eventually(() => hub.db.slackCard.findFirst({ where: { case: { trackingNumber: ref } } }), (c) => c?.ts != null))?.ts;
    clock.set('2026-03-17T18:00:00Z');
    await hub.deadlines.runDue();
    await drained(hub);
    const overdue = slack.called('chat.postMessage').filter((c) => c.args.thread_ts === slackTs && String(c.args.text).includes('超期'));
    expect(overdue.map((c) => c.args.text)).toEqual([
      `:rotating_light: 案件 *${ref}* 已超期：应在2026年3月18日 01:00（Asia/Shanghai）前决定是否受理。已通知督办人员。`,
    ]);
    const supervisors = slack.called('chat.postMessage').filter((c) => c.args.channel === SUPERVISORS && c.status === 200);
    expect(supervisors.map((c) => c.args.text)).toEqual([
      [
        `:rotating_light: 超期案件 *${ref}* · 劳动和社会保障 · 人力资源和社会保障局 · 状态：已登记`,
        '应在2026年3月18日 01:00（Asia/Shanghai）前决定是否受理。',
        `案件卡片：<#${HR}>`,
        `案件页面：https://petitions.example.gov/cases/${ref}`,
      ].join('\n'),
    ]);
  });
});
