import { RetryLater, Undeliverable } from '../outbox/outbox.js';

/**
 * Slack's answers that no retry can change until someone fixes the setup: the channel is gone or
 * archived, the bot is not in it, the token or its scopes are wrong. The delivery becomes a dead
 * letter at once, for an administrator to retry (after fixing) or drop.
 */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'restricted_action',
  'user_not_found',
  'cannot_dm_bot',
]);

interface WebApiError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
}

/**
 * Turns a Web API failure into what the outbox should do: a 429 waits exactly as long as Slack asked
 * (Retry-After); a permanent refusal becomes a dead letter at once; anything else is retried with
 * backoff (a bounded number of times, then it too is a dead letter), never dropped.
 */
export function retryable(err: unknown): Error {
  const e = err as WebApiError;
  if (e?.code === 'slack_webapi_rate_limited_error') {
    return new RetryLater(Math.max(1, e.retryAfter ?? 1) * 1000, 'Slack rate limit (429)');
  }
  if (e?.code === 'slack_webapi_platform_error') {
    const code = e.data?.error ?? 'unknown error';
    return PERMANENT.has(code) ? new Undeliverable(`Slack refused: ${code}`) : new Error(`Slack refused: ${code}`);
  }
  if (e?.code === 'slack_webapi_http_error') return new Error(`Slack answered HTTP ${e.statusCode ?? '?'}`);
  return err instanceof Error ? err : new Error(String(err));
}

export function platformError(err: unknown): string | undefined {
  const e = err as WebApiError;
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}
