import { newQueryCode } from '../cases/query-code.js';
import { newTrackingNumber } from '../cases/tracking-number.js';
import { queryThrottled } from '../engine/steps/case-query.js';
import type { DialogueState, TurnContext } from '../engine/types.js';
import type { Understanding } from '../nlu/understanding.js';
import type { ConversationDeps } from './conversation-service.js';

/**
 * What the dialogue needs to know for one turn. Cases are read on the driver and only when they may
 * matter: the conversation's case once there is one (one query, which also finds a follow-up
 * waiting), a case asked for by number, and the petitioner's open cases on a turn that may file a
 * new one (a repeat is linked instead).
 */
export async function turnContext(
  d: ConversationDeps,
  turn: { now: Date; state: DialogueState; u: Understanding; conversationId: string; petitionerId: string },
): Promise<TurnContext> {
  const { now, state, u } = turn;
  const reads = d.cases.reads;
  const own = state.trackingNumber ? await reads.forTurn(turn.conversationId, state.trackingNumber) : { openCase: null, followUp: null };
  const lookup = u.caseQuery && !queryThrottled(state, now) ? await reads.lookup(u.caseQuery, turn.petitionerId) : undefined;
  const filing = state.phase === 'confirm' || state.phase === 'choose_correction';
  const policy = d.cases.deadlines;
  return {
    now,
    acceptanceDays: policy.lengths.acceptanceDays,
    resolutionDays: policy.lengths.resolutionDays,
    dayKind: policy.calendar.kind,
    timeZone: d.timeZone,
    officeName: d.officeName,
    emergencyContacts: d.emergencyContacts,
    newTrackingNumber: () => newTrackingNumber(now),
    route: (details) => d.router.route(details),
    urgency: (details) => d.nlu.urgency([details.issue, details.desiredOutcome].filter(Boolean).join('\n'), state.locale),
    dueDates: (from) => policy.dueDates(from),
    ...own,
    lookup,
    reviewWindowDays: policy.reviewWindowDays,
    newQueryCode,
    petitionerCases: filing ? await reads.openCasesOf(turn.petitionerId) : [],
    similarity: (a, b, category) => d.nlu.similarity(a, b, category),
  };
}
