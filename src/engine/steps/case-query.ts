import { formatDate, t } from '../../i18n.js';
import { result } from '../state.js';
import type { CaseSnapshot, DialogueState, Step, TurnContext, TurnResult } from '../types.js';
import { FINISHED_STATUSES, SLOTS } from '../../domain.js';
import { slotLabel } from '../prompts.js';
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
  if (ctx.lookup && u.caseQuery.asks !== 'status') return dataRequestAnswer(state, u.caseQuery.asks, ctx.lookup, ctx);
  if (ctx.lookup) return result(state, [{ text: statusText(state, ctx.lookup, ctx.timeZone) }]);
  const failures = [...recentFailures(state, ctx.now), ctx.now.toISOString()].slice(-QUERY_FAILURE_LIMIT);
  return result({ ...state, queryFailures: failures }, [{ text: t(l, 'query.notFound') }]);
};

/**
 * The petitioner's rights over their personal data, asked for with the case's number and code (or on
 * their own case): a copy of what the office holds, or its deletion. Each request is recorded on the
 * case; a deletion is done at once for a finished case, else when the case is finished.
 */
function dataRequestAnswer(state: DialogueState, kind: 'copy' | 'erase', c: CaseSnapshot, ctx: TurnContext): TurnResult {
  const l = state.locale;
  const ref = c.trackingNumber;
  const effects: TurnResult['effects'] = [{ type: 'data_request', trackingNumber: ref, kind }];
  if (kind === 'erase') return result(state, [{ text: t(l, FINISHED_STATUSES.includes(c.status) ? 'data.erased' : 'data.erase.later', { trackingNumber: ref }) }], effects);
  const held = ctx.heldRecord;
  if (!held || held.anonymised) return result(state, [{ text: t(l, 'data.copy.none', { trackingNumber: ref }) }], effects);
  const colon = l === 'zh-CN' ? '：' : ': ';
  const lines = SLOTS.filter((slot) => held.details[slot]).map((slot) => `${slotLabel(state, slot)}${colon}${held.details[slot]}`);
  const header = t(l, 'data.copy.header', { trackingNumber: ref, date: formatDate(held.filedAt, l, ctx.timeZone), category: held.categoryLabel[l] });
  return result(state, [{ text: [header, ...lines, t(l, 'data.copy.footer')].join('\n') }], effects);
}
