import type { Locale } from '../domain.js';
import { t } from '../i18n.js';
import { initialState, result } from './state.js';
import { askFor } from './prompts.js';
import { emergencyFollowupStep, emergencyStep } from './steps/safety.js';
import { socialStep } from './steps/social.js';
import { collectStep } from './steps/collect.js';
import { chooseCorrectionStep, confirmStep } from './steps/confirm.js';
import { afterFilingStep } from './steps/after-filing.js';
import { caseQueryStep } from './steps/case-query.js';
import { followUpStep } from './steps/follow-up.js';
import { reviewStep } from './steps/review.js';
import type { DialogueState, Phase, Step, TurnContext, TurnResult, Understanding } from './types.js';

// Each phase is a short chain of steps; the first that handles the message answers it.
const PIPELINE: Record<Phase, Step[]> = {
  intake: [emergencyStep, caseQueryStep, socialStep, collectStep],
  confirm: [emergencyStep, caseQueryStep, confirmStep],
  choose_correction: [emergencyStep, caseQueryStep, chooseCorrectionStep],
  filed: [emergencyStep, caseQueryStep, followUpStep, reviewStep, afterFilingStep],
  // Once the emergency case is resolved, its follow-up is answered like any other.
  emergency: [followUpStep, emergencyFollowupStep],
};

/** Reception: the bot speaks first, warmly, and opens with an open question. */
export function openConversation(locale: Locale, ctx: Pick<TurnContext, 'officeName'>): TurnResult {
  const state = initialState(locale);
  const greeting = t(locale, 'greeting', { office: ctx.officeName[locale] });
  const ask = askFor({ ...state, asked: {} }, 'issue');
  return result(ask.state, [{ text: greeting }, ask.reply]);
}

export function runTurn(saved: DialogueState, u: Understanding, ctx: TurnContext): TurnResult {
  const distress = u.affect.distressed || u.affect.angry ? Math.max(saved.distress, u.affect.score) : saved.distress;
  // The bot answers in the language of the message; ambiguous text ("ok", digits) keeps the current one.
  const state: DialogueState = { ...saved, locale: u.language, turn: saved.turn + 1, distress };
  for (const step of PIPELINE[state.phase]) {
    const handled = step(state, u, ctx);
    if (handled) return handled;
  }
  throw new Error(`no dialogue step handled a message in phase ${state.phase}`);
}
