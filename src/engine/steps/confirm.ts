import { isSlot } from '../../domain.js';
import { formatDate, formatDays, t } from '../../i18n.js';
import { result } from '../state.js';
import { askFor, correctionChoices, say, slotLabel, summaryReplies } from '../prompts.js';
import { is, isNo, isYes } from '../intents.js';
import { acknowledge } from '../empathy.js';
import { answerQuestionsBack } from '../questions-back.js';
import { take } from '../listen.js';
import { fileCase } from './file-case.js';
import { askToCancel } from './intake.js';
import { linkToRepeated, repeatedCase } from './repeat.js';
import type { DialogueState, Effect, Step, TurnContext, TurnResult, Understanding } from '../types.js';

/**
 * Read-backs of the summary in one intake. Each correction or addition reads it back again; past
 * this many the case is filed as it stands (and marked unconfirmed), so no petition is lost to a
 * conversation that never settles.
 */
export const MAX_SUMMARIES = 6;
/** Replies at the summary that are neither yes, no, a correction nor more to add, before filing as it stands. */
const MAX_UNCLEAR = 3;

export function file(state: DialogueState, ctx: TurnContext, confirmed = true): TurnResult {
  const l = state.locale;
  const filed = fileCase(state, ctx, confirmed);
  const effect = filed.effects[0];
  if (effect?.type !== 'file_case') throw new Error('fileCase must produce a file_case effect');
  const repeated = repeatedCase(state, effect.routing, ctx);
  if (repeated) return linkToRepeated(state, repeated);
  const text = [
    confirmed ? null : t(l, 'filed.unconfirmed'),
    t(l, 'filed', {
      trackingNumber: effect.trackingNumber,
      department: effect.routing.departmentLabel[l],
      acceptancePeriod: formatDays(ctx.acceptanceDays, ctx.dayKind, l),
      resolutionPeriod: formatDays(ctx.resolutionDays, ctx.dayKind, l),
      acceptanceDue: formatDate(effect.acceptanceDueAt, l, ctx.timeZone),
      resolutionDue: formatDate(effect.resolutionDueAt, l, ctx.timeZone),
    }),
    effect.routing.needsTriage ? t(l, 'filed.triage') : null,
    state.humanRequested ? t(l, 'filed.human') : null,
    t(l, 'filed.code', { code: effect.queryCode }),
  ];
  return result(filed.state, [{ text: text.filter(Boolean).join('\n'), caseRef: effect.trackingNumber }], filed.effects);
}

/** The summary again, after something in it changed. */
function readBack(state: DialogueState, ctx: TurnContext, prefix: string, effects: Effect[] = []): TurnResult {
  if (state.summaries >= MAX_SUMMARIES) return file(state, ctx, false);
  const again: DialogueState = { ...state, phase: 'confirm', misunderstood: 0, summaries: state.summaries + 1 };
  return result(again, summaryReplies(again, prefix), effects);
}

/** A correction that names the detail: applied at once when it carries the value, else asked for. */
function applyCorrection(state: DialogueState, u: Understanding, ctx: TurnContext): TurnResult | null {
  const c = u.correction;
  if (!c) return null;
  if (c.value) return readBack({ ...state, details: { ...state.details, [c.slot]: c.value } }, ctx, t(state.locale, 'correct.applied'));
  return askCorrection(state, c.slot);
}

function askCorrection(state: DialogueState, slot: Parameters<typeof slotLabel>[1]): TurnResult {
  const asking = { ...state, phase: 'intake' as const, returnToConfirm: true, asked: { ...state.asked, [slot]: 0 } };
  const asked = askFor(asking, slot);
  const text = t(state.locale, 'correct.ask', { label: slotLabel(state, slot) });
  return result(asked.state, [{ ...asked.reply, text }]);
}

function confirmQuestion(state: DialogueState, text: string): TurnResult['replies'][number] {
  return { text, expects: summaryReplies(state)[1]?.expects };
}

/**
 * The summary is on screen: yes files the case; a correction is applied; more to add is added; a
 * question is answered; no asks what to change. Each turn here either changes what will be filed or
 * counts towards filing it as it stands.
 */
export const confirmStep: Step = (state, u, ctx) => {
  const l = state.locale;
  if (u.acts.cancel || is(u, 'goodbye')) return askToCancel(state);
  if (u.text === 'yes' || (isYes(u) && !u.correction)) return file(state, ctx);
  const corrected = applyCorrection(state, u, ctx);
  if (corrected) return corrected;
  if (isNo(u) || u.text === 'no') return result({ ...state, phase: 'choose_correction' }, [correctionChoices(state)]);
  const feel = acknowledge(state, u);
  const back = answerQuestionsBack(feel.state, u, ctx);
  // More to add ("还有，他们上周又…", a phone number after all): added, and read back.
  const taken = take(back.state, u);
  if (taken.toldMore || taken.volunteered.length) {
    return readBack({ ...back.state, details: taken.details }, ctx, say(feel.text, back.text, t(l, 'summary.added')), back.effects);
  }
  const unclear = back.state.misunderstood + 1;
  if (unclear >= MAX_UNCLEAR) return file(back.state, ctx, false);
  const ask = back.text ? t(l, 'summary.confirm') : t(l, 'confirm.unclear');
  return result({ ...back.state, misunderstood: unclear }, [confirmQuestion(state, say(feel.text, back.text, ask))], back.effects);
};

/** The petitioner said something is wrong and is choosing what (a button, or in their own words). */
export const chooseCorrectionStep: Step = (state, u, ctx) => {
  if (isSlot(u.text)) return askCorrection(state, u.text);
  const corrected = applyCorrection(state, u, ctx);
  if (corrected) return corrected;
  if (isYes(u)) return file(state, ctx);
  if (state.misunderstood >= MAX_UNCLEAR - 1) return readBack(state, ctx, t(state.locale, 'summary.again'));
  return result({ ...state, misunderstood: state.misunderstood + 1 }, [
    { ...correctionChoices(state), text: say(t(state.locale, 'reask.generic'), t(state.locale, 'correct.which')) },
  ]);
};
