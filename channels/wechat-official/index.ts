import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { wecomPushEnabled, type Config } from '../../src/config.js';
import type { Db } from '../../src/db/client.js';
import { errorBody, HubError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { ConversationService } from '../../src/conversation/conversation-service.js';
import { deliverableText, type MessageView } from '../../src/conversation/messages.js';
import { checkText } from '../../src/http/validate.js';
import { signatureMatches, WechatCrypto, wechatSignature } from './crypto.js';
import { BadXml, encryptedXml, parseWechatXml, textReplyXml } from './xml.js';
import { firstDelivery } from '../../src/db/deliveries.js';
import type { Outbox } from '../../src/outbox/outbox.js';
import type { HubEventBus } from '../../src/events.js';
import { schedulePushes } from '../../src/outbox/push-schedule.js';
import { WECHAT_PUSH_JOB, undelivered, wechatPusher } from './customer-service.js';
import { NonceGuard, retryIdentity } from './nonce-guard.js';
import { officialAccountToken, wecomToken } from './access-token.js';
import { WECOM_PUSH_JOB, wecomPusher } from './wecom-push.js';
import type { AccessTokenStore } from '../../src/db/platform-tokens.js';

export interface WechatOfficialDeps {
  config: Config;
  db: Db;
  outbox: Outbox;
  events: HubEventBus;
  conversations: ConversationService;
  logger: Logger;
  now: () => Date;
  /** Access tokens shared with the hub's other instances (one refresh for all). */
  tokens: AccessTokenStore;
}

/** Where a callback came from: the Official Account, or the WeCom app (sealed for WECOM_CORP_ID). */
type Source = 'wechat-oa' | 'wecom';

const MAX_SKEW_S = 5 * 60;
const PATH = '/wechat/official';

/** Photos, voice, video and links are kept as material (WeChat's media id or URL), not read as text. */
function describeAttachment(f: Record<string, string>): string | null {
  switch (f.MsgType) {
    case 'image':
      return `[图片 image] ${f.PicUrl ?? ''} media:${f.MediaId ?? ''}`;
    case 'voice':
      return `[语音 voice] media:${f.MediaId ?? ''}${f.Recognition ? ` ${f.Recognition}` : ''}`;
    case 'video':
    case 'shortvideo':
      return `[视频 video] media:${f.MediaId ?? ''}`;
    case 'link':
      return `[链接 link] ${f.Title ?? ''} ${f.Url ?? ''}`;
    default:
      return null;
  }
}

const q = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');

/** Within five minutes of the clock, either way: a signed URL is only good that long. */
const fresh = (timestamp: string, at: Date) => /^\d+$/.test(timestamp) && Math.abs(at.getTime() / 1000 - Number(timestamp)) <= MAX_SKEW_S;

/**
 * The Official Account (and WeCom self-built app) callback: URL verification, plain and safe mode,
 * retried deliveries handled once, and a passive reply with the bot's answer.
 */
export async function mountWechatOfficial(app: Express, deps: WechatOfficialDeps): Promise<void> {
  const { config, conversations, now } = deps;
  // Later messages (officer replies, status notices) need each platform's push API, hence the secrets.
  const canPush: Record<Source, boolean> = { 'wechat-oa': Boolean(config.WECHAT_OA_APP_ID && config.WECHAT_OA_APP_SECRET), wecom: wecomPushEnabled(config) };
  const pushJob: Record<Source, string> = { 'wechat-oa': WECHAT_PUSH_JOB, wecom: WECOM_PUSH_JOB };
  if (canPush['wechat-oa']) {
    const token = officialAccountToken(deps.tokens, config.WECHAT_API_URL, config.WECHAT_OA_APP_ID as string, config.WECHAT_OA_APP_SECRET as string);
    deps.outbox.register(WECHAT_PUSH_JOB, wechatPusher(deps.db, config.WECHAT_API_URL, token));
    await schedulePushes(deps, 'wechat-oa', WECHAT_PUSH_JOB, undelivered);
  }
  if (canPush.wecom) {
    const agentId = config.WECOM_AGENT_ID as number;
    const token = wecomToken(deps.tokens, config.WECOM_API_URL, config.WECOM_CORP_ID as string, agentId, config.WECOM_SECRET as string);
    deps.outbox.register(WECOM_PUSH_JOB, wecomPusher(deps, config.WECOM_API_URL, agentId, token));
    await schedulePushes(deps, 'wecom', WECOM_PUSH_JOB, undelivered);
  }
  const token = config.WECHAT_OA_TOKEN as string;
  const aes = config.WECHAT_OA_ENCODING_AES_KEY ? new WechatCrypto(config.WECHAT_OA_ENCODING_AES_KEY) : null;
  const refuse = (res: Response, status: number, code: string, message: string) => res.status(status).json(errorBody(code, message));
  const stale = (res: Response) => refuse(res, 401, 'stale_request', 'timestamp missing or more than 5 minutes off');
  const nonces = new NonceGuard(deps.db, now, deps.logger, MAX_SKEW_S);

  app.get(PATH, (req, res) => {
    const [timestamp, nonce, echostr] = [q(req, 'timestamp'), q(req, 'nonce'), q(req, 'echostr')];
    // Verification too: a logged or captured URL must not be replayable later.
    if (!fresh(timestamp, now())) return stale(res);
    const msgSignature = q(req, 'msg_signature');
    // WeCom verifies with an encrypted echostr and msg_signature; an Official Account in plain form.
    if (msgSignature && aes) {
      if (!signatureMatches(wechatSignature(token, timestamp, nonce, echostr), msgSignature)) return refuse(res, 401, 'bad_signature', 'signature does not match');
      try {
        return res.type('text/plain').send(aes.decrypt(echostr).message);
      } catch {
        return refuse(res, 400, 'bad_request', 'echostr cannot be decrypted');
      }
    }
    if (!signatureMatches(wechatSignature(token, timestamp, nonce), q(req, 'signature'))) return refuse(res, 401, 'bad_signature', 'signature does not match');
    res.type('text/plain').send(echostr);
  });

  app.post(PATH, express.text({ type: () => true, limit: '64kb' }), async (req, res) => {
    const [timestamp, nonce] = [q(req, 'timestamp'), q(req, 'nonce')];
    const body = typeof req.body === 'string' ? req.body : '';
    const at = now();
    if (!fresh(timestamp, at)) return stale(res);
    const msgSignature = q(req, 'msg_signature');
    // Plain mode is signed over token, timestamp and nonce; safe mode (and WeCom, which sends only
    // msg_signature) over those and the ciphertext. Nothing is acted on before the signature holds.
    // With a key set, only msg_signature will do: the plain signature does not cover the body, so a
    // captured URL would carry any plain message for as long as its timestamp is accepted.
    const sealedOnly = () => refuse(res, 401, 'encryption_required', 'safe mode: only an <Encrypt> body signed with msg_signature is accepted');
    if (aes && !msgSignature) return sealedOnly();
    if (!msgSignature && !signatureMatches(wechatSignature(token, timestamp, nonce), q(req, 'signature'))) return refuse(res, 401, 'bad_signature', 'signature does not match');
    let fields: Record<string, string>;
    let source: Source = 'wechat-oa';
    let receiveId = '';
    try {
      fields = parseWechatXml(body);
      if (aes) {
        if (fields.Encrypt === undefined) return sealedOnly();
        if (!signatureMatches(wechatSignature(token, timestamp, nonce, fields.Encrypt), msgSignature)) return refuse(res, 401, 'bad_signature', 'msg_signature does not match');
        const opened = aes.decrypt(fields.Encrypt);
        receiveId = opened.receiveId;
        // The receiver id is inside the seal, so only the holder of the key can claim to be WeCom.
        if (config.WECOM_CORP_ID && receiveId === config.WECOM_CORP_ID) source = 'wecom';
        else if (config.WECHAT_OA_APP_ID && receiveId !== config.WECHAT_OA_APP_ID) return refuse(res, 401, 'bad_signature', 'message sealed for another app');
        // Only what was sealed counts (compatibility mode also sends the message in the clear beside it).
        fields = { ...parseWechatXml(opened.message), Encrypt: fields.Encrypt };
      } else if (msgSignature || fields.Encrypt !== undefined) {
        return refuse(res, 400, 'bad_request', 'an encrypted message, but no EncodingAESKey is configured');
      }
    } catch (err) {
      if (err instanceof BadXml) return refuse(res, 400, 'bad_xml', err.message);
      return refuse(res, 400, 'bad_request', 'the message cannot be decrypted');
    }
    if (!(await nonces.admit(timestamp, nonce, retryIdentity(fields)))) {
      return refuse(res, 401, 'replayed_request', 'this timestamp and nonce already came with another message');
    }
    // WeChat waits 5 s for a passive reply; past that the answer goes out through the
    // customer-service API instead (when the hub has the secret for it).
    // WECHAT_OA_REPLY_MS=0 sends every answer that way.
    const work = answer(source, fields);
    const slow = canPush[source] ? new Promise<'slow'>((resolve) => setTimeout(() => resolve('slow'), config.WECHAT_OA_REPLY_MS).unref()) : null;
    const outcome = slow && config.WECHAT_OA_REPLY_MS === 0 ? 'slow' : await (slow ? Promise.race([work, slow]) : work);
    if (outcome === 'slow') {
      res.type('text/plain').send('success');
      void work.then(() => pushPending(source, fields.FromUserName)).catch((err: unknown) => deps.logger.error({ err }, 'wechat answer failed'));
      return;
    }
    const reply = outcome;
    if (reply?.delivered.length) await deps.db.message.updateMany({ where: { id: { in: reply.delivered } }, data: { deliveredAt: at } });
    // The petitioner just wrote: WeChat's 48-hour reply window is open, so anything waiting goes now.
    if (canPush[source] && fields.FromUserName) await pushPending(source, fields.FromUserName);
    if (!reply) return res.type('text/plain').send('success');
    const xml = textReplyXml(fields.FromUserName, fields.ToUserName, reply.text, at);
    if (fields.Encrypt === undefined) return res.type('application/xml').send(xml);
    // Safe mode: the reply goes back sealed and signed the same way.
    const sealed = (aes as WechatCrypto).encrypt(xml, receiveId);
    const replyNonce = randomBytes(8).toString('hex');
    res.type('application/xml').send(encryptedXml(sealed, wechatSignature(token, timestamp, replyNonce, sealed), timestamp, replyNonce));
  });

  async function pushPending(source: Source, userId: string): Promise<void> {
    const conv = await deps.db.conversation.findFirst({ where: { channel: source, petitioner: { channelUserId: userId } }, orderBy: { createdAt: 'desc' }, select: { id: true } });
    if (conv) await deps.outbox.enqueue(pushJob[source], conv.id, deps.db, { now: true });
  }

  interface Answer {
    text: string;
    /** Stored messages this passive reply delivers. */
    delivered: string[];
  }

  /** The bot's answer to one callback, or null for "success" (nothing to say). */
  // The sender is an openid (Official Account) or the employee's UserID (WeCom), kept as the
  // petitioner's channel user id under the channel it came from.
  async function answer(channel: Source, f: Record<string, string>): Promise<Answer | null> {
    const openid = f.FromUserName;
    if (!openid) return null;
    const text = (messages: MessageView[]): Answer | null => {
      const said = messages.filter((m) => m.role !== 'petitioner');
      if (!said.length) return null;
      return { text: said.map(deliverableText).join('\n\n'), delivered: said.map((m) => m.id) };
    };
    const note = (t: string): Answer => ({ text: t, delivered: [] });
    // Someone who writes before following gets the greeting's first line with the answer; its
    // opening question is superseded by the answer's, so it counts as delivered too.
    const withGreeting = (greeting: MessageView[], a: Answer | null): Answer | null =>
      greeting.length ? { text: [greeting[0].text, a?.text].filter(Boolean).join('\n\n'), delivered: [...greeting.map((m) => m.id), ...(a?.delivered ?? [])] } : a;
    if (f.MsgType === 'event') {
      // Events have no MsgId: WeChat's retries are told apart by sender and time.
      if (!(await firstDelivery(deps.db, `${channel}:event:${openid}:${f.CreateTime}`))) return null;
      if (f.Event !== 'subscribe') return null;
      const { conversationId, started } = await conversations.conversationFor(channel, openid, 'zh-CN');
      const history = await conversations.history(conversationId);
      return started ? text(history) : text(await conversations.receive(conversationId, '你好', `${channel}:subscribe:${f.CreateTime}`).then((r) => r.replies));
    }
    const content =
      f.MsgType === 'text' ? f.Content : f.MsgType === 'location' ? `位置：${f.Label ?? ''}（${f.Location_X ?? ''}，${f.Location_Y ?? ''}）` : null;
    const attachment = describeAttachment(f);
    if ((content === null || content === undefined) && attachment) {
      const { conversationId, started } = await conversations.conversationFor(channel, openid, 'zh-CN');
      const greeting = started ? await conversations.history(conversationId) : [];
      return withGreeting(greeting, text(await conversations.attach(conversationId, attachment, `${channel}:${f.MsgId ?? f.CreateTime}`)));
    }
    if (content === null || content === undefined) {
      return note('抱歉，这种消息暂时无法处理，请用文字或图片告诉我们。Sorry, we cannot read this kind of message; please write or send a photo.');
    }
    const { conversationId, started } = await conversations.conversationFor(channel, openid, 'zh-CN');
    const greeting = started ? await conversations.history(conversationId) : [];
    try {
      // The MsgId makes WeChat's retries of the same message return the same answer, stored once.
      const { replies } = await conversations.receive(conversationId, checkText(content), `${channel}:${f.MsgId ?? f.CreateTime}`);
      return withGreeting(greeting, text(replies));
    } catch (err) {
      if (err instanceof HubError) return note(`抱歉，这条消息无法处理：${err.message}`);
      throw err;
    }
  }
}
