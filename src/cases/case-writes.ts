import { newId } from '../util/ids.js';
import { FINISHED_STATUSES, type Details, type Locale } from '../domain.js';
import type { Effect } from '../engine/types.js';
import type { DeadlinePolicy } from './deadlines.js';
import { FollowUpActions } from './follow-up.js';
import { groupSimilar, RecentCases, type GroupingOptions } from './case-groups.js';
import { hashQueryCode } from './query-code.js';
import { enqueueJob } from '../outbox/outbox.js';
import { execute, query, sql, type TxBody } from '../db/sql.js';
import { caseByTrackingNumber, insertEvent, NEW_CASE_HEAD } from './case-rows.js';
import { nextStatus } from './status-machine.js';
import { anonymiseCase } from './anonymise.js';
import { seal } from '../db/personal-data.js';

type FileCase = Extract<Effect, { type: 'file_case' }>;

/** Outbox job kinds that mirror a case elsewhere (see CaseService). */
export interface MirrorKinds {
  kinds: string[];
  eventKinds: string[];
}

/**
 * Paging the duty officer for an emergency: outbox job kinds with the case id as subject — `page`
 * when a case becomes an emergency, `callback` again when a number to call back or a place arrives —
 * and how long before an unacknowledged page escalates to the supervisors.
 */
export interface DutyPaging {
  ackMs: number;
  page: string[];
  callback: string[];
}

export interface CaseWritesDeps {
  deadlines: DeadlinePolicy;
  /** Off when nobody can be paged (no officer side configured). */
  duty?: DutyPaging;
  mirrors?: MirrorKinds;
  /** Possible collective petitions; off when absent. */
  grouping?: GroupingOptions;
}

/**
 * What a petitioner's turn does to cases, as statements of the turn's own transaction: filing,
 * additions, a request for a person, follow-up answers. Plain data in, SQL out, so the same writes
 * run wherever the turn is committed (the hub's thread, or the SQLite writer thread).
 */
export class CaseWrites {
  /** What the petitioner's follow-up answers do to a case. */
  readonly followUps: FollowUpActions;
  /** Recently filed cases as grouping compares them (case-groups.ts). */
  private readonly recentCases = new RecentCases();

  constructor(private readonly deps: CaseWritesDeps) {
    this.followUps = new FollowUpActions({ deadlines: deps.deadlines, mirrors: deps.mirrors });
  }

  /**
   * Filing, as statements of the turn's transaction (run on the driver: see sql-driver.ts). Contact
   * details live on the petitioner and in the case details, never in logs or Slack.
   */
  *file(e: FileCase, origin: { conversationId: string; petitionerId: string; channel: string; language: Locale }, now: Date): TxBody<void> {
    const id = newId();
    const r = e.routing;
    yield* execute(sql`INSERT INTO "Case" ("id", "trackingNumber", "petitionerId", "conversationId", "status", "category", "categoryScore",
      "department", "needsTriage", "routing", "urgency", "language", "channel", "details", "summary", "acceptanceDueAt", "resolutionDueAt", "queryCodeHash", "emergencyEscalateAt", "createdAt", "updatedAt")
      VALUES (${id}, ${e.trackingNumber}, ${origin.petitionerId}, ${origin.conversationId}, ${'submitted'}, ${r.category}, ${r.categoryScore},
      ${r.department}, ${r.needsTriage}, ${r.explanation ? JSON.stringify(r.explanation) : null}, ${e.urgency}, ${origin.language}, ${origin.channel}, ${seal(JSON.stringify(e.details))}, ${seal(e.summary)},
      ${e.acceptanceDueAt}, ${e.resolutionDueAt}, ${hashQueryCode(e.trackingNumber, e.queryCode)}, ${e.emergency ? this.escalateAt(now) : null}, ${now}, ${now})`);
    const events: { type: string; data?: Record<string, unknown> }[] = [
      { type: 'filed', data: { category: r.category, score: r.categoryScore, department: r.department } },
    ];
    if (e.emergency) events.push({ type: 'emergency_escalated', data: { kind: e.emergency } });
    if (e.humanRequested) events.push({ type: 'human_requested' });
    const at = (i: number) => new Date(now.getTime() + i);
    // The case was inserted just now: its chain starts empty, and each event returns the next head.
    let head = NEW_CASE_HEAD;
    for (const [i, ev] of events.entries()) {
      head = yield* insertEvent({ caseId: id, type: ev.type, toStatus: 'submitted', data: ev.data ? JSON.stringify(ev.data) : null, at: at(i) }, head);
    }
    // The matter's messages so far (its intake, this turn) are this case's from now on.
    yield* execute(sql`UPDATE "Message" SET "caseId" = ${id} WHERE "conversationId" = ${origin.conversationId} AND "caseId" IS NULL`);
    for (const kind of this.deps.mirrors?.kinds ?? []) yield* enqueueJob(kind, id, now);
    if (e.emergency) for (const kind of this.deps.duty?.page ?? []) yield* enqueueJob(kind, id, now);
    const grouping = this.deps.grouping;
    if (grouping) yield* groupSimilar({ id, trackingNumber: e.trackingNumber, petitionerId: origin.petitionerId, category: r.category, details: e.details, head }, now, grouping, this.recentCases);
    if (e.details.contactName || e.details.contactPhone) {
      yield* execute(sql`UPDATE "Petitioner" SET "name" = COALESCE(${seal(e.details.contactName ?? null)}, "name"),
        "phone" = COALESCE(${seal(e.details.contactPhone ?? null)}, "phone") WHERE "id" = ${origin.petitionerId}`);
    }
  }

  /** The petitioner adds to a filed case; an answer to "please tell us more" resumes the work. */
  *addInfo(trackingNumber: string, text: string, now: Date): TxBody<void> {
    const c = yield* caseByTrackingNumber(trackingNumber);
    const eventId = newId();
    const head = yield* insertEvent({ id: eventId, caseId: c.id, type: 'info_added', toStatus: c.status, text, at: now }, c.head);
    for (const kind of this.deps.mirrors?.eventKinds ?? []) yield* enqueueJob(kind, eventId, now);
    const from = 'awaiting_petitioner';
    if (c.status !== from) return;
    const to = nextStatus('info_received', from);
    yield* execute(sql`UPDATE "Case" SET "status" = ${to}, "updatedAt" = ${now} WHERE "id" = ${c.id}`);
    yield* insertEvent({ caseId: c.id, type: 'info_received', fromStatus: from, toStatus: to, at: new Date(now.getTime() + 1) }, head);
  }

  /**
   * Details told after filing (after an emergency, a number to call back and where they are) are
   * recorded where the case has none; nothing told before is overwritten. The event names the
   * details, never their values, since events are mirrored to Slack.
   */
  *completeDetails(trackingNumber: string, details: Details, petitionerId: string, now: Date): TxBody<void> {
    const [c] = yield* query<{ id: string; status: string; details: string; urgency: string }>(
      sql`SELECT "id", "status", "details", "urgency" FROM "Case" WHERE "trackingNumber" = ${trackingNumber}`,
    );
    if (!c) return;
    const had = JSON.parse(c.details) as Details;
    const added = (Object.keys(details) as (keyof Details)[]).filter((slot) => details[slot] && !had[slot]);
    if (!added.length) return;
    const merged: Details = { ...had, ...Object.fromEntries(added.map((slot) => [slot, details[slot]])) };
    yield* execute(sql`UPDATE "Case" SET "details" = ${seal(JSON.stringify(merged))}, "updatedAt" = ${now} WHERE "id" = ${c.id}`);
    const eventId = newId();
    yield* insertEvent({ id: eventId, caseId: c.id, type: 'details_added', toStatus: c.status, data: JSON.stringify({ details: added }), at: now });
    for (const kind of this.deps.mirrors?.eventKinds ?? []) yield* enqueueJob(kind, eventId, now);
    // The duty officer is sent the number to call back and the place as soon as they are told.
    if (c.urgency === 'emergency' && (added.includes('contactPhone') || added.includes('location'))) {
      for (const kind of this.deps.duty?.callback ?? []) yield* enqueueJob(kind, c.id, now);
    }
    if (merged.contactName || merged.contactPhone) {
      yield* execute(sql`UPDATE "Petitioner" SET "name" = COALESCE(${seal(details.contactName ?? null)}, "name"),
        "phone" = COALESCE(${seal(details.contactPhone ?? null)}, "phone") WHERE "id" = ${petitionerId}`);
    }
  }

  /**
   * An emergency told after filing: the case becomes an emergency (once), and the duty officer is
   * paged as for one filed as such.
   */
  *escalateEmergency(trackingNumber: string, kind: string, now: Date): TxBody<void> {
    const c = yield* caseByTrackingNumber(trackingNumber);
    const [changed] = yield* query<{ id: string }>(sql`UPDATE "Case" SET "urgency" = ${'emergency'}, "emergencyEscalateAt" = ${this.escalateAt(now)}, "updatedAt" = ${now}
      WHERE "id" = ${c.id} AND "urgency" <> ${'emergency'} RETURNING "id"`);
    if (!changed) return;
    yield* insertEvent({ caseId: c.id, type: 'emergency_escalated', toStatus: c.status, data: JSON.stringify({ kind, afterFiling: true }), at: now }, c.head);
    for (const kind of [...(this.deps.mirrors?.kinds ?? []), ...(this.deps.duty?.page ?? [])]) yield* enqueueJob(kind, c.id, now);
  }

  /**
   * A petitioner's request about their personal data, recorded on the case; a deletion is done now
   * when the case is finished, else recorded as pending and done when it is (Retention).
   */
  *dataRequest(trackingNumber: string, kind: 'copy' | 'erase', now: Date): TxBody<void> {
    const c = yield* caseByTrackingNumber(trackingNumber);
    const [{ anonymisedAt } = { anonymisedAt: null }] = yield* query<{ anonymisedAt: Date | string | null }>(sql`SELECT "anonymisedAt" FROM "Case" WHERE "id" = ${c.id}`);
    const erased = () => anonymiseCase(c.id, new Date(now.getTime() + 1), 'petitioner', 'petitioner_request');
    const done = kind === 'copy' || anonymisedAt !== null || (FINISHED_STATUSES.includes(c.status) && (yield* erased()));
    yield* insertEvent({ caseId: c.id, type: 'data_request', fromStatus: c.status, toStatus: c.status, data: JSON.stringify({ kind, pending: !done && kind === 'erase' }), at: now }, c.head);
  }

  /** When an emergency paged now escalates unless acknowledged; null when nobody can be paged. */
  private escalateAt(now: Date): Date | null {
    return this.deps.duty?.page.length ? new Date(now.getTime() + this.deps.duty.ackMs) : null;
  }

  *requestHuman(trackingNumber: string, now: Date): TxBody<void> {
    const c = yield* caseByTrackingNumber(trackingNumber);
    yield* insertEvent({ caseId: c.id, type: 'human_requested', toStatus: c.status, at: now }, c.head);
  }

}
