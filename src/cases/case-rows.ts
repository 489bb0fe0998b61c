import { newId } from '../util/ids.js';
import { HubError } from '../errors.js';
import { execute, query, sql, type TxBody } from '../db/sql.js';

/** Statements on cases shared by the turn path (driver) and officer actions (Prisma). */

export function* caseByTrackingNumber(trackingNumber: string): TxBody<{ id: string; status: string }> {
  const [c] = yield* query<{ id: string; status: string }>(sql`SELECT "id", "status" FROM "Case" WHERE "trackingNumber" = ${trackingNumber}`);
  if (!c) throw new HubError('case_not_found', `no case ${trackingNumber}`);
  return c;
}

export interface EventRow {
  id?: string;
  caseId: string;
  type: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  /** Who did it: a Slack user id, an admin API actor, `petitioner` or `hub`. */
  actor?: string;
  text?: string | null;
  /** JSON text. */
  data?: string | null;
  at: Date;
}

export function* insertEvent(e: EventRow): TxBody<void> {
  yield* execute(sql`INSERT INTO "CaseEvent" ("id", "caseId", "type", "fromStatus", "toStatus", "actor", "text", "data", "createdAt")
    VALUES (${e.id ?? newId()}, ${e.caseId}, ${e.type}, ${e.fromStatus ?? null}, ${e.toStatus ?? null}, ${e.actor ?? 'petitioner'}, ${e.text ?? null}, ${e.data ?? null}, ${e.at})`);
}
