import { newQueryCode } from '../cases/query-code.js';
import { newTrackingNumber } from '../cases/tracking-number.js';
import { queryThrottled } from '../engine/steps/case-query.js';
import { queryKeys } from '../cases/query-guard.js';
import type { AttachmentKinds, DialogueState, TurnContext } from '../engine/types.js';
import type { Understanding } from '../nlu/understanding.js';
import { Router } from '../cases/routing.js';
import type { Details } from '../domain.js';
import { DEFAULT_ASKED } from '../engine/state.js';
import type { FilingTexts } from '../nlu/filing-assessment.js';
import type { CategoryGuess } from '../nlu/understanding.js';
import type { ConversationDeps } from './conversation-service.js';
import { sql } from '../db/sql.js';

/** RETURNING_AFTER_HOURS's default. */
const DEFAULT_RETURNING_AFTER_MS = 8 * 3_600_000;

/**
 * What the dialogue needs to know for one turn. Cases are read on the driver and only when they may
 * matter: the conversation's case once there is one (one query, which also finds a follow-up
 * waiting), a case asked for by number, and the petitioner's open cases on a turn that may file a
 * new one (a repeat is linked instead).
 */
/**
 * Thrown by a turn's `route` for an account no NLU thread has routed yet, while threads hold the
 * routing model: the turn is run again once one has (ConversationService). The dialogue is pure, so
 * a run that stopped there left nothing behind.
 */
export class RoutingNeeded extends Error {
  constructor(readonly text: string) {
    super('the turn routes an account an NLU thread has not routed yet');
  }
}

/**
 * @param routed the categories of accounts (Router.text) already routed for this turn; `route`
 *   answers from it, and the caller adds to it when `route` throws RoutingNeeded.
 */
export async function turnContext(
  d: ConversationDeps,
  turn: { now: Date; state: DialogueState; u: Understanding; conversationId: string; petitionerId: string; channel: string; address?: string; attachments?: AttachmentKinds },
  routed = new Map<string, CategoryGuess>(),
): Promise<TurnContext> {
  const { now, state, u } = turn;
  const reads = d.cases.reads;
  const own = state.trackingNumber ? await reads.forTurn(turn.conversationId, state.trackingNumber) : { openCase: null, followUp: null };
  const { lookup, queryWaitMs } = u.caseQuery && !queryThrottled(state, now) ? await guardedLookup(d, u.caseQuery, turn) : { lookup: undefined, queryWaitMs: 0 };
  // The petitioner's open cases: to tell a repeated petition at filing, and a new matter from more
  // about the filed one afterwards.
  const filing = state.phase === 'confirm' || state.phase === 'choose_correction' || (state.phase === 'filed' && !u.contentless);
  // At the summary, a "yes" files the details as they stand: route and rate them on an NLU thread.
  // A correction changes them; the new ones are routed when the dialogue asks (RoutingNeeded).
  const expected: FilingTexts | null = state.phase === 'confirm' ? { routing: Router.text(state.details), urgency: urgencyText(state.details), locale: state.locale } : null;
  const assessed = expected && (await d.nlu.assessFiling(expected));
  if (expected && assessed) routed.set(expected.routing, assessed.category);
  const policy = d.cases.deadlines;
  // Someone writing again after a while is greeted back with where their cases stand; not someone
  // answering what the hub last wrote to them (a notice, an officer's message, a follow-up question).
  const last = state.lastMessageAt ? Date.parse(state.lastMessageAt) : Number.NaN;
  const away = now.getTime() - last > (d.returningAfterMs ?? DEFAULT_RETURNING_AFTER_MS);
  const returning = away && !(await hubWroteLast(d, turn.conversationId)) ? { openCases: await reads.openSnapshotsOf(turn.petitionerId) } : null;
  return {
    now,
    acceptanceDays: policy.lengths.acceptanceDays,
    resolutionDays: policy.lengths.resolutionDays,
    dayKind: policy.calendar.kind,
    timeZone: d.timeZone,
    officeName: d.officeName,
    emergencyContacts: d.emergencyContacts,
    dutyOnCall: d.dutyOnCall?.(now) ?? false,
    newTrackingNumber: () => newTrackingNumber(now),
    route: (details) => {
      const guess = routed.get(Router.text(details));
      if (!guess && d.nlu.routesOnThreads) throw new RoutingNeeded(Router.text(details));
      return d.router.route(details, guess);
    },
    urgency: (details) => (assessed && urgencyText(details) === expected?.urgency ? assessed.urgency : d.nlu.urgency(urgencyText(details), state.locale)),
    dueDates: (from) => policy.dueDates(from),
    ...own,
    lookup,
    ...(queryWaitMs > 0 ? { queryWaitMinutes: Math.ceil(queryWaitMs / 60_000) } : {}),
    ...(lookup && u.caseQuery?.asks === 'copy' ? { heldRecord: (await reads.heldRecord(lookup.trackingNumber)) ?? undefined } : {}),
    reviewWindowDays: policy.reviewWindowDays,
    newQueryCode,
    petitionerCases: filing ? await reads.openCasesOf(turn.petitionerId) : [],
    similarity: (a, b, category) => d.nlu.similarity(a, b, category),
    askFor: d.askFor ?? DEFAULT_ASKED,
    attachments: turn.attachments ?? 'any',
    returning,
  };
}

/**
 * A status query, unless its tracking number or the client's address is waiting after too many
 * failures (counted across conversations and instances); a failure counts against both. While
 * waiting, the petitioner who filed the case still sees it: guessing at their case cannot lock
 * them out of it.
 */
async function guardedLookup(d: ConversationDeps, q: NonNullable<Understanding['caseQuery']>, turn: { now: Date; petitionerId: string; address?: string }) {
  const keys = queryKeys(q.trackingNumber, turn.address);
  const queryWaitMs = (await d.queryGuard?.waitMs(keys, turn.now)) ?? 0;
  if (queryWaitMs > 0) {
    const own = await d.cases.reads.lookup(q, turn.petitionerId, false);
    return own ? { lookup: own, queryWaitMs: 0 } : { lookup: undefined, queryWaitMs };
  }
  const lookup = await d.cases.reads.lookup(q, turn.petitionerId);
  if (lookup === null) await d.queryGuard?.fail(keys, turn.now);
  return { lookup, queryWaitMs: 0 };
}

/** The conversation's latest message is one the hub sent on its own, not a reply to the petitioner. */
async function hubWroteLast(d: ConversationDeps, conversationId: string): Promise<boolean> {
  const [latest] = await d.sql.query<{ role: string; replyToId: string | null }>(
    sql`SELECT "role", "replyToId" FROM "Message" WHERE "conversationId" = ${conversationId} ORDER BY "seq" DESC LIMIT 1`,
  );
  return Boolean(latest && latest.role !== 'petitioner' && !latest.replyToId);
}

/** What urgency reads of an account: what happened and what the petitioner asks for. */
function urgencyText(details: Details): string {
  return [details.issue, details.desiredOutcome].filter(Boolean).join('\n');
}
