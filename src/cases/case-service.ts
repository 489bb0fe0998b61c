import { randomUUID } from 'node:crypto';
import type { Details, Locale } from '../domain.js';
import type { Db, Tx } from '../db/client.js';
import type { CaseSnapshot, Effect } from '../engine/types.js';
import { HubError } from '../errors.js';
import type { HubEventBus } from '../events.js';
import { formatDate, formatDays, t } from '../i18n.js';
import { appendMessages, toView, type Role } from '../conversation/messages.js';
import type { Case } from '../../generated/sqlite/client.js';
import type { DeadlinePolicy } from './deadlines.js';
import { toCaseView, type CaseView } from './case-view.js';
import type { Router } from './routing.js';
import { enqueueJob, type Outbox } from '../outbox/outbox.js';
import { inPrisma, type SqlDb } from '../db/sql-driver.js';
import { execute, sql, type TxBody } from '../db/sql.js';
import { caseByTrackingNumber, insertEvent } from './case-rows.js';
import { nextStatus, TRANSITIONS, type CaseAction, type OfficerAction } from './status-machine.js';

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
}

/** Case lifecycle: filing, the status machine, events, and telling the petitioner on their channel. */
export class CaseService {
  constructor(private readonly deps: Deps) {}

  /**
   * Filing, as statements of the turn's transaction (run on the driver: see sql-driver.ts). Contact
   * details live on the petitioner and in the case details, never in logs or Slack.
   */
  *file(e: FileCase, origin: { conversationId: string; petitionerId: string; channel: string; language: Locale }, now: Date): TxBody<void> {
    const id = randomUUID();
    const r = e.routing;
    yield* execute(sql`INSERT INTO "Case" ("id", "trackingNumber", "petitionerId", "conversationId", "status", "category", "categoryScore",
      "department", "needsTriage", "urgency", "language", "channel", "details", "summary", "acceptanceDueAt", "resolutionDueAt", "createdAt", "updatedAt")
      VALUES (${id}, ${e.trackingNumber}, ${origin.petitionerId}, ${origin.conversationId}, ${'submitted'}, ${r.category}, ${r.categoryScore},
      ${r.department}, ${r.needsTriage}, ${e.urgency}, ${origin.language}, ${origin.channel}, ${JSON.stringify(e.details)}, ${e.summary},
      ${e.acceptanceDueAt}, ${e.resolutionDueAt}, ${now}, ${now})`);
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
    if (e.details.contactName || e.details.contactPhone) {
      yield* execute(sql`UPDATE "Petitioner" SET "name" = COALESCE(${e.details.contactName ?? null}, "name"),
        "phone" = COALESCE(${e.details.contactPhone ?? null}, "phone") WHERE "id" = ${origin.petitionerId}`);
    }
  }

  /** The petitioner adds to a filed case; an answer to "please tell us more" resumes the work. */
  *addInfo(trackingNumber: string, text: string, now: Date): TxBody<void> {
    const c = yield* caseByTrackingNumber(trackingNumber);
    const eventId = randomUUID();
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

  /** The due dates of a case filed at `from`, by the configured time limits and kind of day. */
  dueDates(from: Date): { acceptanceDueAt: Date; resolutionDueAt: Date } {
    return this.deps.deadlines.dueDates(from);
  }

  async snapshot(trackingNumber: string): Promise<CaseSnapshot | null> {
    const [c] = await this.deps.sql.query<
      { trackingNumber: string; status: string; department: string; acceptanceDueAt: Date | string; resolutionDueAt: Date | string }
    >(sql`SELECT "trackingNumber", "status", "department", "acceptanceDueAt", "resolutionDueAt" FROM "Case" WHERE "trackingNumber" = ${trackingNumber}`);
    if (!c) return null;
    return {
      trackingNumber: c.trackingNumber,
      status: c.status,
      department: c.department,
      departmentLabel: this.deps.router.departmentLabel(c.department),
      acceptanceDueAt: new Date(c.acceptanceDueAt),
      resolutionDueAt: new Date(c.resolutionDueAt),
    };
  }

  async view(trackingNumber: string): Promise<CaseView> {
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber } });
    if (!c) throw new HubError('case_not_found', `no case ${trackingNumber}`);
    const transcript = await this.deps.db.message.findMany({ where: { conversationId: c.conversationId }, orderBy: { seq: 'asc' } });
    return toCaseView(c, transcript);
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
    const changes = this.changes(input, c, now);
    const updated = { ...c, ...changes, status: to };
    const notice = this.notice(input.action, updated, text ?? '', input.days);
    const stored = await db.$transaction(async (tx) => {
      // Guarded on the status read above: two officers acting at once cannot both move the case.
      const once = input.action === 'extend' ? { resolutionExtendedAt: null } : {};
      const moved = await tx.case.updateMany({ where: { id: c.id, status: c.status, ...once }, data: { ...changes, status: to } });
      if (moved.count === 0) throw new HubError('conflict', `case ${trackingNumber} changed meanwhile; reload and try again`);
      await this.event(tx, c, input.action, input.actor, now, { toStatus: to, text, data: this.eventData(input, c, updated) });
      await this.mirror(tx, c.id);
      const [row] = await appendMessages(tx, c.conversationId, [{ ...notice, author: input.actor }], now);
      return row;
    });
    events.emit('case.updated', { trackingNumber, action: input.action, status: to, actor: input.actor });
    this.deps.mirrors?.outbox.kick();
    events.emit('message.outbound', { conversationId: c.conversationId, channel: c.channel, message: toView(stored) });
    return this.view(trackingNumber);
  }

  private async mirror(tx: Tx, caseId: string): Promise<void> {
    const m = this.deps.mirrors;
    if (m) for (const kind of m.kinds) await m.outbox.enqueue(kind, caseId, tx);
  }

  private changes(input: ActionInput, c: Case, now: Date): Partial<Case> {
    if (input.action === 'claim') return { assignee: input.actor };
    if (input.action === 'transfer') return { department: input.department, needsTriage: false };
    // The answer period runs from acceptance (and again from a review's reopening), not from filing.
    if (input.action === 'accept' || input.action === 'reopen') return { resolutionDueAt: this.deps.deadlines.resolutionDue(now) };
    if (input.action === 'extend') {
      return { resolutionDueAt: this.deps.deadlines.extended(c.resolutionDueAt, input.days as number), resolutionExtendedAt: now };
    }
    return {};
  }

  private checkExtensionDays(days: number | undefined): void {
    const max = this.deps.deadlines.lengths.extensionMaxDays;
    if (days === undefined || !Number.isInteger(days) || days < 1 || days > max) {
      throw new HubError('invalid_extension_days', `days must be a whole number from 1 to ${max}`);
    }
  }

  private eventData(input: ActionInput, before: Case, after: Case): Record<string, unknown> | undefined {
    if (input.action === 'transfer') return { department: input.department };
    if (input.action !== 'extend') return undefined;
    return { days: input.days, previousDueAt: before.resolutionDueAt.toISOString(), resolutionDueAt: after.resolutionDueAt.toISOString() };
  }

  private notice(action: CaseAction, c: Case, text: string, days = 0): { role: Role; text: string } {
    const l = (c.language === 'en' ? 'en' : 'zh-CN') as Locale;
    const label = this.deps.router.departmentLabel(c.department)[l];
    const { timeZone, kind } = this.deps.deadlines.calendar;
    const dates = { acceptanceDue: formatDate(c.acceptanceDueAt, l, timeZone), resolutionDue: formatDate(c.resolutionDueAt, l, timeZone) };
    const next = t(l, `next.${c.status}`, dates);
    const vars = { trackingNumber: c.trackingNumber, department: label, text, ...dates, next, days: formatDays(days, kind, l) };
    const role: Role = action === 'reply' || action === 'request_info' ? 'officer' : 'system';
    return { role, text: t(l, `notify.${action}`, vars) };
  }

  private event(tx: Tx, c: Case, type: string, actor: string, now: Date, data: { toStatus?: string; text?: string; data?: Record<string, unknown> }) {
    const extra = data.data ? JSON.stringify(data.data) : null;
    return inPrisma(tx, insertEvent({ caseId: c.id, type, fromStatus: c.status, toStatus: data.toStatus ?? c.status, actor, text: data.text ?? null, data: extra, at: now }));
  }
}
