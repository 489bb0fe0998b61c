import type { Details, Slot } from '../../domain.js';
import { t } from '../../i18n.js';
import { mergeNew, nextMissingSlot, result } from '../state.js';
import { askFor, say, summaryReplies } from '../prompts.js';
import { abstain } from './social.js';
import type { DialogueState, Step, Understanding } from '../types.js';

/** Feelings are acknowledged at most once every few turns: empathy, not a refrain. */
const EMPATHY_EVERY = 3;

function empathy(state: DialogueState, u: Understanding): { state: DialogueState; text: string | null } {
  if (!u.affect.distressed && !u.affect.angry) return { state, text: null };
  if (state.turn - state.lastEmpathyTurn < EMPATHY_EVERY) return { state, text: null };
  const key = u.affect.distressed ? 'ack.distressed' : 'ack.angry';
  return { state: { ...state, lastEmpathyTurn: state.turn }, text: t(state.locale, key, {}, state.turn) };
}

/** What this message adds: the answer to the question asked, and every other detail found in it. */
function gather(state: DialogueState, u: Understanding): { details: Details; answered: boolean; declined: Slot | null } {
  const slot = state.asking;
  let details = state.details;
  let answered = false;
  if (slot && u.decline) return { details: mergeNew(details, u.details), answered: false, declined: slot };
  if (slot === 'issue' || (!details.issue && !u.contentless)) {
    // The story itself: a long first message, or more of it when asked.
    if (!u.contentless) {
      const more = details.issue && slot === 'issue' && !state.returnToConfirm;
      details = { ...details, issue: more ? `${details.issue}\n${u.text}` : slot === 'issue' ? u.text : (details.issue ?? u.text) };
      answered = true;
    }
  } else if (slot && u.slotAnswer) {
    // An answer to the question just asked replaces what was there: it may be a correction.
    details = { ...details, [slot]: u.slotAnswer };
    answered = true;
  }
  const found = mergeNew(details, u.details);
  return { details: found, answered: answered || Object.keys(found).length > Object.keys(details).length, declined: null };
}

/**
 * The heart of intake: takes what the message gives, acknowledges feelings, and asks one open
 * question for the next missing detail, or reads back the summary once nothing is missing.
 */
export const collectStep: Step = (state, u) => {
  const l = state.locale;
  const g = gather(state, u);
  let next: DialogueState = { ...state, details: g.details, misunderstood: 0 };
  let ack: string | null = null;
  if (g.declined) {
    next = { ...next, declined: [...next.declined, g.declined] };
    ack = t(l, 'ack.declined', {}, state.turn);
  } else if (!g.answered) {
    if (state.asking && (state.asked[state.asking] ?? 0) < 2) {
      const again = askFor(next, state.asking);
      return result(again.state, [again.reply]);
    }
    if (!state.asking || state.asking === 'issue') return abstain(state);
    // Asked twice without an answer: respect it and move on.
    next = { ...next, declined: [...next.declined, state.asking] };
  } else if (state.returnToConfirm) {
    ack = t(l, 'correct.applied');
  } else if (state.asking && state.asking !== 'issue') {
    ack = t(l, 'ack.got', {}, state.turn);
  }
  const feel = empathy(next, u);
  next = feel.state;
  const prefix = say(feel.text, ack);
  const slot = next.returnToConfirm ? null : nextMissingSlot(next);
  if (!slot) {
    const confirming = { ...next, phase: 'confirm' as const, asking: null, returnToConfirm: false };
    return result(confirming, summaryReplies(confirming, prefix));
  }
  const asked = askFor(next, slot, prefix);
  return result(asked.state, [asked.reply]);
};
