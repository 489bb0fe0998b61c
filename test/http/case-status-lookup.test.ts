import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashQueryCode } from '../../src/cases/query-code.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { api, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { act, queryCodeIn } from '../helpers/follow-up.js';
import { TestClock } from '../helpers/clock.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ env: { TIME_ZONE: 'Asia/Shanghai' } });
});
afterAll(async () => hub?.drop());

const NOT_FOUND = '没有查到与这个受理编号和查询码相符的案件。请核对一下受理编号和查询码，它们都在登记成功的那条消息里。';

async function file(first: string, answers: Record<string, string>): Promise<{ client: WebchatClient; ref: string; code: string }> {
  const client = await WebchatClient.open(hub.url, 'zh-CN');
  const { trackingNumber, seen } = await completeIntake(client, first, answers, client.greeting);
  return { client, ref: trackingNumber, code: queryCodeIn(seen) };
}

const ask = async (client: WebchatClient, text: string) => (await client.say(text)).map((m) => m.text);

describe('the status of a case from another channel, by tracking number and query code', () => {
  let a: Awaited<ReturnType<typeof file>>;
  let b: Awaited<ReturnType<typeof file>>;

  beforeAll(async () => {
    a = await file('我在宏达电子厂上班,老板拖欠我们三个月工资了', { location: '深圳市宝安区', contactName: '李建国', contactPhone: '13912345678' });
    b = await file('小区门口的马路上有个大坑,好几个人骑车摔倒了', { location: '杭州市西湖区文三路', contactName: '王芳', contactPhone: '13800001111' });
    await act(hub.url, a.ref, { action: 'claim', actor: 'officer:zhangwei' });
    await act(hub.url, a.ref, { action: 'accept', actor: 'officer:zhangwei' });
  });

  it('gives the code once, at filing, and keeps only its salted hash', async () => {
    expect(a.code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    const row = await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: a.ref } });
    expect(row.queryCodeHash).toBe(hashQueryCode(a.ref, a.code));
    expect(JSON.stringify(row)).not.toContain(a.code);
  });

  it('answers anyone with the number and the code: status, what happens next, the department, never the officer', async () => {
    const other = await WebchatClient.open(hub.url, 'zh-CN');
    const due = (await hub.db.case.findUniqueOrThrow({ where: { trackingNumber: a.ref } })).resolutionDueAt;
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(due).split('-').map(Number);
    expect(await ask(other, `查询 ${a.ref} 验证码 ${a.code}`)).toEqual([
      `您的案件 ${a.ref} 目前的状态是：已受理。现在由人力资源和社会保障局负责。已经受理，${date[0]}年${date[1]}月${date[2]}日前会给您书面答复。`,
    ]);
    const english = await WebchatClient.open(hub.url, 'en');
    const [answer] = await ask(english, `status of ${a.ref.toLowerCase()} code ${a.code.toLowerCase()}`);
    expect(answer).toContain(`Your case ${a.ref} is currently: accepted. It is with the Human Resources and Social Security Bureau.`);
    for (const text of [answer, ...(await ask(other, `查询 ${a.ref} 验证码 ${a.code}`))]) expect(text).not.toMatch(/zhangwei|officer/);
  });

  it("never shows one petitioner another's case: without a code, with a wrong one, or a number that does not exist", async () => {
    const answers = [
      ...(await ask(a.client, `查询 ${b.ref}`)),
      ...(await ask(a.client, `查询 ${b.ref} 验证码 ${a.code}`)),
      // A 0 or 1 is never in a code, so this one is wrong whatever b's is.
      ...(await ask(a.client, `查询 ${b.ref} 验证码 ZZZZZ0`)),
      ...(await ask(a.client, '查询 XF-000101-ZZZZZ 验证码 7KQ2MX')),
    ];
    expect(answers).toEqual([NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]);
    const seen = JSON.stringify(await a.client.history());
    for (const secret of ['杭州', '大坑', '王芳', '13800001111']) expect(seen).not.toContain(secret);
  });

  it('needs no code for the petitioner’s own case', async () => {
    const [own] = await ask(b.client, `查一下 ${b.ref}`);
    expect(own).toContain(`您的案件 ${b.ref} 目前的状态是：已登记，等待受理。`);
  });

  it('throttles repeated wrong codes per conversation, and says nothing about the case meanwhile', async () => {
    const guesser = await WebchatClient.open(hub.url, 'zh-CN');
    for (const code of ['AAAAA0', 'AAAAA1', 'BBBBB0', 'BBBBB1', 'CCCCC0']) expect(await ask(guesser, `查询 ${a.ref} 验证码 ${code}`)).toEqual([NOT_FOUND]);
    const blocked = await ask(guesser, `查询 ${a.ref} 验证码 ${a.code}`);
    expect(blocked).toEqual(['查询的次数有点多了。为了保护信访人的信息，请15分钟后再试。']);
    // Starting a new matter in the same conversation does not reset the count.
    await guesser.say('我还要反映另一件事');
    expect(await ask(guesser, `查询 ${a.ref} 验证码 ${a.code}`)).toEqual(blocked);
  });

  it('keeps the web chat and admin APIs to their owners', async () => {
    const other = await api(hub.url, `/api/webchat/sessions/${b.client.sessionId}/messages`, { token: a.client.token });
    expect(other.status).toBe(401);
    const admin = await api<{ error: { code: string } }>(hub.url, `/api/cases/${b.ref}`, { token: a.client.token });
    expect([admin.status, admin.body.error.code]).toEqual([401, 'unauthorized']);
    const asAdminAction = await api(hub.url, `/api/cases/${b.ref}/actions`, { method: 'POST', token: a.client.token, json: { action: 'reopen', actor: 'x' } });
    expect(asAdminAction.status).toBe(401);
  });
});

describe('guessing query codes from many sessions and instances', () => {
  const clock = new TestClock('2026-03-02T08:00:00Z');
  let guarded: TestHub;
  let second: TestHub;
  beforeAll(async () => {
    guarded = await startTestHub({ now: clock.now, env: { TIME_ZONE: 'Asia/Shanghai' } });
    second = await startTestHub({ now: clock.now, env: { TIME_ZONE: 'Asia/Shanghai' }, db: guarded.testDb });
  });
  afterAll(async () => {
    await second?.stop();
    await guarded?.drop();
  });

  const session = (hubUrl: string, address: string) =>
    WebchatClient.open(hubUrl, 'zh-CN').then((c) => ({
      ask: async (text: string) =>
        (await api<{ messages: { text: string }[] }>(hubUrl, `/api/webchat/sessions/${c.sessionId}/messages`, {
          method: 'POST',
          token: c.token,
          json: { text, clientMessageId: `${address}-${text}-${Math.random()}` },
          headers: { 'X-Forwarded-For': address },
        })).body.messages.map((m) => m.text),
    }));
  const throttled = (minutes: number) => [`查询的次数有点多了。为了保护信访人的信息，请${minutes}分钟后再试。`];

  it('counts wrong codes per tracking number across sessions and instances, waits longer each time, never locks the owner out', async () => {
    const client = await WebchatClient.open(guarded.url, 'zh-CN');
    const { trackingNumber: ref, seen } = await completeIntake(client, '我们村的自来水三天没来了,一直没人修', { location: '临安区青山村', contactName: '赵强', contactPhone: '13700002222' }, client.greeting);
    const code = queryCodeIn(seen);
    // Five guesses, each from a new session and address, alternating between two instances.
    for (let i = 0; i < 5; i++) expect(await (await session(i % 2 ? second.url : guarded.url, `198.51.100.${i + 1}`)).ask(`查询 ${ref} 验证码 ZZZZZ${i % 2}`)).toEqual([NOT_FOUND]);
    // Now even the right code, from anyone new, waits: the number is being guessed at.
    expect(await (await session(second.url, '198.51.100.50')).ask(`查询 ${ref} 验证码 ${code}`)).toEqual(throttled(15));
    // The petitioner who filed it still sees it.
    expect((await ask(client, `查询 ${ref}`))[0]).toContain(`您的案件 ${ref} 目前的状态是`);

    clock.set('2026-03-02T08:16:00Z');
    expect((await (await session(guarded.url, '198.51.100.51')).ask(`查询 ${ref} 验证码 ${code}`))[0]).toContain(ref);
    for (let i = 0; i < 5; i++) await (await session(guarded.url, `198.51.100.${i + 60}`)).ask(`查询 ${ref} 验证码 YYYYY${i % 2}`);
    // The second time, twice as long.
    expect(await (await session(guarded.url, '198.51.100.70')).ask(`查询 ${ref} 验证码 ${code}`)).toEqual(throttled(30));
  });

  it('counts wrong queries per client address across sessions; other addresses are not affected', async () => {
    clock.set('2026-03-03T08:00:00Z');
    const client = await WebchatClient.open(guarded.url, 'zh-CN');
    const { trackingNumber: ref, seen } = await completeIntake(client, '楼下烧烤店油烟太大,每天熏到半夜', { location: '滨江区江南大道', contactName: '钱敏', contactPhone: '13600003333' }, client.greeting);
    const code = queryCodeIn(seen);
    for (let i = 0; i < 10; i++) await (await session(guarded.url, '203.0.113.9')).ask(`查询 XF-000101-ZZZZ${'ABCDEFGHJK'[i]} 验证码 7KQ2MX`);
    expect(await (await session(second.url, '203.0.113.9')).ask(`查询 ${ref} 验证码 ${code}`)).toEqual(throttled(15));
    expect((await (await session(second.url, '203.0.113.10')).ask(`查询 ${ref} 验证码 ${code}`))[0]).toContain(ref);
  });

  it('forgets the counts once there is nothing left to remember', async () => {
    expect(await guarded.db.queryThrottle.count()).toBeGreaterThan(0);
    clock.set('2026-03-06T08:00:00Z');
    await guarded.deadlines.runDue();
    expect(await guarded.db.queryThrottle.count()).toBe(0);
  });
});
