import { t } from '../../i18n.js';
import { initialState, result } from '../state.js';
import { askFor } from '../prompts.js';
import { isNo, isYes } from '../intents.js';
import type { DialogueState, Reply, Step, TurnResult } from '../types.js';

/** Something of a petition has been told: leaving would lose it, so it is asked first. */
export function hasDraft(state: DialogueState): boolean {
  return Boolean(state.details.issue);
}

function choice(text: string, options: [string, string][]): Reply {
  return { text, expects: { type: 'choice', options: options.map(([value, label]) => ({ value, label })) } };
}

/** "您是要先不登记了吗?": only a confirmed cancel ends an intake. */
export function askToCancel(state: DialogueState): TurnResult {
  const l = state.locale;
  return result({ ...state, pending: { kind: 'cancel' } }, [
    choice(t(l, 'cancel.confirm'), [
      ['cancel', t(l, 'option.cancel')],
      ['continue', t(l, 'option.keepGoing')],
    ]),
  ]);
}

/** The question that was waiting when the petitioner was asked whether to stop, asked again. */
function resume(state: DialogueState, prefix: string): TurnResult {
  if (state.phase === 'confirm') {
    return result(state, [{ text: prefix }, { text: t(state.locale, 'summary.confirm'), expects: { type: 'confirm', options: [
      { value: 'yes', label: t(state.locale, 'option.yes') },
      { value: 'no', label: t(state.locale, 'option.no') },
    ] } }]);
  }
  const slot = state.asking ?? 'issue';
  // Asking again what was pending is not a new asking of it.
  const asked = askFor({ ...state, asked: { ...state.asked, [slot]: Math.max(0, (state.asked[slot] ?? 1) - 1) } }, slot, prefix);
  return result(asked.state, [asked.reply]);
}

/**
 * The answer to a yes/no question about the conversation itself. Anything that is neither yes nor
 * no drops the question and is handled as any other message (the next step takes it).
 */
export const pendingStep: Step = (state, u) => {
  const p = state.pending;
  if (!p) return null;
  const l = state.locale;
  const cleared: DialogueState = { ...state, pending: null };
  if (p.kind === 'cancel') {
    const stop = u.text === 'cancel' || u.acts.cancel || (isYes(u) && u.text !== 'continue');
    if (stop) {
      const fresh = { ...initialState(l), turn: state.turn, queryFailures: state.queryFailures, shelved: state.shelved };
      return result(fresh, [{ text: t(l, 'cancel.done') }]);
    }
    if (u.text === 'continue' || isNo(u)) return resume(cleared, t(l, 'cancel.kept'));
  }
  return null;
};
