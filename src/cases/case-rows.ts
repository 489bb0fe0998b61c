import { newId } from '../util/ids.js';
import { HubError } from '../errors.js';
import { dialect, execute, query, sql, type TxBody } from '../db/sql.js';
import { eventHash, textDigest } from './event-chain.js';
import { seal } from '../db/personal-data.js';

/** Statements on cases shared by the turn path (driver) and officer actions (Prisma). */

/** A case by its number, with the head of its event chain (for insertEvent). */
export function* caseByTrackingNumber(trackingNumber: string): TxBody<{ id: string; status: string; head: ChainHead }> {
  const [c] = yield* query<{ id: string; status: string; eventCount: number | bigint; lastEventHash: string | null }>(
    sql`SELECT "id", "status", "eventCount", "lastEventHash" FROM "Case" WHERE "trackingNumber" = ${trackingNumber}`,
  );
  if (!c) throw new HubError('case_not_found', `no case ${trackingNumber}`);
  return { id: c.id, status: c.status, head: { eventCount: Number(c.eventCount), lastEventHash: c.lastEventHash } };
}

/** The end of a case's event chain: how many events it has and the hash of the last (Case.eventCount, lastEventHash). */
export interface ChainHead {
  eventCount: number;
  lastEventHash: string | null;
}

/** The head of a case just inserted: no events yet. */
export const NEW_CASE_HEAD: ChainHead = { eventCount: 0, lastEventHash: null };

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
 *
 * `head` is the chain's end as the caller last saw it (read with the case in this transaction, or
 * returned by the previous insertEvent on it): the read is then skipped, and if someone chained an
 * event since, the claim fails and the next try reads. On PostgreSQL the claim and the insert are one
 * statement. Returns the new head, for the next event on the same case.
 */
export function* insertEvent(e: EventRow, head?: ChainHead): TxBody<ChainHead> {
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
  const oneStatement = (yield* dialect()) === 'postgresql';
  let known = head;
  for (let attempt = 1; ; attempt++) {
    const { eventCount, lastEventHash: prevHash } = known ?? (yield* readHead(e.caseId));
    known = undefined;
    const seq = eventCount + 1;
    const hash = eventHash({ ...fields, seq, prevHash });
    const claim = sql`UPDATE "Case" SET "eventCount" = ${seq}, "lastEventHash" = ${hash} WHERE "id" = ${e.caseId} AND "eventCount" = ${seq - 1}`;
    const text = seal(e.text ?? null);
    const claimed = oneStatement
      ? yield* execute(sql`WITH "claim" AS (${claim} RETURNING "id")
          INSERT INTO "CaseEvent" ("id", "caseId", "type", "fromStatus", "toStatus", "actor", "text", "data", "createdAt", "seq", "prevHash", "hash", "textHash")
          SELECT ${id}::text, "claim"."id", ${e.type}::text, ${fields.fromStatus}::text, ${fields.toStatus}::text, ${fields.actor}::text, ${text}::text, ${fields.data}::text,
            ${e.at}::timestamp(3), ${seq}::int, ${prevHash}::text, ${hash}::text, ${fields.textHash}::text FROM "claim"`)
      : yield* execute(claim);
    if (claimed === 1) {
      if (!oneStatement) {
        yield* execute(sql`INSERT INTO "CaseEvent" ("id", "caseId", "type", "fromStatus", "toStatus", "actor", "text", "data", "createdAt", "seq", "prevHash", "hash", "textHash")
          VALUES (${id}, ${e.caseId}, ${e.type}, ${fields.fromStatus}, ${fields.toStatus}, ${fields.actor}, ${text}, ${fields.data}, ${e.at}, ${seq}, ${prevHash}, ${hash}, ${fields.textHash})`);
      }
      return { eventCount: seq, lastEventHash: hash };
    }
    if (attempt === MAX_CLAIMS) throw new HubError('conflict', `case ${e.caseId} changed too often meanwhile; try again`);
  }
}

function* readHead(caseId: string): TxBody<ChainHead> {
  const [head] = yield* query<{ eventCount: number | bigint; lastEventHash: string | null }>(sql`SELECT "eventCount", "lastEventHash" FROM "Case" WHERE "id" = ${caseId}`);
  if (!head) throw new HubError('case_not_found', `no case ${caseId}`);
  return { eventCount: Number(head.eventCount), lastEventHash: head.lastEventHash };
}
