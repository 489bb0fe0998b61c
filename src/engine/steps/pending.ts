import { t } from '../../i18n.js';
import { initialState, MAX_ASKS, result } from '../state.js';
import { askFor, summaryReplies } from '../prompts.js';
import { isNo, isYes } from '../intents.js';
import { askNext } from './intake.js';
import { startNewMatter } from './new-matter.js';
import type { DialogueState, Step, TurnContext, TurnResult } from '../types.js';

/**
 * Going on after "continue": the question that was waiting is asked again, and counts as asked,
 * so that stopping and going on cannot repeat it for ever.
 */
function resume(state: DialogueState, ctx: TurnContext): TurnResult {
  const prefix = t(state.locale, 'cancel.kept');
  if (state.phase === 'confirm') {
    const again = { ...state, misunderstood: state.misunderstood + 1 };
    return result(again, [{ text: prefix }, { text: t(state.locale, 'summary.confirm'), expects: summaryReplies(state)[1]?.expects }]);
  }
  const slot = state.asking;
  if (slot && slot !== 'issue' && (state.asked[slot] ?? 0) < MAX_ASKS) {
    const asked = askFor(state, slot, prefix);
    return result(asked.state, [asked.reply]);
  }
  return askNext(slot && slot !== 'issue' ? { ...state, declined: [...state.declined, slot] } : state, ctx, prefix, []);
}

/**
 * The answer to a yes/no question about the conversation itself. Anything that is neither yes nor
 * no drops the question and is handled as any other message (the next step takes it).
 */
export const pendingStep: Step = (state, u, ctx) => {
  const p = state.pending;
  if (!p) return null;
  const l = state.locale;
  const cleared: DialogueState = { ...state, pending: null };
  if (p.kind === 'cancel') {
    const stop = u.text === 'cancel' || u.acts.cancel || (isYes(u) && u.text !== 'continue');
    if (stop) {
      const fresh = { ...initialState(l), turn: state.turn, queryFailures: state.queryFailures };
      return result(fresh, [{ text: t(l, 'cancel.done') }]);
    }
    if (u.text === 'continue' || isNo(u)) return resume(cleared, ctx);
  }
  if (p.kind === 'new_matter') {
    if (u.text === 'new' || (isYes(u) && u.text !== 'same')) return startNewMatter(cleared, p.draft, ctx);
    const ref = state.trackingNumber;
    if ((u.text === 'same' || isNo(u)) && ref) {
      return result(cleared, [{ text: t(l, 'after.added', { trackingNumber: ref }) }], [{ type: 'add_to_case', trackingNumber: ref, text: p.text }]);
    }
  }
  return null;
};
