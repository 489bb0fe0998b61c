import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventEmitter } from 'node:events';
import { PuppetMock, mock } from 'wechaty-puppet-mock';

// The mock's contacts and rooms emit what they receive, but their published types omit the emitter.
const listen = (x: mock.ContactMock | mock.RoomMock) => x as unknown as EventEmitter;
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';

type Said = { text: string; at: number };

describe('the WeChat bot (a real Wechaty on the mock puppet)', () => {
  let hub: TestHub;
  let mocker: mock.Mocker;
  let botUser: mock.ContactMock;
  beforeAll(async () => {
    mocker = new mock.Mocker();
    hub = await startTestHub({ wechatyPuppet: new PuppetMock({ mocker }) });
    botUser = mocker.createContact({ name: '信访服务' });
    mocker.login(botUser);
    const until = Date.now() + 10_000;
    while (!hub.wechaty?.status.loggedIn && Date.now() < until) await new Promise((r) => setTimeout(r, 25));
  });
  afterAll(async () => hub?.drop());

  /** What a contact receives, collected as the mock delivers it. */
  function inbox(contact: mock.ContactMock): Said[] {
    const got: Said[] = [];
    listen(contact).on('message', (m: { payload?: { text?: string; talkerId?: string } }) => {
      if (m.payload?.talkerId === botUser.id) got.push({ text: m.payload.text ?? '', at: Date.now() });
    });
    return got;
  }

  async function reply(got: Said[], before: number): Promise<string> {
    const until = Date.now() + 10_000;
    while (got.length === before && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 150));
    return got.slice(before).map((s) => s.text).join('\n');
  }

  it('runs a whole intake to a filed case in a one-to-one chat, and delivers an officer reply', async () => {
    const citizen = mocker.createContact({ name: '王大妈' });
    const got = inbox(citizen);
    let n = got.length;
    citizen.say('你好,我们楼的电梯坏了半个月了,物业一直不修,我八十岁了爬不动楼。我叫王秀兰,电话13611112222,在上海市徐汇区康健路18弄').to(botUser);
    let said = await reply(got, n);
    expect(said).toContain('您好');
    for (let i = 0; i < 8 && !/XF-\d{6}-/.test(said); i++) {
      n = got.length;
      citizen.say(/对吗|核对/.test(said) ? '对' : '不清楚').to(botUser);
      said = await reply(got, n);
    }
    const ref = /XF-\d{6}-[A-Z2-9]{5}/.exec(said)?.[0] as string;
    expect(ref).toBeDefined();
    const c = await api<{ channel: string; details: { contactName?: string } }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.body.channel).toBe('wechat');
    expect(c.body.details.contactName).toBe('王秀兰');

    n = got.length;
    await api(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '维修单位明天上午上门', actor: 'officer:1' } });
    expect(await reply(got, n)).toContain('维修单位明天上午上门');
  });

  it('in a group room answers only when mentioned', async () => {
    const neighbour = mocker.createContact({ name: '李叔' });
    const room = mocker.createRoom({ topic: '康健小区业主群', memberIdList: [botUser.id, neighbour.id] });
    const heard: string[] = [];
    listen(room).on('message', (m: { payload?: { text?: string; talkerId?: string } }) => {
      if (m.payload?.talkerId === botUser.id) heard.push(m.payload.text ?? '');
    });
    neighbour.say('今天天气不错').to(room);
    await new Promise((r) => setTimeout(r, 800));
    expect(heard).toEqual([]);
    neighbour.say('@信访服务 小区门口路灯坏了', [botUser]).to(room);
    const until = Date.now() + 10_000;
    while (!heard.length && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(heard.join('\n')).toMatch(/您好|哪里|什么时候/);
  });

  it('shows the login state to an administrator', async () => {
    const r = await api<{ loggedIn: boolean }>(hub.url, '/api/wechaty/status', { token: ADMIN_TOKEN });
    expect(r.body.loggedIn).toBe(true);
    expect((await api(hub.url, '/api/wechaty/status', { token: 'nope' })).status).toBe(401);
    const refused = await fetch(`${hub.url}/admin/wechaty`);
    expect([refused.status, refused.headers.get('www-authenticate'), await refused.json()]).toEqual([401, 'Basic realm="petition hub admin"', { error: { code: 'unauthorized', message: expect.any(String) } }]);
    const page = await fetch(`${hub.url}/admin/wechaty`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Logged in');
    // While waiting for a login the page shows the code to scan, drawn here (nothing sent elsewhere).
    const status = hub.wechaty?.status as { loggedIn: boolean; qrcode: string | null };
    Object.assign(status, { loggedIn: false, qrcode: 'https://login.weixin.qq.com/l/test-code' });
    const scan = await fetch(`${hub.url}/admin/wechaty`, { headers: { authorization: `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}` } });
    expect(await scan.text()).toContain('<svg');
    Object.assign(status, { loggedIn: true, qrcode: null });
  });
});
