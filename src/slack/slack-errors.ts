import { RetryLater } from '../outbox/outbox.js';

interface WebApiError {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: string };
}

/**
 * Turns a Web API failure into what the outbox should do: a 429 waits exactly as long as Slack asked
 * (Retry-After); anything else is retried with backoff, never dropped.
 */
export function retryable(err: unknown): Error {
  const e = err as WebApiError;
  if (e?.code === 'slack_webapi_rate_limited_error') {
    return new RetryLater(Math.max(1, e.retryAfter ?? 1) * 1000, 'Slack rate limit (429)');
  }
  if (e?.code === 'slack_webapi_platform_error') return new Error(`Slack refused: ${e.data?.error ?? 'unknown error'}`);
  if (e?.code === 'slack_webapi_http_error') return new Error(`Slack answered HTTP ${e.statusCode ?? '?'}`);
  return err instanceof Error ? err : new Error(String(err));
}

export function platformError(err: unknown): string | undefined {
  const e = err as WebApiError;
  return e?.code === 'slack_webapi_platform_error' ? e.data?.error : undefined;
}
