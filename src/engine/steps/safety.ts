import type { Details, Slot } from '../../domain.js';
import { t } from '../../i18n.js';
import { result } from '../state.js';
import { say } from '../prompts.js';
import { fileCase } from './file-case.js';
import type { DialogueState, Effect, Reply, Step, TurnContext } from '../types.js';

/** What the duty officer needs to reach someone in danger, asked for once each, in this order. */
const REACH: readonly Slot[] = ['contactPhone', 'location'];

/**
 * The bot says that a person was alerted only when one was paged; otherwise the same care, the
 * numbers, and that what is said is recorded on the case.
 */
const paged = (ctx: TurnContext, key: string) => (ctx.dutyOnCall ? key : `${key}.unattended`);

function nextToAsk(state: DialogueState): Slot | null {
  return REACH.find((slot) => !state.details[slot] && (state.asked[slot] ?? 0) === 0) ?? null;
}

/** "Where can they reach you": gently, once, and only what is not known yet. */
function askToReach(state: DialogueState, prefix: string, ctx: TurnContext): { state: DialogueState; reply: Reply } | null {
  const slot = nextToAsk(state);
  if (!slot) return null;
  return {
    state: { ...state, asking: slot, asked: { ...state.asked, [slot]: 1 } },
    reply: { text: say(prefix, t(state.locale, paged(ctx, `emergency.ask.${slot}`))), expects: { type: 'text', slot } },
  };
}

function reference(state: DialogueState): Reply {
  const ref = state.trackingNumber as string;
  return { text: t(state.locale, 'emergency.filed', { trackingNumber: ref }), caseRef: ref };
}

/** Asks for what is missing to reach them, or, once asked, gives the case's reference after `prefix`. */
function askOrRefer(state: DialogueState, prefix: string, ctx: TurnContext, effects: Effect[]) {
  const ask = askToReach(state, prefix, ctx);
  if (ask) return result(ask.state, [ask.reply], effects);
  return result(state, [{ ...reference(state), text: say(prefix, reference(state).text) }], effects);
}

/**
 * Self-harm, violence, an imminent mass gathering or a life in danger: emergency contacts at once,
 * an emergency case for the duty officer, and no routine questions — only, gently and once, a
 * number to call back and where they are, before the case's reference.
 */
export const emergencyStep: Step = (state, u, ctx) => {
  if (!u.emergency) return null;
  const l = state.locale;
  const kind = u.emergency.kind;
  const alert = say(t(l, `emergency.${kind}`, { contacts: ctx.emergencyContacts[l] }), ctx.dutyOnCall && t(l, 'emergency.paged'));
  const escalated = { ...state, phase: 'emergency' as const, emergency: kind, asking: null, pending: null };
  const told = { ...u.details, ...state.details };
  if (state.trackingNumber) {
    // Already filed: that case becomes the emergency, and what they said is added to it.
    const open = { ...escalated, details: told, asked: {} };
    return askOrRefer(open, alert, ctx, [
      { type: 'add_to_case', trackingNumber: state.trackingNumber, text: u.text },
      { type: 'escalate_emergency', trackingNumber: state.trackingNumber, kind },
    ]);
  }
  const withIssue = { ...escalated, details: { ...told, issue: state.details.issue ? `${state.details.issue}\n${u.text}` : u.text } };
  const filed = fileCase(withIssue, ctx);
  return askOrRefer({ ...filed.state, phase: 'emergency', asked: {} }, alert, ctx, filed.effects);
};

/** What the reply to "where can they reach you" gives: the answer to it, and anything else told. */
function reached(state: DialogueState, u: Parameters<Step>[1]): Details {
  const found: Details = {};
  const asking = state.asking;
  if (asking && u.slotAnswer) found[asking] = u.slotAnswer;
  for (const slot of ['contactPhone', 'location', 'contactName'] as const) {
    if (!found[slot] && u.details[slot] && !state.details[slot]) found[slot] = u.details[slot];
  }
  return found;
}

/**
 * After an emergency every message goes to the case (and the duty officer). The number and place
 * asked for are added to the case; once asked, the reference is given, then the bot only repeats
 * where help is.
 */
export const emergencyFollowupStep: Step = (state, u, ctx: TurnContext) => {
  const l = state.locale;
  const ref = state.trackingNumber;
  const effects: Effect[] = ref ? [{ type: 'add_to_case', trackingNumber: ref, text: u.text }] : [];
  if (state.asking && ref) {
    const got = reached(state, u);
    const next: DialogueState = { ...state, details: { ...state.details, ...got }, asking: null };
    if (Object.keys(got).length) effects.push({ type: 'complete_details', trackingNumber: ref, details: got });
    const thanks = t(l, paged(ctx, Object.keys(got).length ? 'emergency.got' : 'emergency.noted'));
    return askOrRefer(next, thanks, ctx, effects);
  }
  return result(state, [{ text: t(l, paged(ctx, 'emergency.followup'), { contacts: ctx.emergencyContacts[l] }) }], effects);
};
