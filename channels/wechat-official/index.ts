import { randomBytes } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { wecomPushEnabled, type Config } from '../../src/config.js';
import { errorBody, HubError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import { refusalText, unreadableText } from '../../src/channels/refusal.js';
import { deliverableText, type MessageView } from '../../src/conversation/messages.js';
import type { Channel, ChannelHub, InboundMessage } from '../../src/channels/contract.js';
import { signatureMatches, WechatCrypto, wechatSignature } from './crypto.js';
import { BadXml, encryptedXml, parseWechatXml, textReplyXml } from './xml.js';
import { officialAccountDeliverer } from './customer-service.js';
import { retryIdentity } from './retry-identity.js';
import { officialAccountToken, wecomToken, type TokenSource } from './access-token.js';
import { wecomDeliverer } from './wecom-push.js';
import { wechatMedia } from './media.js';

export interface WechatOfficialOptions {
  config: Config;
  now: () => Date;
  logger: Logger;
}

/** Where a callback came from: the Official Account, or the WeCom app (sealed for WECOM_CORP_ID). */
type Source = 'wechat-oa' | 'wecom';

const MAX_SKEW_S = 5 * 60;
const PATH = '/wechat/official';

const q = (req: Request, name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');

/** Within five minutes of the clock, either way: a signed URL is only good that long. */
const fresh = (timestamp: string, at: Date) => /^\d+$/.test(timestamp) && Math.abs(at.getTime() / 1000 - Number(timestamp)) <= MAX_SKEW_S;

/**
 * The Official Account (and WeCom self-built app) callback as two channels on one URL: `wechat-oa`
 * and `wecom` (a callback sealed for WECOM_CORP_ID). URL verification, plain and safe mode, retried
 * deliveries handled once, and a passive reply with the bot's answer; what comes later goes out
 * through each platform's push API when the hub has its secret.
 */
export function wechatOfficialChannels(app: Express, options: WechatOfficialOptions): Channel[] {
  const { config } = options;
  const hubs: Partial<Record<Source, ChannelHub>> = {};
  const tokenOf: Partial<Record<Source, TokenSource>> = {};
  const hubOf = (source: Source): ChannelHub => {
    const hub = hubs[source];
    if (!hub) throw new Error(`the ${source} channel is not connected`);
    return hub;
  };
  // Tokens come from the hub's shared store, which the channel is given when it connects.
  const tokens = (source: Source) => () => {
    const t = tokenOf[source];
    if (!t) throw new Error(`the ${source} channel is not connected`);
    return t;
  };
  // Later messages (officer replies, status notices) need each platform's push API, hence the secrets.
  const canPush: Record<Source, boolean> = { 'wechat-oa': Boolean(config.WECHAT_OA_APP_ID && config.WECHAT_OA_APP_SECRET), wecom: wecomPushEnabled(config) };
  const apiUrl: Record<Source, string> = { 'wechat-oa': config.WECHAT_API_URL, wecom: config.WECOM_API_URL };
  const oa: Channel = {
    name: 'wechat-oa',
    deliverer: canPush['wechat-oa'] ? officialAccountDeliverer(config.WECHAT_API_URL, tokens('wechat-oa')) : undefined,
    connect(hub) {
      hubs['wechat-oa'] = hub;
      if (canPush['wechat-oa']) tokenOf['wechat-oa'] = officialAccountToken(hub.tokens, config.WECHAT_API_URL, config.WECHAT_OA_APP_ID as string, config.WECHAT_OA_APP_SECRET as string);
      mountCallback(app, options, { hub: hubOf, canPush, apiUrl, token: (s) => tokenOf[s] ?? null });
    },
  };
  if (!config.WECOM_CORP_ID) return [oa];
  const wecom: Channel = {
    name: 'wecom',
    deliverer: canPush.wecom ? wecomDeliverer(options.logger, config.WECOM_API_URL, config.WECOM_AGENT_ID as number, tokens('wecom')) : undefined,
    connect(hub) {
      hubs.wecom = hub;
      if (canPush.wecom) tokenOf.wecom = wecomToken(hub.tokens, config.WECOM_API_URL, config.WECOM_CORP_ID as string, config.WECOM_AGENT_ID as number, config.WECOM_SECRET as string);
    },
  };
  return [oa, wecom];
}

interface Callback {
  hub(source: Source): ChannelHub;
  canPush: Record<Source, boolean>;
  apiUrl: Record<Source, string>;
  token(source: Source): TokenSource | null;
}

function mountCallback(app: Express, { config, now }: WechatOfficialOptions, cb: Callback): void {
  const token = config.WECHAT_OA_TOKEN as string;
  const aes = config.WECHAT_OA_ENCODING_AES_KEY ? new WechatCrypto(config.WECHAT_OA_ENCODING_AES_KEY) : null;
  const refuse = (res: Response, status: number, code: string, message: string) => res.status(status).json(errorBody(code, message));
  const stale = (res: Response) => refuse(res, 401, 'stale_request', 'timestamp missing or more than 5 minutes off');
  const { canPush } = cb;

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
    // A nonce is bound to the first message it came with: that message again is WeChat's retry.
    // A timestamp is accepted until a window after it, and may itself be a window ahead of the clock
    // that stored it: past two windows (and a minute for clocks apart) the timestamp check refuses any replay.
    if (!(await cb.hub('wechat-oa').claimOnce(`nonce:${timestamp}\n${nonce}`, retryIdentity(fields), (2 * MAX_SKEW_S + 60) * 1000))) {
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
      void work.then(() => cb.hub(source).pushPending(fields.FromUserName)).catch((err: unknown) => cb.hub(source).logger.error({ err }, 'wechat answer failed'));
      return;
    }
    const reply = outcome;
    if (reply?.delivered.length) await cb.hub(source).delivered(reply.delivered);
    // The petitioner just wrote: WeChat's 48-hour reply window is open, so anything waiting goes now.
    if (fields.FromUserName) await cb.hub(source).pushPending(fields.FromUserName);
    if (!reply) return res.type('text/plain').send('success');
    const xml = textReplyXml(fields.FromUserName, fields.ToUserName, reply.text, at);
    if (fields.Encrypt === undefined) return res.type('application/xml').send(xml);
    // Safe mode: the reply goes back sealed and signed the same way.
    const sealed = (aes as WechatCrypto).encrypt(xml, receiveId);
    const replyNonce = randomBytes(8).toString('hex');
    res.type('application/xml').send(encryptedXml(sealed, wechatSignature(token, timestamp, replyNonce, sealed), timestamp, replyNonce));
  });

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
    const hub = cb.hub(channel);
    if (f.MsgType === 'event') {
      // Events have no MsgId: WeChat's retries are told apart by sender and time.
      if (!(await hub.firstDelivery(`event:${openid}:${f.CreateTime}`))) return null;
      if (f.Event !== 'subscribe') return null;
      const r = await hub.receive({ senderId: openid, messageId: `${channel}:subscribe:${f.CreateTime}`, arrival: true }, 'inline');
      return text([...r.greeting, ...r.replies]);
    }
    const message = inbound(channel, f);
    if (!message) {
      return note(unreadableText());
    }
    try {
      // The MsgId makes WeChat's retries of the same message return the same answer, stored once.
      const r = await hub.receive(message, 'inline');
      return withGreeting(r.greeting, text(r.replies));
    } catch (err) {
      if (err instanceof HubError) return note(refusalText('zh-CN', err));
      throw err;
    }
  }

  /** A callback's message as the hub takes it; null for a kind the hub cannot read. */
  function inbound(channel: Source, f: Record<string, string>): InboundMessage | null {
    const base = { senderId: f.FromUserName, messageId: `${channel}:${f.MsgId ?? f.CreateTime}` };
    switch (f.MsgType) {
      case 'text':
        return f.Content === undefined ? null : { ...base, text: f.Content };
      case 'location':
        return { ...base, location: { latitude: Number(f.Location_X), longitude: Number(f.Location_Y), label: f.Label } };
      case 'link':
        return f.Url ? { ...base, link: { title: f.Title, url: f.Url } } : null;
      default: {
        const media = wechatMedia(f, cb.apiUrl[channel], cb.token(channel));
        return media && { ...base, attachments: [media] };
      }
    }
  }
}
