import { HubError } from '../errors.js';

export const STATUSES = [
  'submitted',
  'accepted',
  'rejected',
  'in_progress',
  'awaiting_petitioner',
  'resolved',
  'closed',
  'reopened',
] as const;
export type CaseStatus = (typeof STATUSES)[number];

/** Actions officers take (Slack, admin API), plus the ones the hub takes itself. */
export const OFFICER_ACTIONS = ['claim', 'accept', 'reject', 'reply', 'request_info', 'start', 'transfer', 'categorise', 'resolve', 'reopen', 'extend', 'acknowledge', 'note'] as const;
export type OfficerAction = (typeof OFFICER_ACTIONS)[number];
export type CaseAction = OfficerAction | 'close' | 'info_received';

/** Not answered yet: the petitioner is still waiting for the outcome. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['submitted', 'accepted', 'in_progress', 'awaiting_petitioner', 'reopened'];
const OPEN = OPEN_STATUSES;
/** Accepted and not answered yet: the answer period (resolution deadline) runs. */
export const ANSWER_DUE: readonly CaseStatus[] = ['accepted', 'in_progress', 'awaiting_petitioner', 'reopened'];

interface Transition {
  from: readonly CaseStatus[];
  /** null: the status stays as it is (a message or a move between departments). */
  to: CaseStatus | null;
  /** The officer must write something the petitioner will read. */
  needsText: boolean;
  /** On the case's record for officers only: the petitioner is never told of it. */
  internal?: boolean;
}

/** Every status change a case can make, in one place (botpress hitlnext style). */
export const TRANSITIONS: Record<CaseAction, Transition> = {
  /** An officer takes the case on; the status does not change. */
  claim: { from: OPEN, to: null, needsText: false },
  accept: { from: ['submitted'], to: 'accepted', needsText: false },
  reject: { from: ['submitted'], to: 'rejected', needsText: true },
  reply: { from: OPEN, to: null, needsText: true },
  request_info: { from: ['accepted', 'in_progress', 'reopened'], to: 'awaiting_petitioner', needsText: true },
  info_received: { from: ['awaiting_petitioner'], to: 'in_progress', needsText: false },
  start: { from: ['accepted', 'awaiting_petitioner', 'reopened'], to: 'in_progress', needsText: false },
  transfer: { from: OPEN, to: null, needsText: false },
  /** The category is corrected (and the case goes to that category's department). */
  categorise: { from: OPEN, to: null, needsText: false },
  resolve: { from: ['accepted', 'in_progress', 'awaiting_petitioner', 'reopened'], to: 'resolved', needsText: true },
  reopen: { from: ['resolved', 'rejected'], to: 'reopened', needsText: false },
  close: { from: ['resolved'], to: 'closed', needsText: false },
  /**
   * The answer period is extended (once, with a written reason). Not before acceptance: the answer
   * period starts there, and accepting would replace an earlier extension.
   */
  extend: { from: ANSWER_DUE, to: null, needsText: true },
  /** The duty officer takes an emergency: the escalation to supervisors stops (emergency cases only). */
  acknowledge: { from: OPEN, to: null, needsText: false },
  /** An internal note among officers: on the case's record, never sent to the petitioner. */
  note: { from: STATUSES, to: null, needsText: true, internal: true },
};

/** Whether the petitioner hears of an action (every action but internal notes). */
export function toldToPetitioner(action: CaseAction): boolean {
  return TRANSITIONS[action].internal !== true;
}

export function canApply(action: CaseAction, status: string): boolean {
  return (TRANSITIONS[action].from as readonly string[]).includes(status);
}

/** The status after `action`, or a 409 HubError when the table does not allow it. */
export function nextStatus(action: CaseAction, status: string): CaseStatus {
  const rule = TRANSITIONS[action];
  if (!canApply(action, status)) {
    throw new HubError('invalid_transition', `a case that is ${status} cannot be given the action ${action}`);
  }
  return rule.to ?? (status as CaseStatus);
}
