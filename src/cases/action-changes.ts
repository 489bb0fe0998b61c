import type { Case } from '../../generated/sqlite/client.js';
import type { DeadlinePolicy } from './deadlines.js';
import type { ActionInput } from './case-service.js';

const DAY_MS = 86_400_000;

/** What an officer's action changes on the case row, besides the status. */
export function actionChanges(input: ActionInput, c: Case, now: Date, deps: { deadlines: DeadlinePolicy; feedbackTimeoutMs?: number }): Partial<Case> {
  const { deadlines } = deps;
  // Taking an emergency on, or claiming it, is the duty officer's acknowledgement: no more escalation.
  const acknowledged = c.urgency === 'emergency' && !c.emergencyAckAt ? { emergencyAckAt: now, emergencyAckBy: input.actor, emergencyEscalateAt: null } : {};
  if (input.action === 'acknowledge') return acknowledged;
  if (input.action === 'claim') return { assignee: input.actor, ...acknowledged };
  // An officer naming the category, or a department accepting the case as theirs, confirms it: the
  // case becomes a labelled example for `npm run train -- --from-database`.
  const confirmed = { categoryConfirmedAt: now, categoryConfirmedBy: input.actor };
  if (input.action === 'transfer') return { department: input.department, needsTriage: false, ...(input.category ? { category: input.category, ...confirmed } : {}) };
  if (input.action === 'categorise') return { category: input.category, department: input.department, needsTriage: false, ...confirmed };
  // The answer period runs from acceptance (and again from a review's reopening), not from filing.
  if (input.action === 'accept') return { resolutionDueAt: deadlines.resolutionDue(now), ...(c.categoryConfirmedAt ? {} : confirmed) };
  if (input.action === 'reopen') return { resolutionDueAt: deadlines.resolutionDue(now), followUpDueAt: null };
  // The follow-up (回访) starts: unanswered, the case is closed when it runs out (follow-up-timeouts.ts).
  if (input.action === 'resolve') return { answeredAt: now, followUpDueAt: new Date(now.getTime() + (deps.feedbackTimeoutMs ?? 7 * DAY_MS)) };
  // A rejection can be reviewed too, within the same window.
  if (input.action === 'reject') return { answeredAt: now };
  if (input.action === 'extend') {
    return { resolutionDueAt: deadlines.extended(c.resolutionDueAt, input.days as number), resolutionExtendedAt: now };
  }
  return {};
}

/** The structured part of the action's case event. */
export function actionEventData(input: ActionInput, before: Case, after: Case): Record<string, unknown> | undefined {
  if (input.action === 'transfer') return { department: input.department, ...(input.category ? { category: input.category, previousCategory: before.category } : {}) };
  if (input.action === 'categorise') return { category: input.category, previousCategory: before.category, department: input.department, previousDepartment: before.department };
  if (input.action === 'acknowledge') return { afterSeconds: Math.round((after.emergencyAckAt as Date).getTime() - before.createdAt.getTime()) / 1000, escalations: before.emergencyEscalations };
  if (input.action !== 'extend') return undefined;
  return { days: input.days, previousDueAt: before.resolutionDueAt.toISOString(), resolutionDueAt: after.resolutionDueAt.toISOString() };
}
