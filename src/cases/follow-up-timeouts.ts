import { randomUUID } from 'node:crypto';
import type { Locale } from '../domain.js';
import type { HubEventBus } from '../events.js';
import { t } from '../i18n.js';
import { enqueueJob } from '../outbox/outbox.js';
import type { SqlDb } from '../db/sql-driver.js';
import { execute, query, sql } from '../db/sql.js';
import { appendTurns, toView } from '../conversation/messages.js';
import type { Message as MessageRow } from '../../generated/sqlite/client.js';
import { insertEvent } from './case-rows.js';
import { nextStatus } from './status-machine.js';

/** Who closes cases whose follow-up ran out, in case events and on the message to the petitioner. */
export const FOLLOW_UP_ACTOR = 'hub';

const BATCH = 100;

export interface FollowUpTimeoutDeps {
  sql: SqlDb;
  events: HubEventBus;
  /** Outbox kinds refreshing the case's card (Slack). */
  mirrors?: { kinds: string[] };
}

interface Closed {
  trackingNumber: string;
  conversationId: string;
  channel: string;
  row: MessageRow;
}

interface Due {
  id: string;
  trackingNumber: string;
  conversationId: string;
  channel: string;
  language: string;
  answeredAt: Date | string | null;
  followUpDueAt: Date | string;
}

/**
 * Closes resolved cases whose follow-up (回访) ran out: no answer within FEEDBACK_TIMEOUT_DAYS, or an
 * unsatisfied answer and no review requested within the review window. The due time is the case row's
 * followUpDueAt; closing it is claimed as a DeadlineAlert row (deadline "feedback") in the same
 * transaction as the status change, the event, the card refresh and the message to the petitioner,
 * so it happens once however many instances sweep, and one that fell due while no hub ran happens on
 * the next start. Run by the DeadlineScheduler's sweep.
 */
export class FollowUpTimeouts {
  constructor(private readonly deps: FollowUpTimeoutDeps) {}

  async sweep(at: Date): Promise<number> {
    const due = await this.deps.sql.query<{ id: string }>(sql`SELECT "id" FROM "Case"
      WHERE "status" = ${'resolved'} AND "followUpDueAt" <= ${at} ORDER BY "followUpDueAt" LIMIT ${BATCH}`);
    let closed = 0;
    for (const c of due) {
      const done = await this.close(c.id, at);
      if (!done) continue;
      closed++;
      const { events } = this.deps;
      events.emit('case.updated', { trackingNumber: done.trackingNumber, action: 'close', status: 'closed', actor: FOLLOW_UP_ACTOR });
      events.emit('message.outbound', { conversationId: done.conversationId, channel: done.channel, message: toView(done.row) });
    }
    return closed;
  }

  private close(caseId: string, at: Date): Promise<Closed | null> {
    const kinds = this.deps.mirrors?.kinds ?? [];
    return this.deps.sql.transaction(function* () {
      const [c] = yield* query<Due>(sql`SELECT "id", "trackingNumber", "conversationId", "channel", "language", "answeredAt", "followUpDueAt"
        FROM "Case" WHERE "id" = ${caseId} AND "status" = ${'resolved'} AND "followUpDueAt" <= ${at}`);
      if (!c) return null;
      const [claimed] = yield* query<{ id: string }>(sql`INSERT INTO "DeadlineAlert" ("id", "caseId", "deadline", "stage", "dueAt", "createdAt")
        VALUES (${randomUUID()}, ${c.id}, ${'feedback'}, ${'overdue'}, ${new Date(c.followUpDueAt)}, ${at})
        ON CONFLICT ("caseId", "deadline", "stage", "dueAt") DO NOTHING RETURNING "id"`);
      if (!claimed) return null;
      const to = nextStatus('close', 'resolved');
      yield* execute(sql`UPDATE "Case" SET "status" = ${to}, "followUpDueAt" = ${null}, "updatedAt" = ${at} WHERE "id" = ${c.id} AND "status" = ${'resolved'}`);
      const [rated] = yield* query<{ id: string }>(sql`SELECT "id" FROM "CaseEvent"
        WHERE "caseId" = ${c.id} AND "type" = ${'feedback'} AND "createdAt" >= ${c.answeredAt === null ? at : new Date(c.answeredAt)} LIMIT 1`);
      const reason = rated ? 'review_window_ended' : 'no_feedback';
      yield* insertEvent({ caseId: c.id, type: 'close', fromStatus: 'resolved', toStatus: to, actor: FOLLOW_UP_ACTOR, data: JSON.stringify({ reason }), at });
      for (const kind of kinds) yield* enqueueJob(kind, c.id, at);
      const l: Locale = c.language === 'en' ? 'en' : 'zh-CN';
      const text = t(l, rated ? 'followup.closed.reviewEnded' : 'followup.closed.silent', { trackingNumber: c.trackingNumber });
      const [rows] = yield* appendTurns([{ conversationId: c.conversationId, drafts: [{ role: 'system', text, author: FOLLOW_UP_ACTOR }], now: at, caseNumber: c.trackingNumber }]);
      if (!rows) return null;
      return { trackingNumber: c.trackingNumber, conversationId: c.conversationId, channel: c.channel, row: rows[0] };
    });
  }
}
