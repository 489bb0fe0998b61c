import { isSlot } from '../../domain.js';
import { formatDate, formatDays, t } from '../../i18n.js';
import { result } from '../state.js';
import { askFor, correctionChoices, say, slotLabel, summaryReplies } from '../prompts.js';
import { isNo, isYes } from '../intents.js';
import { fileCase } from './file-case.js';
import { linkToRepeated, repeatedCase } from './repeat.js';
import type { DialogueState, Step, TurnContext, TurnResult, Understanding } from '../types.js';

function file(state: DialogueState, ctx: TurnContext): TurnResult {
  const l = state.locale;
  const filed = fileCase(state, ctx);
  const effect = filed.effects[0];
  if (effect.type !== 'file_case') throw new Error('fileCase must produce a file_case effect');
  const repeated = repeatedCase(state, effect.routing, ctx);
  if (repeated) return linkToRepeated(state, repeated);
  const text = [
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

/** A correction that names the detail: applied at once when it carries the value, else asked for. */
function applyCorrection(state: DialogueState, u: Understanding): TurnResult | null {
  const c = u.correction;
  if (!c) return null;
  if (c.value) {
    const corrected = { ...state, phase: 'confirm' as const, details: { ...state.details, [c.slot]: c.value } };
    return result(corrected, summaryReplies(corrected, t(state.locale, 'correct.applied')));
  }
  return askCorrection(state, c.slot);
}

function askCorrection(state: DialogueState, slot: Parameters<typeof slotLabel>[1]): TurnResult {
  const asking = { ...state, phase: 'intake' as const, returnToConfirm: true, asked: { ...state.asked, [slot]: 0 } };
  const asked = askFor(asking, slot);
  const text = t(state.locale, 'correct.ask', { label: slotLabel(state, slot) });
  return result(asked.state, [{ ...asked.reply, text }]);
}

/** The summary is on screen: yes files the case, a correction is applied, no asks what to change. */
export const confirmStep: Step = (state, u, ctx) => {
  if (u.text === 'yes' || (isYes(u) && !u.correction)) return file(state, ctx);
  const corrected = applyCorrection(state, u);
  if (corrected) return corrected;
  if (isNo(u) || u.text === 'no') return result({ ...state, phase: 'choose_correction' }, [correctionChoices(state)]);
  return result(state, [
    { text: t(state.locale, 'confirm.unclear'), expects: summaryReplies(state)[1].expects },
  ]);
};

/** The petitioner said something is wrong and is choosing what (a button, or in their own words). */
export const chooseCorrectionStep: Step = (state, u, ctx) => {
  if (isSlot(u.text)) return askCorrection(state, u.text);
  const corrected = applyCorrection(state, u);
  if (corrected) return corrected;
  if (isYes(u)) return file(state, ctx);
  return result(state, [{ ...correctionChoices(state), text: say(t(state.locale, 'reask.generic'), t(state.locale, 'correct.which')) }]);
};
