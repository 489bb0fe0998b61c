import { formatDate, t } from '../../i18n.js';
import { initialState, result } from '../state.js';
import { askFor } from '../prompts.js';
import { is } from '../intents.js';
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
 * Once a case is filed the conversation stays open: the petitioner can ask how it is going, ask for
 * a person, start a new matter, or add information, which goes to the case for the department.
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
      // Contact details are not asked twice, even for a second matter.
      const keep = { contactName: state.details.contactName, contactPhone: state.details.contactPhone };
      // Nor is a follow-up in progress forgotten, or the count of failed status queries reset.
      const fresh = {
        ...initialState(l, keep),
        turn: state.turn,
        declined: state.declined.filter((s) => s.startsWith('contact')),
        followUp: state.followUp,
        queryFailures: state.queryFailures,
      };
      const asked = askFor(fresh, 'issue');
      return result(asked.state, [{ ...asked.reply, text: t(l, 'after.newPetition') }]);
    }
    if (is(u, 'case.add_info') || is(u, 'smalltalk')) {
      return result(state, [{ text: t(l, is(u, 'smalltalk') ? 'smalltalk' : 'ask.issue.more', {}, state.turn) }]);
    }
  }
  // A bare "ok" or "yes" after filing: say where things stand rather than file it as new information.
  if (u.contentless) {
    return result(state, [{ text: ctx.openCase ? statusText(state, ctx.openCase, ctx.timeZone) : t(l, 'greeting.again') }]);
  }
  return result(state, [{ text: t(l, 'after.added', { trackingNumber: ref }) }], [
    { type: 'add_to_case', trackingNumber: ref, text: u.text },
  ]);
};
