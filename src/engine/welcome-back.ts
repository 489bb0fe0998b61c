// Reception of someone who comes back: greeted as someone known, with where their cases stand and
// what they left untold, before anything is asked.
import { t } from '../i18n.js';
import { statusText } from './steps/after-filing.js';
import type { DialogueState, Reply, ReturningPetitioner, TurnContext } from './types.js';

/** How much of an unfinished account is quoted back to remind them of it. */
const QUOTE = 40;

function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return Array.from(flat).length > QUOTE ? `${Array.from(flat).slice(0, QUOTE).join('')}……` : flat;
}

/** "欢迎回来" with the state of each open case (at most three) and the draft they left, if any. */
export function welcomeBack(state: DialogueState, returning: ReturningPetitioner, ctx: Pick<TurnContext, 'timeZone'>, draft: string | null): Reply {
  const l = state.locale;
  const lines = [t(l, returning.openCases.length ? 'welcome.back.cases' : 'welcome.back')];
  for (const c of returning.openCases.slice(0, 3)) lines.push(statusText(state, c, ctx.timeZone));
  if (draft) lines.push(t(l, 'welcome.draft', { issue: quote(draft) }));
  return { text: lines.join('\n') };
}

/** The story of an intake left unfinished, to be offered again. */
export function unfinished(state: DialogueState): string | null {
  return state.phase === 'intake' && state.details.issue ? state.details.issue : null;
}
