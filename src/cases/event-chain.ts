import { createHash } from 'node:crypto';
import type { Logger } from '../logger.js';
import type { SqlDb } from '../db/sql-driver.js';
import { execute, joinSql, query, sql, type TxBody } from '../db/sql.js';

/**
 * The tamper-evident history of a case. Each CaseEvent carries its place in the case's chain (seq
 * 1, 2, …), the hash of the event before it and its own hash over its fields and that previous hash,
 * and the case row carries the head (eventCount, lastEventHash). Editing, deleting, inserting or
 * reordering an event behind the hub's back then shows as a broken link, and deleting the newest
 * events as a head that points past the end. insertEvent (case-rows.ts) writes the links; this file
 * has the hash, the one-off sealing of events written before the chain, and the check behind
 * `npm run audit:verify` (docs/audit.md).
 */

/** Part of every hash: a later change of the encoding can be told from tampering. */
const ENCODING = 'case-event/1';

/** What an event's hash covers, in this order. */
export interface ChainFields {
  id: string;
  caseId: string;
  seq: number;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  /** textDigest(text), not the text: anonymisation may scrub the text and the chain still holds. */
  textHash: string | null;
  data: string | null;
  createdAt: Date;
  prevHash: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The drivers store a lone UTF-16 surrogate as U+FFFD; hashing what is read back must give what
 * hashing what was written gave.
 */
const stored = (s: string) => (/\p{Surrogate}/u.test(s) ? Buffer.from(s, 'utf8').toString('utf8') : s);

export function textDigest(text: string | null): string | null {
  return text === null ? null : sha256(stored(text));
}

/** sha256 of a JSON array in fixed field order (no key-order or whitespace questions), dates to the millisecond. */
export function eventHash(f: ChainFields): string {
  return sha256(
    JSON.stringify([
      ENCODING,
      f.caseId,
      f.seq,
      f.id,
      f.type,
      f.fromStatus === null ? null : stored(f.fromStatus),
      f.toStatus === null ? null : stored(f.toStatus),
      stored(f.actor),
      f.textHash,
      f.data === null ? null : stored(f.data),
      f.createdAt.toISOString(),
      f.prevHash,
    ]),
  );
}

/**
 * Event types after which earlier events' texts may differ from what was written: anonymisation
 * (retention) scrubs them in the transaction that chains its own event. The rest of those events
 * (type, actor, time, statuses, data, text digest) stays covered.
 */
export const REDACTING_EVENTS: ReadonlySet<string> = new Set(['anonymised']);

/** A date column as either driver returns it: a Date (PostgreSQL), ISO text or epoch ms (SQLite). */
export function storedDate(v: Date | string | number): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  // SQLite's CURRENT_TIMESTAMP form has no zone and means UTC.
  return new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(v) ? `${v.replace(' ', 'T')}Z` : v);
}

/** A CaseEvent row as the drivers return it. */
export interface EventRecord {
  id: string;
  caseId: string;
  seq: number | bigint | null;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: string;
  text: string | null;
  data: string | null;
  createdAt: Date | string | number;
  prevHash: string | null;
  hash: string | null;
  textHash: string | null;
}

const EVENT_COLUMNS = sql`"id", "caseId", "seq", "type", "fromStatus", "toStatus", "actor", "text", "data", "createdAt", "prevHash", "hash", "textHash"`;

const byTimeThenId = (a: EventRecord, b: EventRecord) => storedDate(a.createdAt).getTime() - storedDate(b.createdAt).getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// ---------------------------------------------------------------------------------------------
// Sealing: events written before the chain existed (or by a hub of an older version meanwhile).

const SEAL_PAGE = 200;

/**
 * Chains every event that has no hash yet, once, at start after the migrations: per case, in one
 * transaction, appended after the case's chain in (createdAt, id) order. Idempotent; when there is
 * nothing to do it reads one empty partial index (CaseEvent_unsealed_idx). A case that cannot be
 * sealed is logged and left for `npm run audit:verify` to report; the hub starts anyway.
 */
export async function sealLegacyEvents(db: SqlDb, logger?: Pick<Logger, 'info' | 'error'>): Promise<{ cases: number; events: number }> {
  let cases = 0;
  let events = 0;
  let after = '';
  for (;;) {
    const page = await db.query<{ caseId: string }>(sql`SELECT DISTINCT "caseId" FROM "CaseEvent"
      WHERE "hash" IS NULL AND "caseId" > ${after} ORDER BY "caseId" LIMIT ${SEAL_PAGE}`);
    for (const { caseId } of page) {
      try {
        const sealed = await db.transaction(() => sealCase(caseId));
        if (sealed) {
          cases++;
          events += sealed;
        }
      } catch (err) {
        logger?.error({ err, caseId }, 'could not chain the case events written before the chain');
      }
    }
    if (page.length < SEAL_PAGE) break;
    after = page[page.length - 1].caseId;
  }
  if (cases) logger?.info({ cases, events }, 'chained case events written before the chain');
  return { cases, events };
}

function* sealCase(caseId: string): TxBody<number> {
  // A no-op update for its row lock: a hub writing an event for this case meanwhile waits (its
  // compare-and-set on eventCount then fails and retries on top of what is sealed here).
  const [head] = yield* query<{ eventCount: number | bigint; lastEventHash: string | null }>(
    sql`UPDATE "Case" SET "eventCount" = "eventCount" WHERE "id" = ${caseId} RETURNING "eventCount", "lastEventHash"`,
  );
  if (!head) return 0;
  const loose = yield* query<EventRecord>(sql`SELECT ${EVENT_COLUMNS} FROM "CaseEvent" WHERE "caseId" = ${caseId} AND "hash" IS NULL`);
  if (!loose.length) return 0;
  loose.sort(byTimeThenId);
  let seq = Number(head.eventCount);
  let prevHash = head.lastEventHash;
  for (const e of loose) {
    seq++;
    const textHash = textDigest(e.text);
    const hash = eventHash({ ...e, seq, textHash, createdAt: storedDate(e.createdAt), prevHash });
    yield* execute(sql`UPDATE "CaseEvent" SET "seq" = ${seq}, "prevHash" = ${prevHash}, "hash" = ${hash}, "textHash" = ${textHash}
      WHERE "id" = ${e.id} AND "hash" IS NULL`);
    prevHash = hash;
  }
  yield* execute(sql`UPDATE "Case" SET "eventCount" = ${seq}, "lastEventHash" = ${prevHash} WHERE "id" = ${caseId}`);
  return loose.length;
}

// ---------------------------------------------------------------------------------------------
// Verification.

export interface ChainBreak {
  caseId: string;
  trackingNumber: string;
  /** Where the chain breaks: the seq of the event found wrong, or of the one that is missing. */
  seq: number | null;
  /** The event found wrong; null when the event is missing. */
  eventId: string | null;
  problem: string;
}

export interface VerifyReport {
  cases: number;
  events: number;
  /** Texts scrubbed by an anonymisation chained after them: expected, not breaks. */
  redacted: number;
  /** The first break of each broken case. */
  breaks: ChainBreak[];
}

const VERIFY_PAGE = 200;

/**
 * Walks every case's chain: seq 1, 2, … without gaps, each prevHash the hash before it, each hash
 * recomputed from the row, each text matching its digest, and the case's head (eventCount,
 * lastEventHash) on the last event. A page of cases is read in one snapshot, so events a running
 * hub writes meanwhile are never half seen.
 */
export async function verifyChains(db: SqlDb): Promise<VerifyReport> {
  const report: VerifyReport = { cases: 0, events: 0, redacted: 0, breaks: [] };
  let after = '';
  for (;;) {
    const page = await db.transaction(function* () {
      if (db.provider === 'postgresql') yield* execute(sql`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
      const cases = yield* query<CaseHead>(sql`SELECT "id", "trackingNumber", "eventCount", "lastEventHash" FROM "Case"
        WHERE "id" > ${after} ORDER BY "id" LIMIT ${VERIFY_PAGE}`);
      const events = cases.length
        ? yield* query<EventRecord>(sql`SELECT ${EVENT_COLUMNS} FROM "CaseEvent" WHERE "caseId" IN (${joinSql(cases.map((c) => sql`${c.id}`))})`)
        : [];
      return { cases, events };
    });
    const byCase = new Map<string, EventRecord[]>();
    for (const e of page.events) {
      const list = byCase.get(e.caseId);
      if (list) list.push(e);
      else byCase.set(e.caseId, [e]);
    }
    for (const c of page.cases) {
      const events = byCase.get(c.id) ?? [];
      report.cases++;
      report.events += events.length;
      const checked = verifyCase(c, events);
      report.redacted += checked.redacted;
      if (checked.broken) report.breaks.push(checked.broken);
    }
    if (page.cases.length < VERIFY_PAGE) break;
    after = page.cases[page.cases.length - 1].id;
  }
  return report;
}

interface CaseHead {
  id: string;
  trackingNumber: string;
  eventCount: number | bigint;
  lastEventHash: string | null;
}

function verifyCase(c: CaseHead, events: EventRecord[]): { broken: ChainBreak | null; redacted: number } {
  const at = (seq: number | null, eventId: string | null, problem: string) => ({ caseId: c.id, trackingNumber: c.trackingNumber, seq, eventId, problem });
  const chained = events.filter((e) => e.seq !== null).sort((a, b) => Number(a.seq) - Number(b.seq));
  const loose = events.filter((e) => e.seq === null).sort(byTimeThenId);
  // Texts before the last chained anonymisation may have been scrubbed by it.
  let redactedBefore = 0;
  for (const e of chained) if (REDACTING_EVENTS.has(e.type)) redactedBefore = Number(e.seq);
  let redacted = 0;
  let prevHash: string | null = null;
  let expected = 1;
  for (const e of chained) {
    const seq = Number(e.seq);
    if (seq !== expected) {
      return { broken: at(expected, null, `event seq ${expected} is missing (deleted?); the next is seq ${seq}, event ${e.id}`), redacted };
    }
    if (e.prevHash !== prevHash) {
      return { broken: at(seq, e.id, `prevHash is not the hash of seq ${seq - 1}: events deleted, inserted or reordered`), redacted };
    }
    if (textDigest(e.text) !== e.textHash) {
      if (seq < redactedBefore) redacted++;
      else return { broken: at(seq, e.id, 'text differs from what was written'), redacted };
    }
    if (!e.hash || eventHash({ ...e, seq, createdAt: storedDate(e.createdAt) }) !== e.hash) {
      return { broken: at(seq, e.id, 'fields differ from what was written (type, statuses, actor, data, time, seq or hash)'), redacted };
    }
    prevHash = e.hash;
    expected++;
  }
  if (loose.length) {
    return { broken: at(null, loose[0].id, `${loose.length} event(s) not in the chain (written behind the hub's back, or not sealed yet)`), redacted };
  }
  const count = Number(c.eventCount);
  const last = chained.at(-1);
  if (count > chained.length) {
    return { broken: at(chained.length + 1, null, `the case has ${count} events but its chain ends at seq ${chained.length}: the newest were deleted`), redacted };
  }
  if (count < chained.length) {
    const beyond = chained[count];
    return { broken: at(count + 1, beyond.id, `the chain goes past the case's head (eventCount ${count}): events added behind the hub's back, or the head rolled back`), redacted };
  }
  if (c.lastEventHash !== prevHash) {
    return { broken: at(last ? chained.length : null, last?.id ?? null, "the case's lastEventHash is not the hash of its last event"), redacted };
  }
  return { broken: null, redacted };
}
