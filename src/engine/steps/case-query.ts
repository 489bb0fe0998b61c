import { t } from '../../i18n.js';
import { result } from '../state.js';
import type { DialogueState, Step } from '../types.js';
import { statusText } from './after-filing.js';

/** Failed status queries allowed per conversation within the window, before it must wait. */
export const QUERY_FAILURE_LIMIT = 5;
export const QUERY_FAILURE_WINDOW_MS = 15 * 60_000;

function recentFailures(state: DialogueState, now: Date): string[] {
  return state.queryFailures.filter((at) => now.getTime() - Date.parse(at) < QUERY_FAILURE_WINDOW_MS);
}

/** Too many failed queries lately: the service does not even look the next one up. */
export function queryThrottled(state: DialogueState, now: Date): boolean {
  return recentFailures(state, now).length >= QUERY_FAILURE_LIMIT;
}

/**
 * "查询 XF-… 验证码 …" from any channel, in any phase but an emergency: the status of a case this
 * petitioner filed, or whose query code they give. Anything else gets one answer, the same whether
 * the number exists, belongs to someone else or the code is wrong, and every such answer counts
 * towards the throttle, so that guessing codes is slow and learns nothing.
 */
export const caseQueryStep: Step = (state, u, ctx) => {
  if (!u.caseQuery) return null;
  const l = state.locale;
  const minutes = QUERY_FAILURE_WINDOW_MS / 60_000;
  if (queryThrottled(state, ctx.now)) return result(state, [{ text: t(l, 'query.throttled', { minutes }) }]);
  if (ctx.queryWaitMinutes) return result(state, [{ text: t(l, 'query.throttled', { minutes: ctx.queryWaitMinutes }) }]);
  if (ctx.lookup) return result(state, [{ text: statusText(state, ctx.lookup, ctx.timeZone) }]);
  const failures = [...recentFailures(state, ctx.now), ctx.now.toISOString()].slice(-QUERY_FAILURE_LIMIT);
  return result({ ...state, queryFailures: failures }, [{ text: t(l, 'query.notFound') }]);
};
