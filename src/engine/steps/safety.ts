import { t } from '../../i18n.js';
import { result } from '../state.js';
import { say } from '../prompts.js';
import { fileCase } from './file-case.js';
import type { Step } from '../types.js';

/**
 * Self-harm, violence or an imminent mass gathering: emergency contacts at once, the duty officer
 * alerted through an emergency case, and no more routine questions in this conversation.
 */
export const emergencyStep: Step = (state, u, ctx) => {
  if (!u.emergency) return null;
  const l = state.locale;
  const kind = u.emergency.kind;
  const alert = t(l, `emergency.${kind}`, { contacts: ctx.emergencyContacts[l] });
  const escalated = { ...state, phase: 'emergency' as const, emergency: kind, asking: null };
  if (state.trackingNumber) {
    return result(escalated, [{ text: alert }], [
      { type: 'add_to_case', trackingNumber: state.trackingNumber, text: u.text },
      { type: 'request_human', trackingNumber: state.trackingNumber },
    ]);
  }
  const withIssue = { ...escalated, details: { ...state.details, issue: state.details.issue ?? u.text } };
  const filed = fileCase(withIssue, ctx);
  const ref = filed.state.trackingNumber as string;
  return result({ ...filed.state, phase: 'emergency' }, [
    { text: say(alert, t(l, 'emergency.filed', { trackingNumber: ref })), caseRef: ref },
  ], filed.effects);
};

/** After an emergency every message goes to the duty officer; the bot only repeats where help is. */
export const emergencyFollowupStep: Step = (state, u, ctx) => {
  const l = state.locale;
  const effects = state.trackingNumber
    ? [{ type: 'add_to_case' as const, trackingNumber: state.trackingNumber, text: u.text }]
    : [];
  return result(state, [{ text: t(l, 'emergency.followup', { contacts: ctx.emergencyContacts[l] }) }], effects);
};
