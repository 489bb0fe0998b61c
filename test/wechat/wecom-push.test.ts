import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { drained } from '../helpers/slack-setup.js';
import { eventually } from '../helpers/eventually.js';
import { FakeWechat } from '../helpers/fake-wechat.js';
import { FakeWecom } from '../helpers/fake-wecom.js';
import { WechatCrypto, wechatSignature } from '../../channels/wechat-official/crypto.js';
import { parseWechatXml } from '../../channels/wechat-official/xml.js';
import { pushJob } from '../../src/channels/channel-gateway.js';

// One callback for both: the Official Account's AppID and the WeCom app's CorpID share token and key.
const TOKEN = 'shared-callback-token';
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP = 'wxb11529c136998cb6';
const CORP = 'ww2c6a9d0e4f1b3a57';
const AGENT = 1000002;
const crypto = new WechatCrypto(KEY);

let msgId = 8000000000000000000n;
const nowS = () => Math.floor(Date.now() / 1000);
const textXml = (to: string, from: string, content: string, extra = '') =>
  `<xml><ToUserName><![CDATA[${to}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${nowS()}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>${++msgId}</MsgId>${extra}</xml>`;

/** A safe-mode callback as the platform sends it: the message sealed for `receiver`, signed with msg_signature. */
function sealedPost(hub: TestHub, inner: string, receiver: string, outer: string): Promise<Response> {
  const [timestamp, nonce] = [String(nowS()), String(Math.floor(Math.random() * 1e9))];
  const encrypt = crypto.encrypt(inner, receiver);
  const query = new URLSearchParams({ msg_signature: wechatSignature(TOKEN, timestamp, nonce, encrypt), timestamp, nonce });
  return fetch(`${hub.url}/wechat/official?${query}`, { method: 'POST', body: `<xml>${outer}<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>` });
}

/** What WeCom sends when an employee writes to the app: FromUserName is their UserID, the receiver the CorpID. */
const fromEmployee = (hub: TestHub, userId: string, content: string, corp = CORP) =>
  sealedPost(hub, textXml(corp, userId, content, `<AgentID>${AGENT}</AgentID>`), corp, `<ToUserName><![CDATA[${corp}]]></ToUserName><AgentID><![CDATA[${AGENT}]]></AgentID>`);
const fromFollower = (hub: TestHub, openid: string, content: string) =>
  sealedPost(hub, textXml('gh_office', openid, content), APP, '<ToUserName><![CDATA[gh_office]]></ToUserName>');

const hubEnv = (wecom: FakeWecom, wechat: FakeWechat): Record<string, string> => ({
  WECHAT_OA_TOKEN: TOKEN,
  WECHAT_OA_ENCODING_AES_KEY: KEY,
  WECHAT_OA_APP_ID: APP,
  WECHAT_OA_APP_SECRET: 'oa-secret',
  WECHAT_API_URL: wechat.url,
  WECOM_CORP_ID: CORP,
  WECOM_AGENT_ID: String(AGENT),
  WECOM_SECRET: 'wecom-secret',
  WECOM_API_URL: wecom.url,
  // Every answer goes out by push, so the push path is what these tests see.
  WECHAT_OA_REPLY_MS: '0',
});

const unsent = (hub: TestHub, userId: string) =>
  hub.db.message.count({ where: { role: { not: 'petitioner' }, deliveredAt: null, conversation: { channel: 'wecom', petitioner: { channelUserId: userId } } } });

describe('a WeCom employee, answered through message/send', () => {
  let hub: TestHub;
  let wecom: FakeWecom;
  let wechat: FakeWechat;
  beforeAll(async () => {
    [wecom, wechat] = await Promise.all([FakeWecom.start(CORP, 'wecom-secret'), FakeWechat.start()]);
    hub = await startTestHub({ env: hubEnv(wecom, wechat) });
  });
  afterAll(async () => {
    await hub?.drop();
    await Promise.all([wecom?.close(), wechat?.close()]);
  });

  it('gets the bot’s replies as the app (agentid) addressed to their UserID; the conversation is recorded under wecom', async () => {
    const r = await fromEmployee(hub, 'zhangsan', '你好，我想反映一下我们小区停车难的问题');
    expect([r.status, await r.text()]).toEqual([200, 'success']);
    const sent = await wecom.waitFor((m) => m.touser === 'zhangsan' && m.errcode === 0);
    expect(sent.agentid).toBe(AGENT);
    expect(sent.content).toContain('您好');
    const petitioner = await hub.db.petitioner.findFirstOrThrow({ where: { channelUserId: 'zhangsan' }, include: { conversations: true } });
    expect([petitioner.channel, petitioner.conversations.map((c) => c.channel)]).toEqual(['wecom', ['wecom']]);
    await eventually(() => unsent(hub, 'zhangsan'), (n) => n === 0);
    await drained(hub);
    expect(wechat.sent).toEqual([]);
    expect(wecom.tokenRequests).toBe(1);
  });

  it('refreshes an expired token (42001) once and delivers the message once', async () => {
    const from = wecom.sent.length;
    wecom.expired.add(wecom.sent[from - 1].accessToken);
    await fromEmployee(hub, 'zhangsan', '晚上回家经常找不到车位，外来车辆占了很多位置');
    await eventually(() => wecom.sent.filter((m) => m.errcode === 0).length, (n) => n > from);
    await eventually(() => unsent(hub, 'zhangsan'), (n) => n === 0);
    await drained(hub);
    const attempts = wecom.sent.slice(from);
    expect(attempts[0].errcode).toBe(42001);
    expect(attempts.filter((m) => m.errcode === 42001)).toHaveLength(1);
    expect(attempts[1]).toMatchObject({ errcode: 0, content: attempts[0].content, accessToken: 'wecom-token-2' });
    const delivered = attempts.filter((m) => m.errcode === 0).map((m) => m.content);
    expect(new Set(delivered).size).toBe(delivered.length);
    expect(wecom.tokenRequests).toBe(2);
  });

  it('splits a message longer than WeCom’s 2048 bytes into pieces that each fit, in order', async () => {
    const conv = await hub.db.conversation.findFirstOrThrow({ where: { channel: 'wecom', petitioner: { channelUserId: 'zhangsan' } } });
    const text = `关于您反映的停车问题：\n${'物业已安排保安在晚间巡查外来车辆，并将在小区入口增设道闸。'.repeat(60)}`;
    await hub.db.message.create({ data: { id: randomUUID(), conversationId: conv.id, seq: 100_000, role: 'officer', text } });
    await hub.outbox.enqueue(pushJob('wecom'), conv.id);
    await eventually(() => unsent(hub, 'zhangsan'), (n) => n === 0);
    const pieces = wecom.sent.filter((m) => m.touser === 'zhangsan' && /道闸|停车问题/.test(m.content));
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const p of pieces) expect([p.errcode, Buffer.byteLength(p.content) <= 2048]).toEqual([0, true]);
    expect(pieces.map((p) => p.content).join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('keeps the messages of an employee WeCom cannot reach (81013) as a dead letter without retrying, and sends them when they write again', async () => {
    wecom.unknownUsers.add('lisi');
    await fromEmployee(hub, 'lisi', '你好');
    await wecom.waitFor((m) => m.touser === 'lisi' && m.errcode === 81013);
    const dead = await eventually(() => hub.db.outboxJob.findFirst({ where: { kind: pushJob('wecom'), deadAt: { not: null } } }), Boolean);
    expect(dead?.lastError).toMatch(/cannot be reached/);
    await hub.outbox.runDue();
    expect(wecom.sent.filter((m) => m.touser === 'lisi')).toHaveLength(1);
    expect(await unsent(hub, 'lisi')).toBeGreaterThan(0);

    wecom.unknownUsers.delete('lisi');
    await fromEmployee(hub, 'lisi', '我们村通往镇上的路坏了');
    await eventually(() => unsent(hub, 'lisi'), (n) => n === 0);
    await drained(hub);
    expect(wecom.sent.some((m) => m.touser === 'lisi' && m.errcode === 0 && m.content.includes('您好'))).toBe(true);
  });

  it('waits out a rate limit (45009) in the outbox, then delivers', async () => {
    wecom.busy = 1;
    await fromEmployee(hub, 'wangwu', '你好');
    await wecom.waitFor((m) => m.touser === 'wangwu' && m.errcode === 45009);
    const job = await eventually(
      () => hub.db.outboxJob.findFirst({ where: { kind: pushJob('wecom') } }),
      (j) => Boolean(j?.lastError?.includes('45009')),
    );
    expect(job!.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan(30_000);
    // Not waiting the minute out: the job is made due now.
    await hub.db.outboxJob.update({ where: { id: job!.id }, data: { nextAttemptAt: new Date() } });
    await hub.outbox.runDue();
    await wecom.waitFor((m) => m.touser === 'wangwu' && m.errcode === 0);
  });
});

describe('two hub instances on one database', () => {
  let a: TestHub;
  let b: TestHub;
  let wecom: FakeWecom;
  let wechat: FakeWechat;
  beforeAll(async () => {
    [wecom, wechat] = await Promise.all([FakeWecom.start(CORP, 'wecom-secret'), FakeWechat.start()]);
    a = await startTestHub({ env: hubEnv(wecom, wechat) });
    b = await startTestHub({ env: hubEnv(wecom, wechat), db: a.testDb });
  });
  afterAll(async () => {
    await b?.stop();
    await a?.drop();
    await Promise.all([wecom?.close(), wechat?.close()]);
  });

  /**
   * Each instance holds one push job (an instance sends its jobs one after another) while the first
   * token request is held: both are pushing at once. Returns [jobs held, token requests].
   */
  const bothPushing = (kind: string, fake: { tokenRequests: number }) =>
    eventually(async () => [await a.db.outboxJob.count({ where: { kind, lockedUntil: { not: null } } }), fake.tokenRequests], ([held, asked]) => held === 2 && asked > 0);

  it('call WeCom’s gettoken once when both push at the same moment, and use its token', async () => {
    const release = wecom.holdTokens();
    try {
      const answers = await Promise.all([fromEmployee(a, 'emp-a', '你好，我要反映楼下夜市的噪音'), fromEmployee(b, 'emp-b', '你好，我要反映垃圾没人清运')]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
      expect(await bothPushing(pushJob('wecom'), wecom)).toEqual([2, 1]);
    } finally {
      release();
    }
    await Promise.all(['emp-a', 'emp-b'].map((u) => wecom.waitFor((m) => m.touser === u && m.errcode === 0)));
    await drained(a);
    expect(wecom.tokenRequests).toBe(1);
    expect(new Set(wecom.sent.map((m) => m.accessToken))).toEqual(new Set(['wecom-token-1']));
  });

  it('share the Official Account’s token the same way', async () => {
    const release = wechat.holdTokens();
    try {
      await Promise.all([fromFollower(a, 'oUser_a', '你好，我要反映公交站台坏了'), fromFollower(b, 'oUser_b', '你好，我要反映路灯不亮')]);
      expect(await bothPushing(pushJob('wechat-oa'), wechat)).toEqual([2, 1]);
    } finally {
      release();
    }
    await Promise.all(['oUser_a', 'oUser_b'].map((u) => wechat.waitFor((m) => m.touser === u && m.errcode === 0)));
    await drained(a);
    expect(wechat.tokenRequests).toBe(1);
    expect(wecom.sent.some((m) => m.touser.startsWith('oUser'))).toBe(false);
  });
});

describe('one callback for the Official Account and WeCom', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { WECHAT_OA_TOKEN: TOKEN, WECHAT_OA_ENCODING_AES_KEY: KEY, WECHAT_OA_APP_ID: APP, WECOM_CORP_ID: CORP } });
  });
  afterAll(async () => hub?.drop());

  it('tells them apart by the receiver id inside the seal, and answers each sealed for its own id', async () => {
    const open = async (r: Response): Promise<Record<string, string>> => {
      expect(r.status).toBe(200);
      const sealed = parseWechatXml(await r.text());
      expect(sealed.MsgSignature).toBe(wechatSignature(TOKEN, sealed.TimeStamp, sealed.Nonce, sealed.Encrypt));
      const inner = crypto.decrypt(sealed.Encrypt);
      return { receiveId: inner.receiveId, ...parseWechatXml(inner.message) };
    };
    const employee = await open(await fromEmployee(hub, 'zhaoliu', '你好'));
    expect(employee).toMatchObject({ receiveId: CORP, ToUserName: 'zhaoliu', FromUserName: CORP });
    expect(employee.Content).toContain('您好');
    const follower = await open(await fromFollower(hub, 'oUser_qian', '你好'));
    expect(follower).toMatchObject({ receiveId: APP, ToUserName: 'oUser_qian' });

    const channels = await hub.db.petitioner.findMany({ where: { channelUserId: { in: ['zhaoliu', 'oUser_qian'] } }, select: { channel: true, channelUserId: true }, orderBy: { channelUserId: 'asc' } });
    expect(channels).toEqual([
      { channel: 'wechat-oa', channelUserId: 'oUser_qian' },
      { channel: 'wecom', channelUserId: 'zhaoliu' },
    ]);
    expect(await hub.db.message.count({ where: { clientMessageId: { startsWith: 'wecom:' } } })).toBe(1);

    const stranger = await fromEmployee(hub, 'someone', '你好', 'ww_another_corp');
    expect(stranger.status).toBe(401);
  });
});
