import { formatDate, t } from '../../i18n.js';
import { result } from '../state.js';
import { askFor, say } from '../prompts.js';
import { is } from '../intents.js';
import { answerQuestionsBack } from '../questions-back.js';
import { askWhichMatter, draftOf, freshIntake, judgeMatter, startNewMatter, toldAMatter } from './new-matter.js';
import type { CaseSnapshot, DialogueState, Step } from '../types.js';

export function statusText(state: DialogueState, c: CaseSnapshot, timeZone: string): string {
  const l = state.locale;
  const dates = { acceptanceDue: formatDate(c.acceptanceDueAt, l, timeZone), resolutionDue: formatDate(c.resolutionDueAt, l, timeZone) };
  return t(l, 'after.status', {
    trackingNumber: c.trackingNumber,
    status: t(l, `status.${c.status}`),
    department: c.departmentLabel[l],
    next: t(l, `next.${c.status}`, dates),
  });
}

/**
 * Once a case is filed the conversation stays open: the petitioner can ask how it is going or
 * anything else, ask for a person, add information (which goes to the case for the department), or
 * tell a new matter, which is filed as a case of its own.
 */
export const afterFilingStep: Step = (state, u, ctx) => {
  const l = state.locale;
  const ref = state.trackingNumber as string;
  if (is(u, 'case.status') && ctx.openCase) return result(state, [{ text: statusText(state, ctx.openCase, ctx.timeZone) }]);
  if (u.contentless) {
    if (is(u, 'thanks')) return result(state, [{ text: t(l, 'thanks', {}, state.turn) }]);
    if (is(u, 'goodbye')) return result(state, [{ text: t(l, 'goodbye') }]);
    if (is(u, 'greeting')) return result(state, [{ text: t(l, 'greeting.again') }]);
    if (is(u, 'human.request')) {
      return result({ ...state, humanRequested: true }, [{ text: t(l, 'human.requested.filed', { trackingNumber: ref }) }], [
        { type: 'request_human', trackingNumber: ref },
      ]);
    }
    if (is(u, 'petition.new')) {
      const asked = askFor(freshIntake(state), 'issue');
      return result(asked.state, [{ ...asked.reply, text: t(l, 'after.newPetition') }]);
    }
    if (is(u, 'case.add_info') || is(u, 'smalltalk')) {
      return result(state, [{ text: t(l, is(u, 'smalltalk') ? 'smalltalk' : 'ask.issue.more', {}, state.turn) }]);
    }
    // A bare "ok" or "yes" after filing: say where things stand rather than file it as new information.
    return result(state, [{ text: ctx.openCase ? statusText(state, ctx.openCase, ctx.timeZone) : t(l, 'greeting.again') }]);
  }
  // Questions back are answered; a message that is nothing but questions adds nothing to the case.
  const back = answerQuestionsBack(state, u, ctx);
  if (back.text && !u.acts.story) return result(back.state, [{ text: back.text }], back.effects);
  if (toldAMatter(u)) {
    const matter = judgeMatter(state, u, ctx);
    if (matter === 'new') return startNewMatter(back.state, draftOf(u), ctx);
    if (matter === 'unsure') return askWhichMatter(back.state, u);
  }
  return result(back.state, [{ text: say(back.text, t(l, 'after.added', { trackingNumber: ref })) }], [
    ...back.effects,
    { type: 'add_to_case', trackingNumber: ref, text: u.text },
  ]);
};
