import type { CaseWrites } from '../cases/case-writes.js';
import type { TxBody } from '../db/sql.js';
import type { DialogueState, Effect } from '../engine/types.js';
import type { HubEventBus } from '../events.js';
import type { Logger } from '../logger.js';

export interface EffectOrigin {
  conversationId: string;
  petitionerId: string;
  channel: string;
  state: DialogueState;
}

/** A turn's changes to cases, as data: they are applied where the turn is committed. */
export interface TurnCaseEffects {
  effects: Effect[];
  origin: EffectOrigin;
  at: Date;
}

/** The turn's effects on cases, as statements of the turn's own transaction. */
export function* applyEffects(cases: CaseWrites, effects: Effect[], origin: EffectOrigin, now: Date): TxBody<void> {
  for (const effect of effects) {
    if (effect.type === 'file_case') yield* cases.file(effect, { ...origin, language: origin.state.locale }, now);
    else if (effect.type === 'add_to_case') yield* cases.addInfo(effect.trackingNumber, effect.text, now);
    else if (effect.type === 'complete_details') yield* cases.completeDetails(effect.trackingNumber, effect.details, origin.petitionerId, now);
    else if (effect.type === 'record_feedback') yield* cases.followUps.recordFeedback(effect.trackingNumber, effect, effect.unsatisfied, now);
    else if (effect.type === 'close_case') yield* cases.followUps.close(effect.trackingNumber, now);
    else if (effect.type === 'request_review') yield* cases.followUps.requestReview(effect.trackingNumber, now);
    else if (effect.type === 'data_request') yield* cases.dataRequest(effect.trackingNumber, effect.kind, now);
    else if (effect.type === 'escalate_emergency') yield* cases.escalateEmergency(effect.trackingNumber, effect.kind, now);
    else if (effect.trackingNumber) yield* cases.requestHuman(effect.trackingNumber, now);
  }
}

/** After commit: the officer side hears about it. */
export function announceEffects(deps: { events: HubEventBus; logger: Logger }, effects: Effect[], conversationId: string): void {
  const { events, logger } = deps;
  for (const e of effects) {
    if (e.type === 'file_case') {
      logger.info({ trackingNumber: e.trackingNumber, category: e.routing.category, urgency: e.urgency }, 'case filed');
      events.emit('case.filed', { trackingNumber: e.trackingNumber, urgency: e.urgency, department: e.routing.department, category: e.routing.category });
      // An emergency needs a person now, not just a card in a queue.
      if (e.emergency) events.emit('human.requested', { conversationId, trackingNumber: e.trackingNumber });
    } else if (e.type === 'add_to_case' || e.type === 'record_feedback' || e.type === 'complete_details') {
      events.emit('case.info_added', { trackingNumber: e.trackingNumber });
    } else if (e.type === 'data_request') {
      logger.info({ trackingNumber: e.trackingNumber, kind: e.kind }, 'personal data request');
    } else if (e.type === 'escalate_emergency') {
      logger.info({ trackingNumber: e.trackingNumber }, 'case escalated to an emergency');
      events.emit('case.info_added', { trackingNumber: e.trackingNumber });
      events.emit('human.requested', { conversationId, trackingNumber: e.trackingNumber });
    } else if (e.type === 'close_case' || e.type === 'request_review') {
      const [action, status] = e.type === 'close_case' ? ['close', 'closed'] : ['reopen', 'reopened'];
      events.emit('case.updated', { trackingNumber: e.trackingNumber, action, status, actor: 'petitioner' });
    } else {
      events.emit('human.requested', { conversationId, trackingNumber: e.trackingNumber });
    }
  }
}
