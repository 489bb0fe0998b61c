import { QUICK_REPLY_VALUES, type Locale } from '../domain.js';
import { t } from '../i18n.js';
import { initialState, result } from './state.js';
import { askFor } from './prompts.js';
import { emergencyFollowupStep, emergencyStep } from './steps/safety.js';
import { intakeStep } from './steps/intake.js';
import { pendingStep } from './steps/pending.js';
import { chooseCorrectionStep, confirmStep } from './steps/confirm.js';
import { afterFilingStep } from './steps/after-filing.js';
import { caseQueryStep } from './steps/case-query.js';
import { followUpStep } from './steps/follow-up.js';
import { reviewStep } from './steps/review.js';
import type { DialogueState, Phase, Step, TurnContext, TurnResult, Understanding } from './types.js';

// Each phase is a short chain of steps; the first that handles the message answers it. A yes/no
// question about the conversation itself (pendingStep) is answered before anything else but an emergency.
const PIPELINE: Record<Phase, Step[]> = {
  intake: [emergencyStep, caseQueryStep, pendingStep, intakeStep],
  confirm: [emergencyStep, caseQueryStep, pendingStep, confirmStep],
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
  // The bot answers in the language of the message; ambiguous text ("ok", digits) and the values
  // quick-reply buttons send keep the current one.
  const locale = QUICK_REPLY_VALUES.has(u.text) ? saved.locale : u.language;
  let state: DialogueState = { ...saved, locale, turn: saved.turn + 1, distress };
  for (const step of PIPELINE[state.phase]) {
    const handled = step(state, u, ctx);
    if (handled) return handled;
    // The message was not an answer to the pending yes/no question: it is dropped, and the message handled as any other.
    if (step === pendingStep) state = { ...state, pending: null };
  }
  throw new Error(`no dialogue step handled a message in phase ${state.phase}`);
}
