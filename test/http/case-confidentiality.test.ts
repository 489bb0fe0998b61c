import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { issueCaseLink } from '../../officers/case-link/case-page.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => hub?.drop());

const FIRST = '我在宏达电子厂上班,老板拖欠我们三个月工资了,一共两万三千元';
const SECOND = '我要反映人社局劳动监察大队的工作人员,我去了三次都推脱不管,态度很差';
const ANSWERS = { location: '深圳市宝安区福永街道', time: '今年八月开始', desiredOutcome: '希望尽快解决', priorAttempts: '找过老板', contactName: '李建国', contactPhone: '13912345678' };

type CaseBody = { transcript: { text: string }[] };
const transcriptOf = async (ref: string) => (await api<CaseBody>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN })).body.transcript.map((m) => m.text).join('\n');

describe('a case shows only itself', () => {
  it("keeps each of one conversation's cases to its own messages: the admin API and the case page", async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const a = await completeIntake(client, FIRST, ANSWERS, client.greeting);
    await client.say('我还要反映另一件事');
    const b = await completeIntake(client, SECOND, { ...ANSWERS, location: '宝安区劳动监察大队', time: '上个月' });
    expect(a.trackingNumber).not.toBe(b.trackingNumber);
    // A status query about someone else's case belongs to neither.
    await client.say('查询 XF-000101-ZZZZZ 验证码 7KQ2MX');

    const [first, second] = [await transcriptOf(a.trackingNumber), await transcriptOf(b.trackingNumber)];
    expect(first).toContain('宏达电子厂');
    expect(first).not.toContain('劳动监察大队');
    expect(second).toContain('劳动监察大队');
    expect(second).not.toContain('宏达电子厂');
    for (const t of [first, second]) expect(t).not.toContain('XF-000101-ZZZZZ');

    // The case page an officer opens shows the same.
    const row = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: b.trackingNumber } });
    const link = await issueCaseLink(hub.db, row, 'slack:U0LABOUR', hub.url);
    const page = await (await fetch(link)).text();
    expect(page).toContain('劳动监察大队');
    expect(page).not.toContain('宏达电子厂');

    // The petitioner still sees their whole conversation.
    const own = (await client.history()).map((m) => m.text).join('\n');
    for (const text of ['宏达电子厂', '劳动监察大队', 'XF-000101-ZZZZZ']) expect(own).toContain(text);
  });

  it('gives officers the notices of their own case only', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const a = await completeIntake(client, FIRST, ANSWERS, client.greeting);
    await client.say('我还要反映另一件事');
    const b = await completeIntake(client, SECOND, { ...ANSWERS, location: '宝安区劳动监察大队', time: '上个月' });
    const reply = await api(hub.url, `/api/cases/${a.trackingNumber}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '已联系宏达电子厂核实工资', actor: 'officer:hr' } });
    expect(reply.status).toBe(200);
    expect(await transcriptOf(a.trackingNumber)).toContain('已联系宏达电子厂核实工资');
    expect(await transcriptOf(b.trackingNumber)).not.toContain('已联系宏达电子厂核实工资');
  });
});
