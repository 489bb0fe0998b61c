/**
 * What stays the same when WeChat retries a callback: the fields WeChat says to deduplicate by (MsgId;
 * for events, which have none, sender and CreateTime), with the type and, for text, the words.
 * Metadata beyond these is left out so a retry never fails to match.
 *
 * Why a nonce is bound to a message rather than simply used once: WeChat retries a slow callback with
 * the same timestamp, nonce and signature, and an error to a retry makes the follower see
 * "该公众号暂时无法提供服务". So a nonce is claimed for the first message it carried (ChannelHub.claimOnce);
 * that message again is a retry and goes on to the MsgId / event deduplication, which answers it as
 * before, while any other message under it is a replay. An identical replay gains nothing: it is
 * deduplicated like a retry (and in safe mode answered sealed).
 */
export function retryIdentity(f: Record<string, string>): string {
  return JSON.stringify([f.FromUserName, f.ToUserName, f.MsgType, f.MsgId, f.CreateTime, f.Event, f.Content].map((v) => v ?? ''));
}
