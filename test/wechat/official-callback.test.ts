import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { drained } from '../helpers/slack-setup.js';
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

/** The error code of a refusal (the hub's JSON error body). */
const codeOf = (raw: string): string => (JSON.parse(raw) as { error: { code: string } }).error.code;

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
    expect(odd.content).toMatch(/暂时无法处理.*cannot read this kind of message/s);
    expect(await hub.db.message.count({ where: { text: { contains: 'file' }, conversation: { petitioner: { channelUserId: 'oUser_photo' } } } })).toBe(0);
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
  // The published vectors carry 2014 timestamps: the hub's clock is put there for them, then back.
  let offsetMs = 0;
  const at = async <T>(unixSeconds: number, run: () => Promise<T>): Promise<T> => {
    offsetMs = (unixSeconds + 2) * 1000 - Date.now();
    try {
      return await run();
    } finally {
      offsetMs = 0;
    }
  };
  beforeAll(async () => {
    hub = await startTestHub({ env: { WECHAT_OA_TOKEN: 'QDG6eK', WECHAT_OA_ENCODING_AES_KEY: KEY, WECHAT_OA_APP_ID: CORP }, now: () => new Date(Date.now() + offsetMs) });
  });
  afterAll(async () => hub?.drop());

  it('verifies the URL with the published vector', async () => {
    const params = new URLSearchParams({
      msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
      timestamp: '1409659589',
      nonce: '263014780',
      echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
    });
    expect(await at(1409659589, async () => (await fetch(`${hub.url}/wechat/official?${params}`)).text())).toBe('1616140317555161061');
  });

  it('refuses URL verification with a timestamp more than five minutes old or ahead, in both forms', async () => {
    const crypto = new WechatCrypto(KEY);
    const echostr = crypto.encrypt('echo-wecom', CORP);
    const verify = (timestamp: string) => {
      const sealed = new URLSearchParams({ msg_signature: wechatSignature('QDG6eK', timestamp, '7', echostr), timestamp, nonce: '7', echostr });
      const plain = new URLSearchParams({ signature: wechatSignature('QDG6eK', timestamp, '7'), timestamp, nonce: '7', echostr: 'echo-oa' });
      return Promise.all([fetch(`${hub.url}/wechat/official?${sealed}`), fetch(`${hub.url}/wechat/official?${plain}`)]);
    };
    const nowS = Math.floor(Date.now() / 1000);
    const fresh = await verify(String(nowS - 60));
    expect(await Promise.all(fresh.map((r) => r.text()))).toEqual(['echo-wecom', 'echo-oa']);
    // Published vector, a day later: signed correctly, but stale.
    const vector = new URLSearchParams({ msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', timestamp: '1409659589', nonce: '263014780', echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==' });
    const stale = await at(1409659589 + 86_400, () => fetch(`${hub.url}/wechat/official?${vector}`));
    for (const r of [stale, ...(await verify(String(nowS - 301))), ...(await verify(String(nowS + 400))), ...(await verify('')), ...(await verify('soon'))]) {
      expect(r.status).toBe(401);
      expect(codeOf(await r.text())).toBe('stale_request');
    }
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

  it("answers WeChat's retry of the published sealed message (same timestamp, nonce and msg_signature) the same, storing it once", async () => {
    const encrypt =
      'RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gsijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUax5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIGHBZZIs2pDBS8R07+qN+E7Q==';
    const body = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt><AgentID><![CDATA[218]]></AgentID></xml>`;
    const url = `${hub.url}/wechat/official?${new URLSearchParams({ msg_signature: '477715d11cdb4164915debcba66cb864d751f3e6', timestamp: '1409659813', nonce: '1372623149' })}`;
    const crypto = new WechatCrypto(KEY);
    const contents = await at(1409659813, async () => {
      const out: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await fetch(url, { method: 'POST', body });
        expect(r.status).toBe(200);
        out.push(parseWechatXml(crypto.decrypt(parseWechatXml(await r.text()).Encrypt).message).Content);
      }
      return out;
    });
    expect(contents[0]).toBeTruthy();
    expect(new Set(contents).size).toBe(1);
    expect(await hub.db.message.count({ where: { clientMessageId: 'wechat-oa:4561255354251345929' } })).toBe(1);
  });
});

describe('safe mode accepts only sealed messages', () => {
  // The Official Account SDK's sample key and AppID (docs/test-vectors.md).
  const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
  const APP = 'wxb11529c136998cb6';
  const crypto = new WechatCrypto(KEY);
  let hub: TestHub;
  let wechat: FakeWechat;
  beforeAll(async () => {
    wechat = await FakeWechat.start();
    hub = await startTestHub({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_ENCODING_AES_KEY: KEY, WECHAT_OA_APP_ID: APP, WECHAT_OA_APP_SECRET: 'oa-secret', WECHAT_API_URL: wechat.url } });
  });
  afterAll(async () => {
    await hub?.drop();
    await wechat?.close();
  });

  /** What an Official Account in safe mode sends: both signatures in the URL, the message sealed. */
  function sealedRequest(xml: string): { query: Record<string, string>; body: string } {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const encrypt = crypto.encrypt(xml, APP);
    return {
      query: { signature: wechatSignature(TOKEN, timestamp, nonce), timestamp, nonce, openid: 'x', encrypt_type: 'aes', msg_signature: wechatSignature(TOKEN, timestamp, nonce, encrypt) },
      body: `<xml><ToUserName><![CDATA[gh_office]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`,
    };
  }
  const post = (query: Record<string, string>, body: string) => fetch(`${hub.url}/wechat/official?${new URLSearchParams(query)}`, { method: 'POST', body });

  it('refuses a plain body signed with a captured URL, and a sealed one without msg_signature, changing nothing', async () => {
    const counts = async () => [await hub.db.petitioner.count(), await hub.db.conversation.count(), await hub.db.message.count()];
    const before = await counts();
    const forged = textXml('oUser_victim', '我撤回之前的全部投诉,不用再处理了');
    const { query, body } = sealedRequest(forged);
    const { msg_signature: _dropped, ...plainQuery } = query;
    const refused = [
      // A plain body under the URL of a real sealed callback, keeping only its plain signature.
      await post(plainQuery, forged),
      await fetch(signedUrl(hub.url), { method: 'POST', body: forged }),
      // The same with msg_signature left on (it signs the ciphertext, which this body lacks).
      await post(query, forged),
      // A genuine sealed body, but only the plain signature (which does not cover the body).
      await post(plainQuery, body),
    ];
    for (const r of refused) {
      expect(r.status).toBe(401);
      expect(codeOf(await r.text())).toBe('encryption_required');
    }
    expect(await counts()).toEqual(before);
    // Nothing was queued to be sent later either (the refusal comes before any write).
    expect(await hub.db.outboxJob.count()).toBe(0);
    expect(wechat.sent).toEqual([]);

    // The genuine request itself is answered, sealed.
    const ok = await post(query, body);
    expect(ok.status).toBe(200);
    const inner = crypto.decrypt(parseWechatXml(await ok.text()).Encrypt);
    expect(inner.receiveId).toBe(APP);
    expect(parseWechatXml(inner.message).ToUserName).toBe('oUser_victim');
  });
});

describe('a replayed callback', () => {
  let hub: TestHub;
  let other: TestHub;
  let offsetMs = 0;
  beforeAll(async () => {
    const env = { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_APP_ID: 'wxoffice' };
    hub = await startTestHub({ env, now: () => new Date(Date.now() + offsetMs) });
    // A second instance on the same database, as behind a load balancer.
    other = await startTestHub({ env, db: hub.testDb });
  });
  afterAll(async () => {
    await other?.stop();
    await hub?.drop();
  });

  it("is refused when it carries another message, on any instance; WeChat's retries of the message (same URL, same body) get the same answer, stored once", async () => {
    const openid = 'oUser_wang';
    await send(hub, textXml(openid, '你好'));
    const url = signedUrl(hub.url);
    const onOther = url.replace(hub.url, other.url);
    const original = textXml(openid, '我们小区门口的路灯坏了两个月了,晚上很黑');
    const first = await send(hub, original, url);
    expect(first.status).toBe(200);
    expect(first.content).toBeTruthy();

    const counts = async () => [await hub.db.petitioner.count(), await hub.db.conversation.count(), await hub.db.message.count()];
    const before = await counts();
    const replays = [
      await send(hub, textXml(openid, '我撤回投诉'), url),
      await send(hub, textXml('oUser_someone_else', '我要举报邻居'), url),
      await send(other, textXml('oUser_someone_else', '我要举报邻居'), onOther),
      await send(other, `<xml><ToUserName><![CDATA[gh_office]]></ToUserName><FromUserName><![CDATA[oUser_new_follower]]></FromUserName><CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event></xml>`, onOther),
    ];
    for (const r of replays) {
      expect(r.status).toBe(401);
      expect(codeOf(r.raw)).toBe('replayed_request');
    }
    expect(await counts()).toEqual(before);

    const retried = [await send(hub, original, url), await send(other, original, onOther)];
    for (const r of retried) {
      expect(r.status).toBe(200);
      expect(r.content).toBe(first.content);
    }
    expect(await hub.db.message.count({ where: { text: '我们小区门口的路灯坏了两个月了,晚上很黑' } })).toBe(1);
  });

  it('forgets nonces once the timestamp window has closed on them (a replay is then stale)', async () => {
    const nonceRows = () => hub.db.processedDelivery.count({ where: { id: { startsWith: 'wechat-oa:once:' } } });
    const url = signedUrl(hub.url);
    const xml = textXml('oUser_zhao', '你好');
    expect((await send(hub, xml, url)).status).toBe(200);
    expect(await nonceRows()).toBeGreaterThan(2);
    offsetMs = 12 * 60_000;
    try {
      const timestamp = String(Math.floor((Date.now() + offsetMs) / 1000));
      const later = `${hub.url}/wechat/official?${new URLSearchParams({ timestamp, nonce: '1', signature: wechatSignature(TOKEN, timestamp, '1') })}`;
      expect((await send(hub, textXml('oUser_zhao', '还在吗'), later)).status).toBe(200);
      expect(await nonceRows()).toBe(2);
      const replay = await send(hub, xml, url);
      expect(replay.status).toBe(401);
      expect(codeOf(replay.raw)).toBe('stale_request');
    } finally {
      offsetMs = 0;
    }
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

  it("answers WeChat's retries (same URL, same body) of a message still being answered \"success\" again, and sends the answer once", async () => {
    const url = signedUrl(hub.url);
    const xml = textXml('oUser_slow_retry', '我们村的桥塌了一半,孩子上学很危险');
    for (let i = 0; i < 3; i++) expect((await send(hub, xml, url)).raw).toBe('success');
    await wechat.waitFor((m) => m.touser === 'oUser_slow_retry' && m.content.includes('您好'));
    // Everything queued has gone out: a second sending would be in `sent` by now.
    await drained(hub);
    const texts = wechat.sent.filter((m) => m.touser === 'oUser_slow_retry').map((m) => m.content);
    expect(new Set(texts).size).toBe(texts.length);
  });
});
