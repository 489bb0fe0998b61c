import type { Details } from '../domain.js';
import { enqueueJob } from '../outbox/outbox.js';
import { execute, joinSql, query, sql, type TxBody } from '../db/sql.js';
import { SAME_MATTER } from '../nlu/text-similarity.js';
import { insertEvent } from './case-rows.js';

export interface GroupingOptions {
  /** Petitions filed within this long of each other are compared. */
  windowMs: number;
  /** This many different petitioners (the new one included) make a possible collective petition. */
  minPetitioners: number;
  /** How alike two issue texts of one category are, 0..1 (Nlu.similarity). */
  similarity(a: string, b: string, category: string): number;
  /** Outbox kinds told once of a new group, with the group id as subject (the supervisors' channel). */
  jobs: string[];
}

export interface NewCase {
  id: string;
  petitionerId: string;
  category: string;
  details: Details;
}

interface Recent {
  id: string;
  trackingNumber: string;
  petitionerId: string;
  details: string;
  groupId: string | null;
}

/**
 * The most recent petitions compared: this runs inside the filing transaction, so it must stay
 * short even in a flood of petitions (where it stops at the first one already grouped).
 */
const MAX_COMPARED = 200;

const placeKey = (place: string | undefined) => (place ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Two places are the same when equal, or one names the other and is specific enough (锦绣花园 in 成都市武侯区锦绣花园). */
export function samePlace(a: string | undefined, b: string | undefined): boolean {
  const [x, y] = [placeKey(a), placeKey(b)].sort((p, q) => p.length - q.length);
  if (!x) return false;
  return x === y || ([...x].length >= 5 && y.includes(x));
}

function alike(a: Details, b: Details, category: string, options: GroupingOptions): boolean {
  if (samePlace(a.location, b.location)) return true;
  return Boolean(a.issue && b.issue && options.similarity(a.issue, b.issue, category) >= SAME_MATTER);
}

/**
 * Statements of the filing transaction: a new case joins the group of similar recent petitions from
 * other petitioners (same category, similar issue or same place), or with enough of them starts one.
 * The group's id comes from its earliest case, and the CaseGroup row is inserted once however many
 * instances notice it at the same time; only the transaction that inserted it tells supervisors.
 * Returns the group id, or null.
 */
export function* groupSimilar(c: NewCase, now: Date, options: GroupingOptions): TxBody<string | null> {
  const since = new Date(now.getTime() - options.windowMs);
  const recent = yield* query<Recent>(sql`SELECT "id", "trackingNumber", "petitionerId", "details", "groupId" FROM "Case"
    WHERE "category" = ${c.category} AND "createdAt" >= ${since} AND "id" <> ${c.id} AND "petitionerId" <> ${c.petitionerId}
    ORDER BY "createdAt" DESC, "id" DESC LIMIT ${MAX_COMPARED}`);
  // Newest first; the earliest similar petition (the group's anchor) ends up last.
  const similar: Recent[] = [];
  for (const r of recent) {
    if (!alike(c.details, JSON.parse(r.details) as Details, c.category, options)) continue;
    similar.push(r);
    if (r.groupId) break;
  }
  const existing = similar.at(-1)?.groupId;
  if (existing) {
    yield* execute(sql`UPDATE "Case" SET "groupId" = ${existing} WHERE "id" = ${c.id}`);
    yield* insertEvent({ caseId: c.id, type: 'grouped', actor: 'hub', data: JSON.stringify({ groupId: existing }), at: now });
    return existing;
  }
  const petitioners = new Set(similar.map((r) => r.petitionerId)).size + 1;
  if (petitioners < options.minPetitioners) return null;
  const groupId = `G-${(similar.at(-1) as Recent).trackingNumber}`;
  const [created] = yield* query<{ id: string }>(sql`INSERT INTO "CaseGroup" ("id", "category", "createdAt") VALUES (${groupId}, ${c.category}, ${now})
    ON CONFLICT ("id") DO NOTHING RETURNING "id"`);
  const members = [c.id, ...similar.map((r) => r.id)];
  yield* execute(sql`UPDATE "Case" SET "groupId" = ${groupId} WHERE "groupId" IS NULL AND "id" IN (${joinSql(members.map((id) => sql`${id}`))})`);
  for (const id of members) yield* insertEvent({ caseId: id, type: 'grouped', actor: 'hub', data: JSON.stringify({ groupId }), at: now });
  if (created) for (const kind of options.jobs) yield* enqueueJob(kind, groupId, now);
  return groupId;
}
