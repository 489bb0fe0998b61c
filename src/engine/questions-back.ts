// Questions the petitioner asks back — how long it takes, which department, whether it is
// confidential, what happens next, whether photos can be sent, whether a person can take over — are
// answered in their language before the intake goes on. One the bot cannot answer is noted for the
// officers and the petitioner is told so.
import { formatDays, t } from '../i18n.js';
import type { QuestionTopic } from '../nlu/reply-acts.js';
import { say } from './prompts.js';
import type { DialogueState, Effect, TurnContext, Understanding } from './types.js';

export interface Answered {
  state: DialogueState;
  /** The answers, in the order asked; null when the message asked nothing. */
  text: string | null;
  effects: Effect[];
}

function periods(state: DialogueState, ctx: TurnContext) {
  return {
    acceptancePeriod: formatDays(ctx.acceptanceDays, ctx.dayKind, state.locale),
    resolutionPeriod: formatDays(ctx.resolutionDays, ctx.dayKind, state.locale),
    office: ctx.officeName[state.locale],
  };
}

/** Which department the petition is (or would be) with: the case's once filed, the routing's guess before. */
function departmentOf(state: DialogueState, ctx: TurnContext): string | null {
  if (ctx.openCase) return ctx.openCase.departmentLabel[state.locale];
  if (!state.details.issue) return null;
  const routed = ctx.route(state.details);
  return routed.needsTriage ? null : routed.departmentLabel[state.locale];
}

function answer(topic: QuestionTopic, state: DialogueState, ctx: TurnContext): string {
  const l = state.locale;
  const vars = periods(state, ctx);
  switch (topic) {
    case 'department': {
      const department = departmentOf(state, ctx);
      return department ? t(l, 'faq.department.known', { ...vars, department }) : t(l, 'faq.department', vars);
    }
    case 'photos':
      return t(l, `faq.photos.${ctx.attachments === 'any' ? 'yes' : ctx.attachments === 'photos' ? 'only' : 'no'}`, vars);
    case 'duration':
      return t(l, state.trackingNumber ? 'faq.duration.filed' : 'faq.duration', vars);
    default:
      return t(l, `faq.${topic}`, vars);
  }
}

/** Answers every question the message asks; a wish for a person also alerts one (once). */
export function answerQuestionsBack(state: DialogueState, u: Understanding, ctx: TurnContext): Answered {
  const topics = u.acts.questions;
  if (!topics.length) return { state, text: null, effects: [] };
  const texts = topics.map((topic) => answer(topic, state, ctx));
  let next = state;
  const effects: Effect[] = [];
  if (topics.includes('other') && u.acts.questionText) {
    next = { ...next, openQuestions: [...next.openQuestions, u.acts.questionText].slice(-10) };
  }
  if (topics.includes('human') && !state.humanRequested) {
    next = { ...next, humanRequested: true };
    effects.push({ type: 'request_human', trackingNumber: state.trackingNumber });
  }
  return { state: next, text: say(...texts), effects };
}
