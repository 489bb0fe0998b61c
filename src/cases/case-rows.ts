import { newId } from '../util/ids.js';
import { HubError } from '../errors.js';
import { execute, query, sql, type TxBody } from '../db/sql.js';
import { eventHash, textDigest } from './event-chain.js';
import { seal } from '../db/personal-data.js';

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

/** Beyond this many lost compare-and-sets in a row, something is wrong; the caller's transaction fails. */
const MAX_CLAIMS = 100;

/**
 * The one writer of case events, and so of the case's hash chain (event-chain.ts, docs/audit.md).
 * Each event claims its seq by a compare-and-set on the case's head (eventCount, lastEventHash)
 * rather than by locking it first: the set is one UPDATE however the caller runs this, in its
 * transaction or statement by statement (recordView, recordRefusal), so two hubs can never chain two
 * events to the same predecessor. On PostgreSQL (read committed) a concurrent writer makes the UPDATE
 * wait for its commit and then match no row, and the next try reads its head; SQLite transactions
 * are serial and win at once. The unique (caseId, seq) index refuses a fork whatever happens. Cost:
 * a read and an update of the case row by its key beside the insert, and two sha256 of a few
 * hundred bytes.
 */
export function* insertEvent(e: EventRow): TxBody<void> {
  const id = e.id ?? newId();
  const fields = {
    id,
    caseId: e.caseId,
    type: e.type,
    fromStatus: e.fromStatus ?? null,
    toStatus: e.toStatus ?? null,
    actor: e.actor ?? 'petitioner',
    textHash: textDigest(e.text ?? null),
    data: e.data ?? null,
    createdAt: e.at,
  };
  for (let attempt = 1; ; attempt++) {
    const [head] = yield* query<{ eventCount: number | bigint; lastEventHash: string | null }>(
      sql`SELECT "eventCount", "lastEventHash" FROM "Case" WHERE "id" = ${e.caseId}`,
    );
    if (!head) throw new HubError('case_not_found', `no case ${e.caseId}`);
    const prevHash = head.lastEventHash;
    const seq = Number(head.eventCount) + 1;
    const hash = eventHash({ ...fields, seq, prevHash });
    const claimed = yield* execute(sql`UPDATE "Case" SET "eventCount" = ${seq}, "lastEventHash" = ${hash}
      WHERE "id" = ${e.caseId} AND "eventCount" = ${seq - 1}`);
    if (claimed === 1) {
      yield* execute(sql`INSERT INTO "CaseEvent" ("id", "caseId", "type", "fromStatus", "toStatus", "actor", "text", "data", "createdAt", "seq", "prevHash", "hash", "textHash")
        VALUES (${id}, ${e.caseId}, ${e.type}, ${fields.fromStatus}, ${fields.toStatus}, ${fields.actor}, ${seal(e.text ?? null)}, ${fields.data}, ${e.at}, ${seq}, ${prevHash}, ${hash}, ${fields.textHash})`);
      return;
    }
    if (attempt === MAX_CLAIMS) throw new HubError('conflict', `case ${e.caseId} changed too often meanwhile; try again`);
  }
}
