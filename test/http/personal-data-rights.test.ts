import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { act, queryCodeIn } from '../helpers/follow-up.js';
import { TestClock } from '../helpers/clock.js';
import { sqlOf } from '../../src/db/client.js';
import { verifyChains } from '../../src/cases/event-chain.js';

const STORY = '我在宏达电子厂上班,老板拖欠我们三个月工资,我叫李建国,电话13912345678';
const ANSWERS = { location: '深圳市宝安区福永街道', time: '今年八月开始', desiredOutcome: '补发工资', priorAttempts: '找过老板', contactName: '李建国', contactPhone: '13912345678' };
const PERSONAL = ['李建国', '13912345678'];

const clock = new TestClock('2026-03-02T08:00:00Z');
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ now: clock.now, env: { TIME_ZONE: 'Asia/Shanghai', RETENTION_DAYS: '30' } });
});
afterAll(async () => hub?.drop());

async function file(): Promise<{ client: WebchatClient; ref: string; code: string }> {
  const client = await WebchatClient.open(hub.url, 'zh-CN');
  const { trackingNumber, seen } = await completeIntake(client, STORY, ANSWERS, client.greeting);
  return { client, ref: trackingNumber, code: queryCodeIn(seen) };
}
const stranger = () => WebchatClient.open(hub.url, 'zh-CN');
const said = async (c: WebchatClient, text: string) => (await c.say(text)).map((m) => m.text).join('\n');
const everything = async (ref: string) => {
  const c = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: ref }, include: { petitioner: true, events: true } });
  const messages = await hub.db.message.findMany({ where: { caseId: c.id } });
  return { c, text: JSON.stringify([c.details, c.summary, c.petitioner.name, c.petitioner.phone, messages.map((m) => m.text), c.events.map((e) => e.text)]) };
};
const sweep = async (iso: string) => {
  clock.set(iso);
  await hub.deadlines.runDue();
};

describe("a petitioner's rights over their personal data, from any channel", () => {
  it('gives a copy of what the office holds, with the number and code, and records the request', async () => {
    const { ref, code } = await file();
    const copy = await said(await stranger(), `我想查阅一下 ${ref} 里你们保存的我的个人信息，验证码 ${code}`);
    expect(copy).toContain(`以下是我们为案件 ${ref} 保存的您的信息`);
    for (const value of ['李建国', '13912345678', '深圳市宝安区福永街道', '拖欠']) expect(copy).toContain(value);
    // Without the right code: the same "not found" as any wrong query, nothing given.
    const refused = await said(await stranger(), `我想查阅 ${ref} 的个人信息 验证码 ZZZZZ0`);
    expect(refused).not.toContain('李建国');
    const requests = await hub.db.caseEvent.findMany({ where: { case: { trackingNumber: ref }, type: 'data_request' } });
    expect(requests.map((r) => JSON.parse(r.data ?? '{}'))).toEqual([{ kind: 'copy', pending: false }]);
  });

  it('deletes a finished case’s personal data at once, and keeps what statistics need', async () => {
    const { ref, code } = await file();
    await act(hub.url, ref, { action: 'reject', text: '经核实不属于本单位受理范围' });
    const answer = await said(await stranger(), `请删除案件 ${ref} 中我的个人信息 验证码 ${code}`);
    expect(answer).toContain(`案件 ${ref} 中您的个人信息`);
    expect(answer).toContain('已经删除');
    const { c, text } = await everything(ref);
    for (const secret of PERSONAL) expect(text).not.toContain(secret);
    expect(c.anonymisedAt).not.toBeNull();
    expect([c.category, c.status, c.department]).toEqual(['labour_social_security', 'rejected', 'human_resources_social_security']);
    expect(c.events.find((e) => e.type === 'anonymised')?.data).toContain('petitioner_request');
    // A copy asked for afterwards says there is nothing personal left.
    expect(await said(await stranger(), `我想查阅 ${ref} 的个人信息 验证码 ${code}`)).toContain('已经删除');
    // The statistics still count it.
    const stats = await api<{ totals: { cases: number } }>(hub.url, '/api/stats', { token: ADMIN_TOKEN });
    expect(stats.status).toBe(200);
  });

  it('records a deletion asked for while the case is open, and does it as soon as the case is finished', async () => {
    const { ref, code } = await file();
    const answer = await said(await stranger(), `请删除 ${ref} 的个人信息 验证码 ${code}`);
    expect(answer).toContain('还在办理中');
    expect((await everything(ref)).c.anonymisedAt).toBeNull();
    await act(hub.url, ref, { action: 'reject', text: '不属于受理范围' });
    await sweep('2026-03-02T10:00:00Z');
    const { c, text } = await everything(ref);
    for (const secret of PERSONAL) expect(text).not.toContain(secret);
    expect(c.anonymisedAt).not.toBeNull();
  });
});

describe('retention', () => {
  it('anonymises finished cases RETENTION_DAYS after they were finished, once, and leaves open ones alone', async () => {
    clock.set('2026-04-01T08:00:00Z');
    const finished = await file();
    const open = await file();
    await act(hub.url, finished.ref, { action: 'reject', text: '李建国先生，您反映的情况不属于本单位受理范围' });
    await sweep('2026-04-30T09:00:00Z'); // 29 days on: kept
    expect((await everything(finished.ref)).c.anonymisedAt).toBeNull();
    await sweep('2026-05-02T09:00:00Z'); // 31 days on
    const gone = await everything(finished.ref);
    for (const secret of PERSONAL) expect(gone.text).not.toContain(secret);
    expect(gone.c.events.filter((e) => e.type === 'anonymised').map((e) => JSON.parse(e.data ?? '{}').reason)).toEqual(['retention']);
    const kept = await everything(open.ref);
    expect(kept.c.anonymisedAt).toBeNull();
    expect(kept.text).toContain('李建国');
    // Once: a later sweep changes nothing more.
    await sweep('2026-05-03T10:00:00Z');
    expect((await everything(finished.ref)).c.events.filter((e) => e.type === 'anonymised')).toHaveLength(1);
    // The tamper-evident history still holds: anonymisation is part of it.
    const report = await verifyChains(sqlOf(hub.db));
    expect(report.breaks).toEqual([]);
    expect(report.redacted).toBeGreaterThan(0);
  });
});
