import type { Db } from '../../src/db/client.js';
import type { Prisma } from '../../generated/sqlite/client.js';
import { RetryLater } from '../../src/outbox/outbox.js';

export const WECHAT_PUSH_JOB = 'wechat-oa.push';

/** errcode 45015: the petitioner has not written within 48 hours; WeChat takes no message until they do. */
const WINDOW_CLOSED = 45015;
const TOKEN_INVALID = new Set([40001, 40014, 42001]);
/** Waiting for the petitioner: the job is pulled forward the moment they write again. */
const UNTIL_NEXT_CONTACT_MS = 7 * 24 * 60 * 60_000;

interface WechatReply {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

/** The WeChat API's access token, fetched when needed, kept until shortly before it expires. */
export class AccessToken {
  private cached: { token: string; until: number } | null = null;

  constructor(
    private readonly apiUrl: string,
    private readonly appId: string,
    private readonly secret: string,
  ) {}

  async get(): Promise<string> {
    if (this.cached && Date.now() < this.cached.until) return this.cached.token;
    const url = new URL('/cgi-bin/token', this.apiUrl);
    url.search = new URLSearchParams({ grant_type: 'client_credential', appid: this.appId, secret: this.secret }).toString();
    const reply = (await (await fetch(url)).json()) as WechatReply;
    if (!reply.access_token) throw new Error(`WeChat token refused: ${reply.errcode} ${reply.errmsg ?? ''}`);
    this.cached = { token: reply.access_token, until: Date.now() + Math.max(60, (reply.expires_in ?? 7200) - 300) * 1000 };
    return reply.access_token;
  }

  invalidate(): void {
    this.cached = null;
  }
}

/** What is still to send: every message for the petitioner not yet delivered, passively or by push. */
export const undelivered = (): Prisma.MessageWhereInput => ({ role: { not: 'petitioner' }, deliveredAt: null });

/**
 * Sends, in order, what a WeChat petitioner has not received yet through the customer-service API:
 * officers' messages and notices, and bot answers that were too slow for a passive reply.
 */
export function wechatPusher(db: Db, apiUrl: string, token: AccessToken) {
  async function send(openid: string, content: string, retried = false): Promise<WechatReply> {
    const url = new URL('/cgi-bin/message/custom/send', apiUrl);
    url.searchParams.set('access_token', await token.get());
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ touser: openid, msgtype: 'text', text: { content } }) });
    if (!res.ok) throw new Error(`WeChat answered HTTP ${res.status}`);
    const reply = (await res.json()) as WechatReply;
    if (reply.errcode && TOKEN_INVALID.has(reply.errcode) && !retried) {
      token.invalidate();
      return send(openid, content, true);
    }
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
