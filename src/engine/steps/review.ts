import { formatDate, formatDays, t } from '../../i18n.js';
import { result } from '../state.js';
import type { CaseSnapshot, DialogueState, Step, TurnContext, TurnResult } from '../types.js';

const REVIEWABLE = ['resolved', 'rejected'];

/**
 * A review (复查) request for an answered case: granted within the window (the case is reopened with
 * a new answer period), otherwise refused with the reason — the window has passed, the case is
 * closed, or there is no answer yet to review.
 */
export function answerReviewRequest(state: DialogueState, c: CaseSnapshot, ctx: TurnContext): TurnResult {
  const l = state.locale;
  const vars = {
    trackingNumber: c.trackingNumber,
    window: formatDays(ctx.reviewWindowDays, ctx.dayKind, l),
    answeredAt: c.answeredAt ? formatDate(c.answeredAt, l, ctx.timeZone) : '',
  };
  const late = Boolean(c.answeredAt && c.reviewDueAt && ctx.now > c.reviewDueAt);
  if (c.status === 'closed' || (late && REVIEWABLE.includes(c.status))) {
    return result(state, [{ text: t(l, late ? 'review.refused.late' : 'review.refused.closed', vars) }]);
  }
  if (!REVIEWABLE.includes(c.status) || !c.answeredAt) return result(state, [{ text: t(l, 'review.notYet', vars) }]);
  const resolutionDue = formatDate(ctx.dueDates(ctx.now).resolutionDueAt, l, ctx.timeZone);
  return result(state, [{ text: t(l, 'review.requested', { ...vars, department: c.departmentLabel[l], resolutionDue }) }], [
    { type: 'request_review', trackingNumber: c.trackingNumber },
  ]);
}

/** "我要申请复查" at any time after filing, outside the follow-up questions. */
export const reviewStep: Step = (state, u, ctx) => {
  if (!u.reviewRequest) return null;
  const c = ctx.followUp ?? ctx.openCase;
  if (!c) return null;
  const answered = answerReviewRequest(state, c, ctx);
  const f = state.followUp;
  // A review asked for in the middle of the follow-up ends it.
  if (f && f.trackingNumber === c.trackingNumber && answered.effects.length) return { ...answered, state: { ...answered.state, followUp: { ...f, stage: 'done' } } };
  return answered;
};
