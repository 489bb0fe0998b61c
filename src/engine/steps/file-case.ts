import type { Urgency } from '../../domain.js';
import { caseSummary } from '../prompts.js';
import type { DialogueState, Effect, TurnContext } from '../types.js';

/** Strong distress or anger during intake marks a case for quicker attention. */
const HIGH_URGENCY_DISTRESS = 0.7;

/** Turns the collected details into a file_case effect; the case service stores it in the same transaction. */
/**
 * @param confirmed the petitioner said yes to the summary; a case filed without that (the
 *   conversation never settled) says so to the officers, who check the details with them.
 */
export function fileCase(state: DialogueState, ctx: TurnContext, confirmed = true): { state: DialogueState; effects: Effect[] } {
  const trackingNumber = ctx.newTrackingNumber();
  // What the petitioner's account says of the danger (a gas smell, an operation that cannot wait),
  // raised by what the conversation showed: an emergency, or strong distress.
  const told = ctx.urgency(state.details);
  const urgency: Urgency = state.emergency || told === 'emergency'
    ? 'emergency'
    : state.distress >= HIGH_URGENCY_DISTRESS || told === 'high'
      ? 'high'
      : 'normal';
  const due = ctx.dueDates(ctx.now);
  const effect: Effect = {
    type: 'file_case',
    trackingNumber,
    details: state.details,
    summary: caseSummary(state, { confirmed }),
    urgency,
    routing: ctx.route(state.details),
    emergency: state.emergency,
    humanRequested: state.humanRequested,
    ...due,
    queryCode: ctx.newQueryCode(),
  };
  return {
    state: { ...state, phase: 'filed', asking: null, returnToConfirm: false, trackingNumber, pending: null, openQuestions: [] },
    effects: [effect],
  };
}
