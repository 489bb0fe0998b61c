import { randomUUID } from 'node:crypto';
import { enqueueJob } from '../outbox/outbox.js';
import { execute, query, sql, type TxBody } from '../db/sql.js';
import type { DeadlinePolicy } from './deadlines.js';
import { insertEvent } from './case-rows.js';
import { canApply, nextStatus } from './status-machine.js';

export interface Feedback {
  solved: boolean | null;
  rating: number | null;
  comment: string | null;
}

export interface FollowUpDeps {
  deadlines: DeadlinePolicy;
  /** Outbox kinds: `kinds` refresh the case's card, `eventKinds` post an event in its thread. */
  mirrors?: { kinds: string[]; eventKinds: string[] };
}

interface Row {
  id: string;
  status: string;
  answeredAt: Date | string | null;
  followUpDueAt: Date | string | null;
}

const later = (a: Date, b: Date) => (a.getTime() >= b.getTime() ? a : b);

/**
 * What the petitioner's follow-up answers do to a case, as statements of the turn's transaction.
 * A case that moved on meanwhile (closed by the timeout a moment before) is left as it is: the turn
 * must not fail over it, and the next turn sees the new status.
 */
export class FollowUpActions {
  constructor(private readonly deps: FollowUpDeps) {}

  private *row(trackingNumber: string): TxBody<Row | undefined> {
    const [c] = yield* query<Row>(sql`SELECT "id", "status", "answeredAt", "followUpDueAt" FROM "Case" WHERE "trackingNumber" = ${trackingNumber}`);
    return c;
  }

  /**
   * The `feedback` event ({rating, solved}, the comment as its text; GET /api/stats reads the rating), shown in the
   * case's thread. An unsatisfied petitioner keeps the case open until the review window ends.
   */
  *recordFeedback(trackingNumber: string, f: Feedback, unsatisfied: boolean, now: Date): TxBody<void> {
    const c = yield* this.row(trackingNumber);
    if (!c) return;
    const eventId = randomUUID();
    // The comment is the event's text (encrypted at rest with the other personal data), not its data.
    const data = { rating: f.rating, solved: f.solved };
    yield* insertEvent({ id: eventId, caseId: c.id, type: 'feedback', fromStatus: c.status, toStatus: c.status, text: f.comment, data: JSON.stringify(data), at: now });
    for (const kind of this.deps.mirrors?.eventKinds ?? []) yield* enqueueJob(kind, eventId, now);
    if (!unsatisfied || c.status !== 'resolved' || !c.answeredAt || !c.followUpDueAt) return;
    const until = later(new Date(c.followUpDueAt), this.deps.deadlines.reviewDue(new Date(c.answeredAt)));
    yield* execute(sql`UPDATE "Case" SET "followUpDueAt" = ${until}, "updatedAt" = ${now} WHERE "id" = ${c.id} AND "status" = ${'resolved'}`);
  }

  /** Satisfied, or no review wanted: the resolved case is closed. */
  *close(trackingNumber: string, now: Date): TxBody<boolean> {
    const c = yield* this.row(trackingNumber);
    if (!c || !canApply('close', c.status)) return false;
    const to = nextStatus('close', c.status);
    const moved = yield* execute(sql`UPDATE "Case" SET "status" = ${to}, "followUpDueAt" = ${null}, "updatedAt" = ${now}
      WHERE "id" = ${c.id} AND "status" = ${c.status}`);
    if (!moved) return false;
    yield* insertEvent({ caseId: c.id, type: 'close', fromStatus: c.status, toStatus: to, data: JSON.stringify({ reason: 'feedback' }), at: new Date(now.getTime() + 1) });
    for (const kind of this.deps.mirrors?.kinds ?? []) yield* enqueueJob(kind, c.id, now);
    return true;
  }

  /** A review (复查): reopened through the transition table, with a new answer period; the department is told. */
  *requestReview(trackingNumber: string, now: Date): TxBody<boolean> {
    const c = yield* this.row(trackingNumber);
    if (!c || !canApply('reopen', c.status)) return false;
    if (c.answeredAt && now > this.deps.deadlines.reviewDue(new Date(c.answeredAt))) return false;
    const to = nextStatus('reopen', c.status);
    const due = this.deps.deadlines.resolutionDue(now);
    const moved = yield* execute(sql`UPDATE "Case" SET "status" = ${to}, "resolutionDueAt" = ${due}, "followUpDueAt" = ${null}, "updatedAt" = ${now}
      WHERE "id" = ${c.id} AND "status" = ${c.status}`);
    if (!moved) return false;
    const eventId = randomUUID();
    const data = JSON.stringify({ review: true, resolutionDueAt: due.toISOString() });
    yield* insertEvent({ id: eventId, caseId: c.id, type: 'reopen', fromStatus: c.status, toStatus: to, data, at: new Date(now.getTime() + 2) });
    for (const kind of this.deps.mirrors?.kinds ?? []) yield* enqueueJob(kind, c.id, now);
    for (const kind of this.deps.mirrors?.eventKinds ?? []) yield* enqueueJob(kind, eventId, now);
    return true;
  }
}
