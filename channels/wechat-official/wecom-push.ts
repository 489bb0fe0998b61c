import type { Logger } from '../../src/logger.js';
import { RetryLater } from '../../src/outbox/outbox.js';
import { deliverableText } from '../../src/conversation/messages.js';
import { Unreachable, type Deliverer } from '../../src/channels/contract.js';
import { TokenRefused, type TokenSource } from './access-token.js';
import { splitUtf8 } from './text-chunks.js';
/** WeCom takes at most this many bytes of text in one message (message/send, msgtype text). */
export const WECOM_TEXT_MAX_BYTES = 2048;

/** Expired (42001), invalid (40014) or not the latest (40001): fetch once more and send again. */
const TOKEN_REFUSED = new Set([40001, 40014, 42001]);
/** System busy (-1), over the frequency (45009, 45011) or concurrency (45033) limits. */
const BUSY = new Set([-1, 45009, 45011, 45033]);
const BUSY_RETRY_MS = 60_000;
/** The employee cannot be reached: no longer in the directory, or outside the app's visible range. */
const UNREACHABLE: Record<number, string> = {
  40003: 'invalid UserID',
  40031: 'invalid UserID',
  81013: "recipient not in the directory or outside the app's visible range",
};
/** The deployment's settings are wrong; nothing goes out until an administrator fixes them. */
const MISCONFIGURED: Record<number, string> = {
  40001: 'invalid secret (WECOM_SECRET)',
  40013: 'invalid CorpID (WECOM_CORP_ID)',
  40056: 'invalid agentid (WECOM_AGENT_ID)',
  48002: 'the app may not call message/send',
  60020: "this server's IP address is not among the app's trusted IPs (企业可信IP)",
};
const MISCONFIGURED_RETRY_MS = 10 * 60_000;

interface WecomReply {
  errcode?: number;
  errmsg?: string;
  invaliduser?: string;
  unlicenseduser?: string;
}

/**
 * Sends what a WeCom employee has not received yet, as the app (agentid) through message/send:
 * officers' messages, notices, and bot answers too slow for a passive reply. Logs carry error codes,
 * never the UserID, the text or WeCom's errmsg (which quotes them).
 */
export function wecomDeliverer(logger: Logger, apiUrl: string, agentId: number, token: () => TokenSource): Deliverer {
  async function post(accessToken: string, touser: string, content: string): Promise<WecomReply> {
    const url = new URL('/cgi-bin/message/send', apiUrl);
    url.searchParams.set('access_token', accessToken);
    const body = JSON.stringify({ touser, msgtype: 'text', agentid: agentId, text: { content } });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`WeCom answered HTTP ${res.status}`);
    return (await res.json()) as WecomReply;
  }

  async function send(touser: string, content: string): Promise<void> {
    const tokens = token();
    const used = await tokens();
    let reply = await post(used, touser, content);
    if (reply.errcode && TOKEN_REFUSED.has(reply.errcode)) reply = await post(await tokens(used), touser, content);
    const code = reply.errcode ?? 0;
    // One recipient: WeCom answers 81013 when it is invalid, or ok naming it in invaliduser.
    if (code === 0 && (reply.invaliduser || reply.unlicenseduser)) throw new Unreachable(UNREACHABLE[81013]);
    if (code !== 0) throw refusal(code);
  }

  function refusal(code: number): Error {
    if (BUSY.has(code)) return new RetryLater(BUSY_RETRY_MS, `WeCom is busy or rate-limited (errcode ${code})`);
    if (UNREACHABLE[code]) return new Unreachable(UNREACHABLE[code]);
    const setting = MISCONFIGURED[code];
    if (!setting) return new Error(`WeCom refused the message: errcode ${code}`);
    logger.error({ errcode: code }, `WeCom refuses the hub: ${setting}; pushes wait until it is fixed`);
    return new RetryLater(MISCONFIGURED_RETRY_MS, `WeCom refused: errcode ${code} (${setting})`);
  }

  return {
    async deliver(to, m) {
      try {
        // A retry after a failure between pieces sends the earlier pieces again: WeCom has no idempotency key.
        for (const piece of splitUtf8(deliverableText(m), WECOM_TEXT_MAX_BYTES)) await send(to.senderId, piece);
      } catch (err) {
        if (err instanceof TokenRefused) throw refusal(err.errcode);
        throw err;
      }
    },
  };
}
