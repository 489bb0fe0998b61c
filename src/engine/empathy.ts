// Acknowledging feelings: distress (loud or quiet: money trouble, illness, a child, nowhere left to
// turn) and anger, in the petitioner's terms, at most once every few turns and never in the same
// words twice — empathy, not a refrain.
import { hasText, t } from '../i18n.js';
import type { DialogueState, Understanding } from './types.js';

/** Turns between two acknowledgements of feelings. */
export const EMPATHY_EVERY = 3;

/** The acknowledgement this message is owed, if any, and the state that remembers it was said. */
export function acknowledge(state: DialogueState, u: Understanding): { state: DialogueState; text: string | null } {
  const { distressed, angry, concern } = u.affect;
  if (!distressed && !angry) return { state, text: null };
  if (state.turn - state.lastEmpathyTurn < EMPATHY_EVERY) return { state, text: null };
  const l = state.locale;
  const keys = [
    ...(distressed && concern ? [`ack.distressed.${concern}`] : []),
    distressed ? 'ack.distressed' : 'ack.angry',
    ...(distressed && angry ? ['ack.angry'] : []),
  ].filter((key) => hasText(l, key));
  for (const key of keys) {
    for (let i = 0; i < 3; i++) {
      const id = `${key}#${i}`;
      if (state.empathyUsed.includes(id) || !hasText(l, key)) continue;
      const text = t(l, key, {}, i);
      // t() wraps around: a key with fewer variants than i has run out.
      if (i > 0 && text === t(l, key, {}, 0)) break;
      return { state: { ...state, lastEmpathyTurn: state.turn, empathyUsed: [...state.empathyUsed, id] }, text };
    }
  }
  return { state, text: null };
}
