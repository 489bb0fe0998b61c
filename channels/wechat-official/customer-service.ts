import type { Db } from '../../src/db/client.js';
import type { Prisma } from '../../generated/sqlite/client.js';
import { RetryLater } from '../../src/outbox/outbox.js';
import type { TokenSource } from './access-token.js';

export const WECHAT_PUSH_JOB = 'wechat-oa.push';

/** errcode 45015: the petitioner has not written within 48 hours; WeChat takes no message until they do. */
const WINDOW_CLOSED = 45015;
const TOKEN_INVALID = new Set([40001, 40014, 42001]);
/** Waiting for the petitioner: the job is pulled forward the moment they write again. */
const UNTIL_NEXT_CONTACT_MS = 7 * 24 * 60 * 60_000;

interface WechatReply {
  errcode?: number;
  errmsg?: string;
}

/** What is still to send: every message for the petitioner not yet delivered, passively or by push. */
export const undelivered = (): Prisma.MessageWhereInput => ({ role: { not: 'petitioner' }, deliveredAt: null });

/**
 * Sends, in order, what a WeChat petitioner has not received yet through the customer-service API:
 * officers' messages and notices, and bot answers that were too slow for a passive reply.
 */
export function wechatPusher(db: Db, apiUrl: string, token: TokenSource) {
  async function post(accessToken: string, openid: string, content: string): Promise<WechatReply> {
    const url = new URL('/cgi-bin/message/custom/send', apiUrl);
    url.searchParams.set('access_token', accessToken);
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ touser: openid, msgtype: 'text', text: { content } }) });
    if (!res.ok) throw new Error(`WeChat answered HTTP ${res.status}`);
    return (await res.json()) as WechatReply;
  }

  async function send(openid: string, content: string): Promise<WechatReply> {
    const used = await token();
    const reply = await post(used, openid, content);
    // Expired, or replaced by a refresh elsewhere: once more with the shared store's newer token.
    if (reply.errcode && TOKEN_INVALID.has(reply.errcode)) return post(await token(used), openid, content);
    return reply;
  }

  return async (conversationId: string): Promise<void> => {
    const conv = await db.conversation.findUnique({ where: { id: conversationId }, include: { petitioner: true } });
    if (!conv) return;
    const pending = await db.message.findMany({ where: { conversationId, ...undelivered() }, orderBy: { seq: 'asc' } });
    for (const m of pending) {
      const reply = await send(conv.petitioner.channelUserId, m.text);
      if (reply.errcode === WINDOW_CLOSED) throw new RetryLater(UNTIL_NEXT_CONTACT_MS, 'reply window closed (45015); waiting for the petitioner to write');
      if (reply.errcode) throw new Error(`WeChat refused: ${reply.errcode} ${reply.errmsg ?? ''}`);
      await db.message.update({ where: { id: m.id }, data: { deliveredAt: new Date() } });
    }
  };
}
