// After filing, a grievance told in full may be a new matter or more about the one filed. A new
// one is filed as its own case, with its own clock; an addition goes to the case; when it is not
// clear which, the petitioner is asked ("这是一件新的事情吗?").
import type { Details } from '../../domain.js';
import { t } from '../../i18n.js';
import { SAME_MATTER } from '../../nlu/text-similarity.js';
import { initialState, result } from '../state.js';
import { askNext } from './intake.js';
import { is } from '../intents.js';
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
 * New, the same, or not clear. The same when the petitioner says so ("补充一下"), when the department
 * is waiting for their information, or when it reads like the filed case; new when it is confidently
 * about something of another kind; when the signs disagree, the petitioner is asked.
 */
export function judgeMatter(state: DialogueState, u: Understanding, ctx: TurnContext): 'new' | 'same' | 'unsure' {
  const story = u.acts.story ?? u.text;
  const filed = ctx.petitionerCases.find((c) => c.trackingNumber === state.trackingNumber);
  // The case is closed: anything told in full now is a new matter.
  if (!filed) return ctx.openCase ? 'unsure' : 'new';
  // The department asked them for information: what they write now is the answer.
  if (ctx.openCase?.trackingNumber === filed.trackingNumber && ctx.openCase.status === 'awaiting_petitioner') return 'same';
  // "补充一下：…", "to add to my complaint": they say themselves it is more of the same;
  // "还有一件事", "another problem": something else, new when it reads as another kind of matter.
  if (ADDING.test(story.trim())) return 'same';
  if (ANOTHER.test(story.trim())) return routedElsewhere(story, filed.category, ctx) ? 'new' : 'unsure';
  if (ctx.similarity(story, filed.issue, filed.category) >= SAME_MATTER) return 'same';
  const elsewhere = routedElsewhere(story, filed.category, ctx);
  // Read as adding information, yet about another kind of matter: the petitioner decides.
  if (is(u, 'case.add_info')) return elsewhere ? 'unsure' : 'same';
  return elsewhere ? 'new' : 'unsure';
}

/** Confidently about something of another kind than the filed case. */
function routedElsewhere(story: string, category: string, ctx: TurnContext): boolean {
  const routed = ctx.route({ issue: story });
  return !routed.needsTriage && routed.category !== category;
}

/** Words that open an addition to what was already told. */
const ADDING =
  /^(?:(?:我|再|还|另外|我再|我想|我要|我还要|我还想|想|要)?补充|追加|更正一下|(?:i'?d like to |i want to |just )?(?:to )?add(?:ing)? (?:to|something to) (?:my|the|this) (?:case|complaint|petition|report)|(?:an? )?update (?:on|to) (?:my|the) (?:case|complaint|petition)|further to my)/i;
/** Words that open another matter ("还有一件事", "another problem"). */
const ANOTHER = /^(?:还有|另外还有|另外|再)(?:一|1)?(?:件|个)(?:事|问题)|^(?:i have )?another (?:problem|issue|matter|complaint)|^(?:also|and) (?:a|another) (?:separate|different) /i;

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
