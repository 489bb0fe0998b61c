import { QUICK_REPLY_VALUES, type Details, type Locale } from '../domain.js';
import { t } from '../i18n.js';
import { initialState, nextMissingSlot, result } from './state.js';
import { askFor, summaryReplies } from './prompts.js';
import { emergencyFollowupStep, emergencyStep } from './steps/safety.js';
import { intakeStep, MAX_STORY_ASKS } from './steps/intake.js';
import { pendingStep } from './steps/pending.js';
import { chooseCorrectionStep, confirmStep } from './steps/confirm.js';
import { afterFilingStep } from './steps/after-filing.js';
import { caseQueryStep } from './steps/case-query.js';
import { followUpStep } from './steps/follow-up.js';
import { reviewStep } from './steps/review.js';
import { unfinished, welcomeBack } from './welcome-back.js';
import type { DialogueState, Phase, ReturningPetitioner, Step, TurnContext, TurnResult, Understanding } from './types.js';

// Each phase is a short chain of steps; the first that handles the message answers it. A yes/no
// question about the conversation itself (pendingStep) is answered before anything else but an emergency.
const PIPELINE: Record<Phase, Step[]> = {
  intake: [emergencyStep, caseQueryStep, pendingStep, intakeStep],
  confirm: [emergencyStep, caseQueryStep, pendingStep, confirmStep],
  choose_correction: [emergencyStep, caseQueryStep, chooseCorrectionStep],
  filed: [emergencyStep, caseQueryStep, pendingStep, followUpStep, reviewStep, afterFilingStep],
  // Once the emergency case is resolved, its follow-up is answered like any other.
  emergency: [followUpStep, emergencyFollowupStep],
};

/** Someone the hub knows, opening a new conversation: their open cases, and a draft they left. */
export interface Recognised extends ReturningPetitioner {
  draft: Details | null;
}

/**
 * Reception: the bot speaks first, warmly, and opens with an open question. Someone who has been
 * here before is greeted back with where their cases stand; a petition they left untold is taken
 * up where they left it.
 */
export function openConversation(
  locale: Locale,
  ctx: Pick<TurnContext, 'officeName' | 'timeZone' | 'askFor'>,
  known: Recognised | null = null,
): TurnResult {
  const state = initialState(locale);
  if (known?.draft?.issue) {
    const resumed = { ...state, details: known.draft, asked: {}, storyAsks: MAX_STORY_ASKS };
    const next = nextMissingSlot(resumed, ctx.askFor);
    const welcome = welcomeBack(state, known, ctx, known.draft.issue);
    if (!next) {
      const confirming = { ...resumed, phase: 'confirm' as const, asking: null, summaries: 1 };
      return result(confirming, [welcome, ...summaryReplies(confirming)]);
    }
    const ask = askFor(resumed, next);
    return result(ask.state, [welcome, ask.reply]);
  }
  const greeting = known ? welcomeBack(state, known, ctx, null).text : t(locale, 'greeting', { office: ctx.officeName[locale] });
  const ask = askFor({ ...state, asked: {} }, 'issue');
  return result(ask.state, [{ text: greeting }, ask.reply]);
}

/**
 * Someone who comes back after a while is greeted back first; not in an emergency (help comes
 * first), and not when they are answering a closed question the hub put to them (the summary, a
 * yes/no about the conversation, the follow-up visit): that answer is taken up as it is.
 */
function greetedBack(r: TurnResult, before: DialogueState, ctx: TurnContext): TurnResult {
  if (!ctx.returning || r.state.phase === 'emergency') return r;
  const answering = before.pending !== null || before.phase === 'confirm' || before.phase === 'choose_correction' || (before.followUp !== null && before.followUp.stage !== 'done');
  if (answering) return r;
  return { ...r, replies: [welcomeBack(r.state, ctx.returning, ctx, unfinished(before)), ...r.replies] };
}

function shortAnswer(saved: DialogueState, text: string): boolean {
  if (!saved.asking || saved.asking === 'issue') return false;
  const han = text.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const words = text.match(/[A-Za-z]+/g)?.length ?? 0;
  return han <= 6 && words <= 4;
}

export function runTurn(saved: DialogueState, u: Understanding, ctx: TurnContext): TurnResult {
  const distress = u.affect.distressed || u.affect.angry ? Math.max(saved.distress, u.affect.score) : saved.distress;
  // The bot answers in the language of the message; ambiguous text ("ok", digits), the values
  // quick-reply buttons send and a short answer to a question for a detail (a name, a place) keep
  // the current one: "Vivian Lam" or 张伟 is a name, not a choice of language.
  const locale = QUICK_REPLY_VALUES.has(u.text) || shortAnswer(saved, u.text) ? saved.locale : u.language;
  let state: DialogueState = { ...saved, locale, turn: saved.turn + 1, distress, lastMessageAt: ctx.now.toISOString() };
  for (const step of PIPELINE[state.phase]) {
    const handled = step(state, u, ctx);
    if (handled) return greetedBack(handled, state, ctx);
    // The message was not an answer to the pending yes/no question: it is dropped, and the message handled as any other.
    if (step === pendingStep) state = { ...state, pending: null };
  }
  throw new Error(`no dialogue step handled a message in phase ${state.phase}`);
}
