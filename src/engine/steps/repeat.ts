import { SAME_MATTER } from '../../nlu/text-similarity.js';
import { t } from '../../i18n.js';
import { caseSummary } from '../prompts.js';
import { result } from '../state.js';
import type { DialogueState, OpenCaseSummary, RoutingDecision, TurnContext, TurnResult } from '../types.js';

/** The petitioner's open case this petition repeats (same category, similar issue), if any. */
export function repeatedCase(state: DialogueState, routing: RoutingDecision, ctx: TurnContext): OpenCaseSummary | null {
  const issue = state.details.issue;
  if (!issue) return null;
  let best: { c: OpenCaseSummary; score: number } | null = null;
  for (const c of ctx.petitionerCases) {
    if (c.category !== routing.category) continue;
    const score = ctx.similarity(issue, c.issue, c.category);
    if (score >= SAME_MATTER && (!best || score > best.score)) best = { c, score };
  }
  return best?.c ?? null;
}

/**
 * A petition the petitioner already has open is not filed twice: what they said this time is added
 * to that case, and they are told which one it is.
 */
export function linkToRepeated(state: DialogueState, c: OpenCaseSummary): TurnResult {
  const linked: DialogueState = { ...state, phase: 'filed', asking: null, returnToConfirm: false, trackingNumber: c.trackingNumber };
  return result(linked, [{ text: t(state.locale, 'filed.repeat', { trackingNumber: c.trackingNumber }), caseRef: c.trackingNumber }], [
    { type: 'add_to_case', trackingNumber: c.trackingNumber, text: caseSummary(state) },
  ]);
}
