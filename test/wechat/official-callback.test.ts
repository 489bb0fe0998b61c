import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { api } from '../helpers/webchat-client.js';
import { WechatCrypto, wechatSignature } from '../../channels/wechat-official/crypto.js';
import { parseWechatXml } from '../../channels/wechat-official/xml.js';
import { FakeWechat } from '../helpers/fake-wechat.js';

const TOKEN = 'oa-test-token';

function signedUrl(base: string, extra: Record<string, string> = {}, token = TOKEN): string {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(Math.floor(Math.random() * 1e9));
  const params = new URLSearchParams({ timestamp, nonce, signature: wechatSignature(token, timestamp, nonce), ...extra });
  return `${base}/wechat/official?${params}`;
}

let msgId = 7000000000000000000n;
function textXml(from: string, content: string, id = String(++msgId)): string {
  return `<xml><ToUserName><![CDATA[gh_office]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${id}</MsgId></xml>`;
}

async function send(hub: TestHub, xml: string, url = signedUrl(hub.url)): Promise<{ status: number; content?: string; raw: string }> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });
  const raw = await r.text();
  if (r.status !== 200 || raw === 'success') return { status: r.status, raw };
  return { status: r.status, content: parseWechatXml(raw).Content, raw };
}

describe('WeChat Official Account callback, plain mode', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APP_ID: 'wxoffice' } });
  });
  afterAll(async () => hub?.drop());

  it('answers URL verification with echostr, and refuses a bad signature', async () => {
    expect(await (await fetch(signedUrl(hub.url, { echostr: 'echo-123' }))).text()).toBe('echo-123');
    const bad = await fetch(signedUrl(hub.url, { echostr: 'x' }, 'wrong-token'));
    expect(bad.status).toBe(401);
  });

  it('takes a petition to a filed case with passive replies; a retried delivery is answered the same and stored once', async () => {
    const openid = 'oUser_zhang';
    const first = await send(hub, textXml(openid, '你好,我们村的自来水已经停了一个星期,没有任何通知,我叫张伟,电话13800001234'));
    expect(first.status).toBe(200);
    expect(first.content).toContain('您好');
    const retriedXml = textXml(openid, '在湖州市长兴县和平镇', '7100000000000000001');
    const a = await send(hub, retriedXml);
    const b = await send(hub, retriedXml);
    expect(b.content).toBe(a.content);
    let reply = a.content as string;
    for (let i = 0; i < 8 && !/XF-\d{6}-/.test(reply); i++) {
      reply = (await send(hub, textXml(openid, /对吗|核对/.test(reply) ? '对' : '不方便说'))).content as string;
    }
    const ref = /XF-\d{6}-[A-Z2-9]{5}/.exec(reply)?.[0];
    expect(ref).toBeDefined();
    const c = await api<{ channel: string; details: { contactPhone?: string; location?: string }; transcript: { role: string; text: string }[] }>(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN });
    expect(c.body.channel).toBe('wechat-oa');
    expect(c.body.details.contactPhone).toBe('13800001234');
    expect(c.body.transcript.filter((m) => m.text === '在湖州市长兴县和平镇')).toHaveLength(1);
  });

  it('keeps photos and voice as material, adds them to a filed case, and answers unknown types politely', async () => {
    const media = (from: string, type: string, extra: string) =>
      `<xml><ToUserName><![CDATA[gh_office]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>${extra}<MsgId>${++msgId}</MsgId></xml>`;
    const early = await send(hub, media('oUser_photo', 'voice', '<MediaId><![CDATA[voice-1]]></MediaId>'));
    expect(early.content).toContain('保存');
    const conv = await hub.db.conversation.findFirst({ where: { petitioner: { channelUserId: 'oUser_photo' } } });
    expect(JSON.parse(conv?.state ?? '{}').asking).toBe('issue'); // not taken as an answer

    const filed = await hub.db.case.findFirst({ where: { channel: 'wechat-oa' } });
    const owner = await hub.db.petitioner.findUnique({ where: { id: filed?.petitionerId } });
    const photo = await send(hub, media(owner?.channelUserId as string, 'image', '<PicUrl><![CDATA[http://mmbiz.example/pic1.jpg]]></PicUrl><MediaId><![CDATA[media-1]]></MediaId>'));
    expect(photo.content).toContain(filed?.trackingNumber);
    const added = await hub.db.caseEvent.findFirst({ where: { caseId: filed?.id, type: 'info_added', text: { contains: 'pic1.jpg' } } });
    expect(added).not.toBeNull();

    const odd = await send(hub, media('oUser_photo', 'file', '<Title><![CDATA[x]]></Title>'));
    expect(odd.content).toMatch(/暂时无法处理/);
  });

  it('greets a new follower', async () => {
    const xml = `<xml><ToUserName><![CDATA[gh_office]]></ToUserName><FromUserName><![CDATA[oUser_new]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`;
    const r = await send(hub, xml);
    expect(r.content).toContain('您好');
    expect((await send(hub, xml)).raw).toBe('success');
  });

  it('refuses hostile or broken XML and stale or unsigned requests, changing nothing', async () => {
    const before = await hub.db.message.count();
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><FromUserName>&xxe;</FromUserName><MsgType>text</MsgType><Content>hi</Content></xml>`;
    expect((await send(hub, xxe)).status).toBe(400);
    expect((await send(hub, '<xml><FromUserName>oops')).status).toBe(400);
    expect((await send(hub, '<notxml/>')).status).toBe(400);
    expect((await send(hub, textXml('oUser_x', 'hi'), `${hub.url}/wechat/official?timestamp=1&nonce=1&signature=x`)).status).toBe(401);
    expect((await send(hub, textXml('oUser_x', 'hi'), signedUrl(hub.url, {}, 'wrong-token'))).status).toBe(401);
    const big = await fetch(signedUrl(hub.url), { method: 'POST', body: `<xml><Content>${'x'.repeat(100_000)}</Content></xml>` });
    expect(big.status).toBe(413);
    expect(await hub.db.message.count()).toBe(before);
  });
});

describe('WeCom / safe mode callback (WeCom sample keys, docs/test-vectors.md)', () => {
  let hub: TestHub;
  const KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
  const CORP = 'wx5823bf96d3bd56c7';
  beforeAll(async () => {
    hub = await startTestHub({ env: { WECHAT_OA_TOKEN: 'QDG6eK', WECHAT_OA_ENCODING_AES_KEY: KEY, WECHAT_OA_APP_ID: CORP } });
  });
  afterAll(async () => hub?.drop());

  it('verifies the URL with the published vector', async () => {
    const params = new URLSearchParams({
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    });
    expect(await (await fetch(`${hub.url}/wechat/official?${params}`)).text()).toBe('1616140317555161061');
  });

  it('decrypts a message, answers sealed and signed, and refuses a wrong msg_signature', async () => {
    const crypto = new WechatCrypto(KEY);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const encrypt = crypto.encrypt(textXml('mycreate', '你好,我想反映个问题'), CORP);
    const body = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID>218</AgentID></xml>`;
    const url = `${hub.url}/wechat/official?${new URLSearchParams({ msg_signature: wechatSignature('QDG6eK', timestamp, '42', encrypt), timestamp, nonce: '42' })}`;
    const r = await fetch(url, { method: 'POST', body });
    expect(r.status).toBe(200);
    const sealed = parseWechatXml(await r.text());
    expect(sealed.MsgSignature).toBe(wechatSignature('QDG6eK', sealed.TimeStamp, sealed.Nonce, sealed.Encrypt));
    const inner = crypto.decrypt(sealed.Encrypt);
    expect(inner.receiveId).toBe(CORP);
    expect(parseWechatXml(inner.message).Content).toContain('您好');

    const forged = `${hub.url}/wechat/official?${new URLSearchParams({ msg_signature: 'f'.repeat(40), timestamp, nonce: '42' })}`;
    expect((await fetch(forged, { method: 'POST', body })).status).toBe(401);
  });
});

describe('later messages through the customer-service API', () => {
  let hub: TestHub;
  let wechat: FakeWechat;
  beforeAll(async () => {
    wechat = await FakeWechat.start();
    hub = await startTestHub({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APP_ID: 'wxoffice', WECHAT_OA_APP_SECRET: 'oa-secret', WECHAT_API_URL: wechat.url } });
  });
  afterAll(async () => {
    await hub?.drop();
    await wechat?.close();
  });

  it('sends officer messages and notices, and when the reply window has closed keeps them until the petitioner writes again', async () => {
    const openid = 'oUser_li';
    let reply = (await send(hub, textXml(openid, '小区垃圾站臭气熏天,夏天更严重,希望搬走,在杭州市拱墅区和睦路,上个月开始,我叫李娜'))).content as string;
    for (let i = 0; i < 8 && !/XF-\d{6}-/.test(reply); i++) reply = (await send(hub, textXml(openid, /对吗|核对/.test(reply) ? '对' : '不方便说'))).content as string;
    const ref = /XF-\d{6}-[A-Z2-9]{5}/.exec(reply)?.[0] as string;
    expect(ref).toBeDefined();

    await api(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'accept', actor: 'officer:1' } });
    const accepted = await wechat.waitFor((m) => m.touser === openid && m.content.includes('受理'));
    expect(accepted.errcode).toBe(0);
    // The bot's own answers went back as passive replies: none is sent again.
    expect(wechat.sent.some((m) => m.content.includes('您好'))).toBe(false);

    wechat.windowClosed.add(openid);
    await api(hub.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'reply', text: '我们已安排环卫所明天上午处理', actor: 'officer:1' } });
    await wechat.waitFor((m) => m.touser === openid && m.errcode === 45015);
    await new Promise((r) => setTimeout(r, 1500));
    expect(wechat.sent.filter((m) => m.errcode === 45015)).toHaveLength(1);

    wechat.windowClosed.delete(openid);
    await send(hub, textXml(openid, '请问处理得怎么样了'));
    const delivered = await wechat.waitFor((m) => m.touser === openid && m.errcode === 0 && m.content.includes('环卫所'));
    expect(delivered.content).toContain('我们已安排环卫所明天上午处理');
    expect(wechat.tokenRequests).toBe(1);
  });
});

describe('an answer too slow for a passive reply', () => {
  let hub: TestHub;
  let wechat: FakeWechat;
  beforeAll(async () => {
    wechat = await FakeWechat.start();
    // No time at all for a passive reply: every answer goes through the customer-service API.
    hub = await startTestHub({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APP_ID: 'wxoffice', WECHAT_OA_APP_SECRET: 'oa-secret', WECHAT_API_URL: wechat.url, WECHAT_OA_REPLY_MS: '0' } });
  });
  afterAll(async () => {
    await hub?.drop();
    await wechat?.close();
  });

  it('is answered "success" at once and sent through the customer-service API, once', async () => {
    const r = await send(hub, textXml('oUser_slow', '我们单位拖欠我三个月工资了'));
    expect(r.raw).toBe('success');
    const sent = await wechat.waitFor((m) => m.touser === 'oUser_slow' && m.content.includes('您好'));
    expect(sent.errcode).toBe(0);
    await wechat.waitFor((m) => m.touser === 'oUser_slow' && /哪里|地点|什么时候|接着说/.test(m.content));
    await new Promise((r) => setTimeout(r, 500));
    const texts = wechat.sent.filter((m) => m.touser === 'oUser_slow').map((m) => m.content);
    expect(new Set(texts).size).toBe(texts.length);
  });
});
