// After filing, a grievance told in full may be a new matter or more about the one filed. A new
// one is filed as its own case, with its own clock; an addition goes to the case; when it is not
// clear which, the petitioner is asked ("这是一件新的事情吗?").
import type { Details } from '../../domain.js';
import { t } from '../../i18n.js';
import { SAME_MATTER } from '../../nlu/text-similarity.js';
import { initialState, result } from '../state.js';
import { askNext } from './intake.js';
import type { DialogueState, Reply, TurnContext, TurnResult, Understanding } from '../types.js';

/** A story long enough to be a matter of its own, not a line added to one ("我又找到一份工资条"). */
export function toldAMatter(u: Understanding): boolean {
  const story = u.acts.story ?? '';
  const han = story.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const words = story.match(/[A-Za-z]+/g)?.length ?? 0;
  return !u.contentless && han + words * 2 >= 20;
}

/** What the message tells as a draft of a new intake: the story and every detail found in it. */
export function draftOf(u: Understanding): Details {
  return { ...u.details, issue: u.acts.story ?? u.text };
}

/**
 * New, the same, or not clear: the same when it reads like the filed case (same category, similar
 * words); new when it is confidently about something of another kind.
 */
export function judgeMatter(state: DialogueState, u: Understanding, ctx: TurnContext): 'new' | 'same' | 'unsure' {
  const story = u.acts.story ?? u.text;
  const filed = ctx.petitionerCases.find((c) => c.trackingNumber === state.trackingNumber);
  // The case is closed: anything told in full now is a new matter.
  if (!filed) return ctx.openCase ? 'unsure' : 'new';
  if (ctx.similarity(story, filed.issue, filed.category) >= SAME_MATTER) return 'same';
  const routed = ctx.route({ issue: story });
  return !routed.needsTriage && routed.category !== filed.category ? 'new' : 'unsure';
}

/** A fresh intake after a filed case: contact details, the follow-up under way and the query throttle are kept. */
export function freshIntake(state: DialogueState, draft: Details = {}): DialogueState {
  const keep: Details = { contactName: state.details.contactName, contactPhone: state.details.contactPhone, ...draft };
  return {
    ...initialState(state.locale, keep),
    turn: state.turn,
    declined: state.declined.filter((s) => s.startsWith('contact')),
    followUp: state.followUp,
    queryFailures: state.queryFailures,
    lastMessageAt: state.lastMessageAt,
  };
}

/** Filing the new matter: its story is taken, and what is still missing asked for. */
export function startNewMatter(state: DialogueState, draft: Details, ctx: TurnContext): TurnResult {
  return askNext({ ...freshIntake(state, draft), storyAsks: 1 }, ctx, t(state.locale, 'matter.new'), []);
}

export function askWhichMatter(state: DialogueState, u: Understanding): TurnResult {
  const l = state.locale;
  const ask: Reply = {
    text: t(l, 'matter.ask', { trackingNumber: state.trackingNumber ?? '' }),
    expects: {
      type: 'choice',
      options: [
        { value: 'new', label: t(l, 'option.matter.new') },
        { value: 'same', label: t(l, 'option.matter.same') },
      ],
    },
  };
  return result({ ...state, pending: { kind: 'new_matter', text: u.text, draft: draftOf(u) } }, [ask]);
}
