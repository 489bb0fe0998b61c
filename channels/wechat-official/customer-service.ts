import { RetryLater } from '../../src/outbox/outbox.js';
import { deliverableText } from '../../src/conversation/messages.js';
import { Unreachable, type Deliverer } from '../../src/channels/contract.js';
import type { TokenSource } from './access-token.js';

/** errcode 45015: the petitioner has not written within 48 hours; WeChat takes no message until they do. */
const WINDOW_CLOSED = 45015;
const TOKEN_INVALID = new Set([40001, 40014, 42001]);
/** Not a follower of this account (40003 invalid openid, 43004 unfollowed): only their coming back helps. */
const NOT_FOLLOWING: Record<number, string> = { 40003: 'invalid openid (40003)', 43004: 'no longer follows the account (43004)' };
/** Waiting for the petitioner: the job is pulled forward the moment they write again. */
const UNTIL_NEXT_CONTACT_MS = 7 * 24 * 60 * 60_000;

interface WechatReply {
  errcode?: number;
  errmsg?: string;
}

/**
 * Sends what a WeChat petitioner has not received yet through the Official Account's
 * customer-service API: officers' messages and notices, and bot answers too slow for a passive reply.
 */
export function officialAccountDeliverer(apiUrl: string, token: () => TokenSource): Deliverer {
  async function post(accessToken: string, openid: string, content: string): Promise<WechatReply> {
    const url = new URL('/cgi-bin/message/custom/send', apiUrl);
    url.searchParams.set('access_token', accessToken);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ touser: openid, msgtype: 'text', text: { content } }),
      signal: AbortSignal.timeout(15_000),
    });
    if (!res.ok) throw new Error(`WeChat answered HTTP ${res.status}`);
    return (await res.json()) as WechatReply;
  }

  return {
    async deliver(to, m) {
      const tokens = token();
      const used = await tokens();
      const content = deliverableText(m);
      let reply = await post(used, to.senderId, content);
      // Expired, or replaced by a refresh elsewhere: once more with the shared store's newer token.
      if (reply.errcode && TOKEN_INVALID.has(reply.errcode)) reply = await post(await tokens(used), to.senderId, content);
      if (reply.errcode === WINDOW_CLOSED) throw new RetryLater(UNTIL_NEXT_CONTACT_MS, 'reply window closed (45015); waiting for the petitioner to write');
      if (reply.errcode && NOT_FOLLOWING[reply.errcode]) throw new Unreachable(NOT_FOLLOWING[reply.errcode]);
      if (reply.errcode) throw new Error(`WeChat refused: ${reply.errcode} ${reply.errmsg ?? ''}`);
    },
  };
}
