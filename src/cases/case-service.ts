import { newId } from '../util/ids.js';
import type { Details, Locale } from '../domain.js';
import type { Db, Tx } from '../db/client.js';
import type { Effect } from '../engine/types.js';
import { HubError } from '../errors.js';
import type { HubEventBus } from '../events.js';
import { appendMessages, toView } from '../conversation/messages.js';
import type { Case } from '../../generated/sqlite/client.js';
import type { DeadlinePolicy } from './deadlines.js';
import { toCaseView, type CaseView } from './case-view.js';
import { CaseReads } from './case-reads.js';
import { FollowUpActions } from './follow-up.js';
import { groupSimilar, RecentCases, type GroupingOptions } from './case-groups.js';
import { hashQueryCode } from './query-code.js';
import { actionChanges, actionEventData } from './action-changes.js';
import { officerNotices } from './case-notices.js';
import type { Router } from './routing.js';
import { enqueueJob, type Outbox } from '../outbox/outbox.js';
import { inPrisma, type SqlDb } from '../db/sql-driver.js';
import { execute, sql, type TxBody } from '../db/sql.js';
import { caseByTrackingNumber, insertEvent } from './case-rows.js';
import { nextStatus, TRANSITIONS, type OfficerAction } from './status-machine.js';

type FileCase = Extract<Effect, { type: 'file_case' }>;

export interface ActionInput {
  action: OfficerAction;
  actor: string;
  text?: string;
  department?: string;
  /** extend: by how many days (of the configured kind). */
  days?: number;
}

interface Deps {
  db: Db;
  /** The driver, for what runs on every turn. */
  sql: SqlDb;
  /**
   * Outbox job kinds that mirror a case elsewhere: `kinds` (a Slack card) are enqueued with every
   * change of the case, `eventKinds` (a Slack thread) with everything the petitioner adds.
   */
  mirrors?: { outbox: Outbox; kinds: string[]; eventKinds: string[] };
  router: Router;
  events: HubEventBus;
  deadlines: DeadlinePolicy;
  now: () => Date;
  /** A resolved case without follow-up answers is closed this long after the resolution (default 7 days). */
  feedbackTimeoutMs?: number;
  /** Possible collective petitions; off when absent. */
  grouping?: GroupingOptions;
}


/** Case lifecycle: filing, the status machine, events, and telling the petitioner on their channel. */
export class CaseService {
  /** What turns read about cases (driver). */
  readonly reads: CaseReads;
  /** What the petitioner's follow-up answers do to a case (statements of the turn). */
  readonly followUps: FollowUpActions;

  /** Recently filed cases as grouping compares them (case-groups.ts). */
  private readonly recentCases = new RecentCases();

  constructor(private readonly deps: Deps) {
    this.reads = new CaseReads(deps);
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
      "department", "needsTriage", "urgency", "language", "channel", "details", "summary", "acceptanceDueAt", "resolutionDueAt", "queryCodeHash", "createdAt", "updatedAt")
      VALUES (${id}, ${e.trackingNumber}, ${origin.petitionerId}, ${origin.conversationId}, ${'submitted'}, ${r.category}, ${r.categoryScore},
      ${r.department}, ${r.needsTriage}, ${e.urgency}, ${origin.language}, ${origin.channel}, ${JSON.stringify(e.details)}, ${e.summary},
      ${e.acceptanceDueAt}, ${e.resolutionDueAt}, ${hashQueryCode(e.trackingNumber, e.queryCode)}, ${now}, ${now})`);
    const events: { type: string; data?: Record<string, unknown> }[] = [
      { type: 'filed', data: { category: r.category, score: r.categoryScore, department: r.department } },
    ];
    if (e.emergency) events.push({ type: 'emergency_escalated', data: { kind: e.emergency } });
    if (e.humanRequested) events.push({ type: 'human_requested' });
    const at = (i: number) => new Date(now.getTime() + i);
    for (const [i, ev] of events.entries()) {
      yield* insertEvent({ caseId: id, type: ev.type, toStatus: 'submitted', data: ev.data ? JSON.stringify(ev.data) : null, at: at(i) });
    }
    for (const kind of this.deps.mirrors?.kinds ?? []) yield* enqueueJob(kind, id, now);
    const grouping = this.deps.grouping;
    if (grouping) yield* groupSimilar({ id, trackingNumber: e.trackingNumber, petitionerId: origin.petitionerId, category: r.category, details: e.details }, now, grouping, this.recentCases);
    if (e.details.contactName || e.details.contactPhone) {
      yield* execute(sql`UPDATE "Petitioner" SET "name" = COALESCE(${e.details.contactName ?? null}, "name"),
        "phone" = COALESCE(${e.details.contactPhone ?? null}, "phone") WHERE "id" = ${origin.petitionerId}`);
    }
  }

  /** The petitioner adds to a filed case; an answer to "please tell us more" resumes the work. */
  *addInfo(trackingNumber: string, text: string, now: Date): TxBody<void> {
    const c = yield* caseByTrackingNumber(trackingNumber);
    const eventId = newId();
    yield* insertEvent({ id: eventId, caseId: c.id, type: 'info_added', toStatus: c.status, text, at: now });
    for (const kind of this.deps.mirrors?.eventKinds ?? []) yield* enqueueJob(kind, eventId, now);
    const from = 'awaiting_petitioner';
    if (c.status !== from) return;
    const to = nextStatus('info_received', from);
    yield* execute(sql`UPDATE "Case" SET "status" = ${to}, "updatedAt" = ${now} WHERE "id" = ${c.id}`);
    yield* insertEvent({ caseId: c.id, type: 'info_received', fromStatus: from, toStatus: to, at: new Date(now.getTime() + 1) });
  }

  *requestHuman(trackingNumber: string, now: Date): TxBody<void> {
    const c = yield* caseByTrackingNumber(trackingNumber);
    yield* insertEvent({ caseId: c.id, type: 'human_requested', toStatus: c.status, at: now });
  }

  /** The configured time limits and kind of day: the one source of every due date. */
  get deadlines(): DeadlinePolicy {
    return this.deps.deadlines;
  }

  async view(trackingNumber: string): Promise<CaseView> {
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber } });
    if (!c) throw new HubError('case_not_found', `no case ${trackingNumber}`);
    const transcript = await this.deps.db.message.findMany({ where: { conversationId: c.conversationId }, orderBy: { seq: 'asc' } });
    const members = c.groupId
      ? await this.deps.db.case.findMany({ where: { groupId: c.groupId }, orderBy: { createdAt: 'asc' }, select: { trackingNumber: true } })
      : [];
    const group = c.groupId ? { id: c.groupId, size: members.length, trackingNumbers: members.map((m) => m.trackingNumber) } : null;
    return toCaseView(c, transcript, group);
  }

  /** An officer's action: one transition, one event, one message to the petitioner, then the push. */
  async act(trackingNumber: string, input: ActionInput): Promise<CaseView> {
    const rule = TRANSITIONS[input.action];
    const text = input.text?.trim();
    if (rule.needsText && !text) throw new HubError('missing_text', `the action ${input.action} needs a text for the petitioner`);
    if (input.action === 'extend') this.checkExtensionDays(input.days);
    if (input.action === 'transfer') {
      if (!input.department) throw new HubError('missing_department', 'transfer needs a department');
      if (!this.deps.router.hasDepartment(input.department)) {
        throw new HubError('unknown_department', `unknown department ${input.department}`);
      }
    }
    const { db, events } = this.deps;
    const now = this.deps.now();
    const c = await db.case.findUnique({ where: { trackingNumber } });
    if (!c) throw new HubError('case_not_found', `no case ${trackingNumber}`);
    const to = nextStatus(input.action, c.status);
    if (input.action === 'extend' && c.resolutionExtendedAt) {
      throw new HubError('extension_already_used', `the answer period of ${trackingNumber} was already extended once; it cannot be extended again`);
    }
    if (input.action === 'transfer' && this.deps.router.complainedAbout(JSON.parse(c.details) as Details).includes(input.department as string)) {
      throw new HubError('complaint_about_department', 'the complaint is about this department; it cannot handle the case');
    }
    const changes = actionChanges(input, c, now, this.deps);
    const updated = { ...c, ...changes, status: to };
    const notices = officerNotices(input.action, updated, { text: text ?? '', days: input.days }, this.deps);
    const stored = await db.$transaction(async (tx) => {
      // Guarded on the status read above: two officers acting at once cannot both move the case.
      const once = input.action === 'extend' ? { resolutionExtendedAt: null } : {};
      const moved = await tx.case.updateMany({ where: { id: c.id, status: c.status, ...once }, data: { ...changes, status: to } });
      if (moved.count === 0) throw new HubError('conflict', `case ${trackingNumber} changed meanwhile; reload and try again`);
      await this.event(tx, c, input.action, input.actor, now, { toStatus: to, text, data: actionEventData(input, c, updated) });
      await this.mirror(tx, c.id);
      return appendMessages(tx, c.conversationId, notices.map((n) => ({ ...n, author: input.actor })), now);
    });
    events.emit('case.updated', { trackingNumber, action: input.action, status: to, actor: input.actor });
    this.deps.mirrors?.outbox.kick();
    for (const row of stored) events.emit('message.outbound', { conversationId: c.conversationId, channel: c.channel, message: toView(row) });
    return this.view(trackingNumber);
  }

  private async mirror(tx: Tx, caseId: string): Promise<void> {
    const m = this.deps.mirrors;
    if (m) for (const kind of m.kinds) await m.outbox.enqueue(kind, caseId, tx);
  }

  private checkExtensionDays(days: number | undefined): void {
    const max = this.deps.deadlines.lengths.extensionMaxDays;
    if (days === undefined || !Number.isInteger(days) || days < 1 || days > max) {
      throw new HubError('invalid_extension_days', `days must be a whole number from 1 to ${max}`);
    }
  }

  private event(tx: Tx, c: Case, type: string, actor: string, now: Date, data: { toStatus?: string; text?: string; data?: Record<string, unknown> }) {
    const extra = data.data ? JSON.stringify(data.data) : null;
    return inPrisma(tx, insertEvent({ caseId: c.id, type, fromStatus: c.status, toStatus: data.toStatus ?? c.status, actor, text: data.text ?? null, data: extra, at: now }));
  }
}
