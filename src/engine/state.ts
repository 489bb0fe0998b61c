import { SLOTS, type Details, type Locale, type Slot } from '../domain.js';
import type { DialogueState, TurnResult, Reply, Effect } from './types.js';

export function initialState(locale: Locale, keep: Details = {}): DialogueState {
  return {
    phase: 'intake',
    locale,
    details: { ...keep },
    declined: [],
    asking: 'issue',
    asked: { issue: 1 },
    returnToConfirm: false,
    turn: 0,
    lastEmpathyTurn: -10,
    misunderstood: 0,
    humanRequested: false,
    emergency: null,
    distress: 0,
    trackingNumber: null,
    followUp: null,
    queryFailures: [],
    storyAsks: 1,
    mined: [],
    listens: 0,
    summaries: 0,
    openQuestions: [],
    empathyUsed: [],
    stalls: 0,
    cancelAsks: 0,
    pending: null,
    lastMessageAt: null,
  };
}

/** Loads state saved by any earlier version of the hub, filling fields added since. */
export function reviveState(json: string, locale: Locale): DialogueState {
  const saved = JSON.parse(json) as Partial<DialogueState>;
  return { ...initialState(locale), ...saved };
}

/** A detail is asked at most twice; after that the bot moves on rather than insist. */
export const MAX_ASKS = 2;

/** The details asked for when not told, in the order they are asked (ASKED_DETAILS). */
export const DEFAULT_ASKED: readonly Slot[] = ['location', 'time', 'parties', 'desiredOutcome', 'priorAttempts', 'contactName', 'contactPhone'];

/** The next detail to ask for: one the policy asks for, not told, not declined, not asked twice already. */
export function nextMissingSlot(state: DialogueState, asked: readonly Slot[] = DEFAULT_ASKED): Slot | null {
  for (const slot of SLOTS) {
    if (slot !== 'issue' && !asked.includes(slot)) continue;
    if (state.details[slot]) continue;
    if (state.declined.includes(slot)) continue;
    if ((state.asked[slot] ?? 0) >= MAX_ASKS) continue;
    return slot;
  }
  return null;
}

/** Adds newly recognised details without overwriting what the petitioner already said. */
export function mergeNew(existing: Details, found: Details): Details {
  const merged: Details = { ...existing };
  for (const slot of SLOTS) {
    const value = found[slot];
    if (value && !merged[slot]) merged[slot] = value;
  }
  return merged;
}

export function result(state: DialogueState, replies: Reply[], effects: Effect[] = []): TurnResult {
  return { state, replies, effects };
}
