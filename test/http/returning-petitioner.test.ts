import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { TestClock } from '../helpers/clock.js';
import { completeIntake } from '../helpers/intake.js';
import { api, lastExpects, WebchatClient } from '../helpers/webchat-client.js';
import type { MessageView } from '../../src/conversation/messages.js';
import { wechatSignature } from '../../channels/wechat-official/crypto.js';
import { parseWechatXml } from '../../channels/wechat-official/xml.js';

const REF = /XF-\d{6}-[A-Z2-9]{5}/;
const ANSWERS = {
  location: '东湖区建设路88号',
  time: '上个月开始',
  parties: '小区物业',
  attempts: '打过物业电话',
  wish: '希望尽快修好',
  contactName: '张先生',
  contactPhone: '13800138000',
};

/** A browser with a remembered visitor key (the widget's data-remember): each call opens a new session. */
async function openAs(hub: TestHub, visitor: string | undefined, locale: 'zh-CN' | 'en' = 'zh-CN'): Promise<{ client: WebchatClient; greeting: string }> {
  const r = await api<{ sessionId: string; token: string; messages: MessageView[] }>(hub.url, '/api/webchat/sessions', {
    method: 'POST',
    json: visitor ? { locale, visitor } : { locale },
  });
  if (r.status !== 201) throw new Error(`session not created: ${r.status} ${JSON.stringify(r.body)}`);
  const client = WebchatClient.resume(hub.url, r.body.sessionId, r.body.token);
  return { client, greeting: r.body.messages.map((m) => m.text).join('\n') };
}

const visitorKey = () => randomBytes(24).toString('hex');

async function casesOf(hub: TestHub, channelUserId: string): Promise<{ trackingNumber: string; issue: string }[]> {
  const rows = await hub.db.case.findMany({ where: { petitioner: { channelUserId } }, select: { trackingNumber: true, details: true } });
  return rows.map((r) => ({ trackingNumber: r.trackingNumber, issue: (JSON.parse(r.details) as { issue: string }).issue }));
}

describe('a web chat visitor the browser remembers', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.drop());

  it('is greeted back in a new session with where their case stands; another browser is not', async () => {
    const visitor = visitorKey();
    const first = await openAs(hub, visitor);
    expect(first.greeting).not.toContain('欢迎回来');
    const { trackingNumber } = await completeIntake(first.client, '我们小区的路灯坏了一个多月了，晚上特别黑，老人出门都不敢', ANSWERS);

    const again = await openAs(hub, visitor);
    expect(again.greeting).toContain('欢迎回来');
    expect(again.greeting).toContain(trackingNumber);

    const stranger = await openAs(hub, visitorKey());
    expect(stranger.greeting).not.toContain('欢迎回来');
    expect(stranger.greeting).not.toMatch(REF);
    const anonymous = await openAs(hub, undefined);
    expect(anonymous.greeting).not.toMatch(REF);
  });

  it('takes up in a new session a petition left untold, files it once, and the old session starts afresh', async () => {
    const visitor = visitorKey();
    const first = await openAs(hub, visitor);
    const told = '楼下饭店的油烟每天直冲我家窗户，家里老人咳嗽得厉害';
    const replies = await first.client.say(told);
    expect(replies.some((m) => m.caseRef)).toBe(false);

    const again = await openAs(hub, visitor);
    expect(again.greeting).toContain('还没有登记完');
    expect(again.greeting).toContain('楼下饭店的油烟');
    const { trackingNumber, asked } = await completeIntake(again.client, ANSWERS.location, ANSWERS);
    expect(asked).not.toContain('issue');

    const filed = await casesOf(hub, (await hub.db.petitioner.findFirstOrThrow({ where: { conversations: { some: { id: again.client.sessionId } } } })).channelUserId);
    expect(filed.map((c) => c.trackingNumber)).toEqual([trackingNumber]);
    expect(filed[0].issue).toContain('油烟');

    // The first tab no longer holds the draft: what is written there is a fresh start, not a second filing.
    const old = await first.client.say('你好');
    expect(old.some((m) => m.caseRef)).toBe(false);
    expect(lastExpects(old)).toEqual({ type: 'text', slot: 'issue' });
  });

  it('refuses a visitor key that is too short or not URL-safe, and creates nothing', async () => {
    const before = await hub.db.conversation.count();
    for (const visitor of ['short', 'has spaces in it and is long enough', 'x'.repeat(129), 42]) {
      const r = await api<{ error: { code: string } }>(hub.url, '/api/webchat/sessions', { method: 'POST', json: { locale: 'zh-CN', visitor } });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('bad_request');
    }
    expect(await hub.db.conversation.count()).toBe(before);
  });
});

describe('a new matter told after filing', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => hub?.drop());

  it('is filed as a case of its own, with the contact details already given, and the first case keeps only its own story', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const { trackingNumber: first } = await completeIntake(c, '工地老板拖欠我们三个月工资，十几个工人都没拿到钱，找了好几次都说没钱', ANSWERS);
    const noise = '还有一件事，小区门口新开的烧烤店每天晚上油烟特别大，一直弄到凌晨两三点，窗户都不敢开';
    let replies = await c.say(noise);
    if (lastExpects(replies)?.type === 'choice') replies = await c.say('new');
    expect(replies.map((m) => m.text).join('\n')).toContain('单独登记');
    const { trackingNumber: second, asked } = await completeIntake(c, ANSWERS.location, ANSWERS, replies);
    expect(second).not.toBe(first);
    expect(asked).not.toContain('contactPhone');
    const rows = await hub.db.case.findMany({ where: { trackingNumber: { in: [first, second] } }, select: { trackingNumber: true, details: true } });
    const issue = (ref: string) => (JSON.parse(rows.find((r) => r.trackingNumber === ref)?.details ?? '{}') as { issue: string; contactPhone: string });
    expect(issue(second).issue).toContain('烧烤店');
    expect(issue(second).contactPhone).toBe('13800138000');
    expect(issue(first).issue).not.toContain('烧烤店');
  });
});

describe('coming back after a while, on the same channel', () => {
  const clock = new TestClock('2026-03-02T08:00:00Z');
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ now: clock.now, env: { WECHAT_OA_TOKEN: 'oa-test-token', WECHAT_OA_APP_ID: 'wxoffice', RETURNING_AFTER_HOURS: '8' } });
  });
  afterAll(async () => hub?.drop());

  it('greets a web chat petitioner back with their case after a day, not after an hour', async () => {
    const c = await WebchatClient.open(hub.url, 'zh-CN');
    const { trackingNumber } = await completeIntake(c, '我们村的自来水已经停了一个星期，没有任何通知，吃水要去镇上买', ANSWERS);
    clock.advanceHours(1);
    expect((await c.say('你好')).map((m) => m.text).join('\n')).not.toContain('欢迎回来');
    clock.advanceHours(30);
    const back = (await c.say('你好')).map((m) => m.text).join('\n');
    expect(back).toContain('欢迎回来');
    expect(back).toContain(trackingNumber);
  });

  it('greets a WeChat follower back with their case after two days', async () => {
    let id = 7300000000000000000n;
    const send = async (openid: string, content: string): Promise<string> => {
      const timestamp = String(Math.floor(clock.now().getTime() / 1000));
      const nonce = String(Math.floor(Math.random() * 1e9));
      const params = new URLSearchParams({ timestamp, nonce, signature: wechatSignature('oa-test-token', timestamp, nonce) });
      const xml = `<xml><ToUserName><![CDATA[gh_office]]></ToUserName><FromUserName><![CDATA[${openid}]]></FromUserName><CreateTime>${timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${++id}</MsgId></xml>`;
      const r = await fetch(`${hub.url}/wechat/official?${params}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
      const raw = await r.text();
      expect(r.status).toBe(200);
      return raw === 'success' ? '' : (parseWechatXml(raw).Content ?? '');
    };
    const openid = 'oUser_back';
    let reply = await send(openid, '你好，我们村的自来水已经停了一个星期，没有任何通知，我叫张伟，电话13800001234，在湖州市长兴县和平镇');
    for (let i = 0; i < 10 && !REF.test(reply); i++) reply = await send(openid, /对吗|核对/.test(reply) ? '对' : '不方便说');
    const ref = REF.exec(reply)?.[0];
    expect(ref).toBeDefined();
    clock.advanceHours(48);
    const back = await send(openid, '在吗');
    expect(back).toContain('欢迎回来');
    expect(back).toContain(ref);
  });
});
