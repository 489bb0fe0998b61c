import { formatDate, t } from '../../i18n.js';
import { result } from '../state.js';
import { say } from '../prompts.js';
import { is, isNo, isYes } from '../intents.js';
import { commentQuestion, ratingQuestion, reviewOffer, solvedQuestion } from '../follow-up-prompts.js';
import type { CaseSnapshot, DialogueState, FollowUpState, Step, TurnContext, TurnResult, Understanding } from '../types.js';
import { answerReviewRequest } from './review.js';

/** A rating at or below this, or "not solved", is an unsatisfied answer: a review is offered. */
export const POOR_RATING = 2;

/** The follow-up of this resolution: where the petitioner is in it, or its start. */
function current(state: DialogueState, c: CaseSnapshot): FollowUpState {
  const answeredAt = (c.answeredAt as Date).toISOString();
  const f = state.followUp;
  if (f && f.trackingNumber === c.trackingNumber && f.answeredAt === answeredAt) return f;
  return { trackingNumber: c.trackingNumber, answeredAt, stage: 'solved', solved: null, rating: null, retries: 0 };
}

// Typed ways of passing on the rating; the options and the question say "跳过" / "skip".
const SKIP = /跳过|不打分|不想打分|不评分|\bskip\b/i;
// Typed ways of having no suggestion (the option sends "none").
const NO_SUGGESTION = /^(?:没有|没了|无|暂时没有|没什么|没有了|没有意见|没有建议|没意见|没建议|no|none|nothing|no comments?|no suggestions?)[。.!！\s]*$/i;

/** Messages that are about something else, even in the middle of the follow-up. */
function elsewhere(u: Understanding): boolean {
  return Boolean(u.caseQuery) || is(u, 'case.status') || is(u, 'human.request') || is(u, 'petition.new') || is(u, 'goodbye');
}

function yesNo(u: Understanding, cue: boolean | null = null): boolean | null {
  if (u.text === 'yes') return true;
  if (u.text === 'no') return false;
  if (cue !== null) return cue;
  return isYes(u) ? true : isNo(u) ? false : null;
}

const at = (state: DialogueState, f: FollowUpState, over: Partial<FollowUpState>): DialogueState => ({
  ...state,
  followUp: { ...f, retries: 0, ...over },
});

function askedAgain(state: DialogueState, f: FollowUpState, reply: TurnResult['replies'][number]): TurnResult {
  return result({ ...state, followUp: { ...f, retries: f.retries + 1 } }, [reply]);
}

function onSolved(state: DialogueState, f: FollowUpState, u: Understanding): TurnResult | null {
  const l = state.locale;
  const solved = yesNo(u, u.solved);
  if (solved === null) return f.retries < 1 && !u.reviewRequest && !elsewhere(u) ? askedAgain(state, f, solvedQuestion(l, true)) : null;
  const ack = t(l, solved ? 'followup.ack.solved' : 'followup.ack.unsolved');
  // "没解决,只能给1分": the rating given with the answer is not asked for again.
  if (u.rating !== null) return result(at(state, f, { stage: 'comment', solved, rating: u.rating }), [{ ...commentQuestion(l), text: say(ack, commentQuestion(l).text) }]);
  return result(at(state, f, { stage: 'rating', solved }), [ratingQuestion(l, ack)]);
}

function onRating(state: DialogueState, f: FollowUpState, u: Understanding): TurnResult | null {
  const l = state.locale;
  const skip = isNo(u) || SKIP.test(u.text) || f.retries >= 1;
  if (u.rating === null && !skip) return elsewhere(u) || u.reviewRequest ? null : askedAgain(state, f, ratingQuestion(l, undefined, true));
  return result(at(state, f, { stage: 'comment', rating: u.rating }), [commentQuestion(l)]);
}

/** The last answer: the feedback is recorded; satisfied closes the case, unsatisfied is offered a review. */
function onComment(state: DialogueState, f: FollowUpState, u: Understanding, c: CaseSnapshot, ctx: TurnContext): TurnResult {
  const l = state.locale;
  // Only a plain "no", "none" or a courtesy is no suggestion; anything else, however short, is one.
  const courtesy = u.contentless && (['thanks', 'affirm', 'goodbye', 'greeting'] as const).some((name) => is(u, name));
  const none = u.text === 'none' || NO_SUGGESTION.test(u.normalized) || isNo(u) || courtesy || u.normalized.replace(/[\s\p{P}\p{S}]/gu, '').length <= 1;
  const comment = none ? null : u.text;
  const unsatisfied = f.solved === false || (f.rating !== null && f.rating <= POOR_RATING);
  const effects: TurnResult['effects'] = [{ type: 'record_feedback', trackingNumber: f.trackingNumber, solved: f.solved, rating: f.rating, comment, unsatisfied }];
  const thanks = t(l, comment ? 'followup.thanks.comment' : 'followup.thanks', { department: c.departmentLabel[l] });
  if (!unsatisfied) {
    effects.push({ type: 'close_case', trackingNumber: f.trackingNumber });
    return result(at(state, f, { stage: 'done' }), [{ text: say(thanks, t(l, 'followup.closed.now', { trackingNumber: f.trackingNumber })) }], effects);
  }
  if (c.reviewDueAt && ctx.now > c.reviewDueAt) {
    const refused = answerReviewRequest(at(state, f, { stage: 'done' }), c, ctx);
    return result(refused.state, [{ text: say(thanks, refused.replies[0].text) }], effects);
  }
  const offer = reviewOffer(l, formatDate(c.reviewDueAt ?? ctx.now, l, ctx.timeZone));
  return result(at(state, f, { stage: 'review' }), [{ text: thanks }, offer], effects);
}

function onReview(state: DialogueState, f: FollowUpState, u: Understanding, c: CaseSnapshot, ctx: TurnContext): TurnResult | null {
  const l = state.locale;
  const wants = u.reviewRequest ? true : yesNo(u);
  if (wants === null) {
    if (f.retries >= 1 || elsewhere(u)) return null;
    return askedAgain(state, f, reviewOffer(l, formatDate(c.reviewDueAt ?? ctx.now, l, ctx.timeZone), true));
  }
  if (wants) return answerReviewRequest(at(state, f, { stage: 'done' }), c, ctx);
  return result(at(state, f, { stage: 'done' }), [{ text: t(l, 'review.declined', { trackingNumber: f.trackingNumber }) }], [
    { type: 'close_case', trackingNumber: f.trackingNumber },
  ]);
}

/**
 * The follow-up visit (回访) after a case is resolved: was the problem solved, a rating from 1 to 5,
 * any suggestions; then thanks. A satisfied petitioner's case is closed at once; an unsatisfied one
 * is offered a review (复查) while the window for it is open. Runs only while the case service says
 * the case waits for feedback, so an answer that comes after the hub closed it is not taken as one.
 */
export const followUpStep: Step = (state, u, ctx) => {
  const c = ctx.followUp;
  if (!c?.awaitingFeedback || !c.answeredAt) return null;
  const f = current(state, c);
  switch (f.stage) {
    case 'solved':
      return onSolved(state, f, u);
    case 'rating':
      return onRating(state, f, u);
    case 'comment':
      return elsewhere(u) ? null : onComment(state, f, u, c, ctx);
    case 'review':
      return onReview(state, f, u, c, ctx);
    default:
      return null;
  }
};
