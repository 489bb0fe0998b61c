import type { Details } from '../domain.js';
import { enqueueJob } from '../outbox/outbox.js';
import { execute, joinSql, query, sql, type TxBody } from '../db/sql.js';
import { SAME_MATTER } from '../nlu/text-similarity.js';
import { insertEvent, type ChainHead } from './case-rows.js';
import { LruMap } from '../util/lru-map.js';

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
  trackingNumber: string;
  petitionerId: string;
  category: string;
  details: Details;
  /** Its event chain's end, as filing left it (saves reading it again). */
  head?: ChainHead;
}

/** What grouping compares of a case. Fixed once the case is filed, so it can be kept by id. */
interface Compared {
  trackingNumber: string;
  petitionerId: string;
  details: Pick<Details, 'issue' | 'location'>;
}

interface Recent extends Compared {
  id: string;
  groupId: string | null;
}

/**
 * The most recent petitions compared: this runs inside the filing transaction, so it must stay
 * short even in a flood of petitions (where it stops at the first one already grouped).
 */
const MAX_COMPARED = 200;

/**
 * Recent cases as grouping compares them, so that a filing reads only the ids and groups of up to
 * MAX_COMPARED cases, not all their details again (most of a filing's database time otherwise).
 */
export class RecentCases {
  private readonly byId = new LruMap<string, Compared>(4 * MAX_COMPARED);

  remember(id: string, c: Compared): void {
    this.byId.set(id, c);
  }

  /** The cases of `ids`, read from the database for those not remembered. */
  *get(ids: string[]): TxBody<Map<string, Compared>> {
    const found = new Map<string, Compared>();
    const missing: string[] = [];
    for (const id of ids) {
      const c = this.byId.get(id);
      if (c) found.set(id, c);
      else missing.push(id);
    }
    if (missing.length) {
      const rows = yield* query<{ id: string; trackingNumber: string; petitionerId: string; details: string }>(
        sql`SELECT "id", "trackingNumber", "petitionerId", "details" FROM "Case" WHERE "id" IN (${joinSql(missing.map((id) => sql`${id}`))})`,
      );
      for (const r of rows) {
        const { issue, location } = JSON.parse(r.details) as Details;
        const c = { trackingNumber: r.trackingNumber, petitionerId: r.petitionerId, details: { issue, location } };
        this.remember(r.id, c);
        found.set(r.id, c);
      }
    }
    return found;
  }
}

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
export function* groupSimilar(c: NewCase, now: Date, options: GroupingOptions, recentCases: RecentCases): TxBody<string | null> {
  recentCases.remember(c.id, { trackingNumber: c.trackingNumber, petitionerId: c.petitionerId, details: c.details });
  const since = new Date(now.getTime() - options.windowMs);
  const rows = yield* query<{ id: string; groupId: string | null }>(sql`SELECT "id", "groupId" FROM "Case"
    WHERE "category" = ${c.category} AND "createdAt" >= ${since} AND "id" <> ${c.id} AND "petitionerId" <> ${c.petitionerId}
    ORDER BY "createdAt" DESC, "id" DESC LIMIT ${MAX_COMPARED}`);
  const known = yield* recentCases.get(rows.map((r) => r.id));
  const recent: Recent[] = rows.flatMap((r) => {
    const k = known.get(r.id);
    return k ? [{ id: r.id, groupId: r.groupId, ...k }] : [];
  });
  // Newest first; the earliest similar petition (the group's anchor) ends up last.
  const similar: Recent[] = [];
  for (const r of recent) {
    if (!alike(c.details, r.details, c.category, options)) continue;
    similar.push(r);
    if (r.groupId) break;
  }
  const existing = similar.at(-1)?.groupId;
  if (existing) {
    yield* execute(sql`UPDATE "Case" SET "groupId" = ${existing} WHERE "id" = ${c.id}`);
    yield* insertEvent({ caseId: c.id, type: 'grouped', actor: 'hub', data: JSON.stringify({ groupId: existing }), at: now }, c.head);
    return existing;
  }
  const petitioners = new Set(similar.map((r) => r.petitionerId)).size + 1;
  if (petitioners < options.minPetitioners) return null;
  const groupId = `G-${(similar.at(-1) as Recent).trackingNumber}`;
  const [created] = yield* query<{ id: string }>(sql`INSERT INTO "CaseGroup" ("id", "category", "createdAt") VALUES (${groupId}, ${c.category}, ${now})
    ON CONFLICT ("id") DO NOTHING RETURNING "id"`);
  const members = [c.id, ...similar.map((r) => r.id)];
  yield* execute(sql`UPDATE "Case" SET "groupId" = ${groupId} WHERE "groupId" IS NULL AND "id" IN (${joinSql(members.map((id) => sql`${id}`))})`);
  for (const id of members) yield* insertEvent({ caseId: id, type: 'grouped', actor: 'hub', data: JSON.stringify({ groupId }), at: now }, id === c.id ? c.head : undefined);
  if (created) for (const kind of options.jobs) yield* enqueueJob(kind, groupId, now);
  return groupId;
}
