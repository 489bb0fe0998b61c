import { randomUUID } from 'node:crypto';
import type { Details, Locale } from '../domain.js';
import type { Db, Tx } from '../db/client.js';
import type { CaseSnapshot, Effect } from '../engine/types.js';
import { HubError } from '../errors.js';
import type { HubEventBus } from '../events.js';
import { formatDate, t } from '../i18n.js';
import { appendMessages, toView, type Role } from '../conversation/messages.js';
import type { Case } from '../../generated/sqlite/client.js';
import { dueDates } from './deadlines.js';
import { toCaseView, type CaseView } from './case-view.js';
import type { Router } from './routing.js';
import type { Outbox } from '../outbox/outbox.js';
import { nextStatus, TRANSITIONS, type CaseAction, type OfficerAction } from './status-machine.js';

type FileCase = Extract<Effect, { type: 'file_case' }>;

export interface ActionInput {
  action: OfficerAction;
  actor: string;
  text?: string;
  department?: string;
}

interface Deps {
  db: Db;
  /**
   * Outbox job kinds that mirror a case elsewhere: `kinds` (a Slack card) are enqueued with every
   * change of the case, `eventKinds` (a Slack thread) with everything the petitioner adds.
   */
  mirrors?: { outbox: Outbox; kinds: string[]; eventKinds: string[] };
  router: Router;
  events: HubEventBus;
  acceptanceDays: number;
  resolutionDays: number;
  now: () => Date;
}

/** Case lifecycle: filing, the status machine, events, and telling the petitioner on their channel. */
export class CaseService {
  constructor(private readonly deps: Deps) {}

  /** Inside a conversation turn's transaction. */
  async file(tx: Tx, e: FileCase, origin: { conversationId: string; petitionerId: string; channel: string; language: Locale }, now: Date) {
    const id = randomUUID();
    await tx.case.create({
      data: {
        id,
        trackingNumber: e.trackingNumber,
        petitionerId: origin.petitionerId,
        conversationId: origin.conversationId,
        status: 'submitted',
        category: e.routing.category,
        categoryScore: e.routing.categoryScore,
        department: e.routing.department,
        needsTriage: e.routing.needsTriage,
        urgency: e.urgency,
        language: origin.language,
        channel: origin.channel,
        details: JSON.stringify(e.details),
        summary: e.summary,
        acceptanceDueAt: e.acceptanceDueAt,
        resolutionDueAt: e.resolutionDueAt,
        createdAt: now,
      },
    });
    const events: { type: string; data?: Record<string, unknown> }[] = [
      { type: 'filed', data: { category: e.routing.category, score: e.routing.categoryScore, department: e.routing.department } },
    ];
    if (e.emergency) events.push({ type: 'emergency_escalated', data: { kind: e.emergency } });
    if (e.humanRequested) events.push({ type: 'human_requested' });
    await tx.caseEvent.createMany({
      data: events.map((ev, i) => ({
        id: randomUUID(),
        caseId: id,
        type: ev.type,
        toStatus: 'submitted',
        actor: 'petitioner',
        data: ev.data ? JSON.stringify(ev.data) : null,
        createdAt: new Date(now.getTime() + i),
      })),
    });
    await this.mirror(tx, id);
    // Contact details live on the petitioner (and in the case details), never in logs or Slack.
    if (e.details.contactName || e.details.contactPhone) {
      await tx.petitioner.update({
        where: { id: origin.petitionerId },
        data: { name: e.details.contactName ?? undefined, phone: e.details.contactPhone ?? undefined },
      });
    }
  }

  /**
   * The petitioner adds to a filed case; an answer to "please tell us more" resumes the work. Plain
   * SQL: this runs on most turns after filing (see appendMessageBatch for why).
   */
  async addInfo(tx: Tx, trackingNumber: string, text: string, now: Date): Promise<void> {
    const eventId = randomUUID();
    const added = await this.eventByTrackingNumber(tx, trackingNumber, 'info_added', text, now, undefined, eventId);
    if (added === 0) throw new HubError('case_not_found', `no case ${trackingNumber}`);
    const m = this.deps.mirrors;
    if (m) for (const kind of m.eventKinds) await m.outbox.enqueue(kind, eventId, tx);
    const from = 'awaiting_petitioner';
    const to = nextStatus('info_received', from);
    const resumed = await tx.$executeRaw`UPDATE "Case" SET "status" = ${to}, "updatedAt" = ${now} WHERE "trackingNumber" = ${trackingNumber} AND "status" = ${from}`;
    if (resumed) await this.eventByTrackingNumber(tx, trackingNumber, 'info_received', null, new Date(now.getTime() + 1), from);
  }

  async requestHuman(tx: Tx, trackingNumber: string, now: Date): Promise<void> {
    await this.eventByTrackingNumber(tx, trackingNumber, 'human_requested', null, now);
  }

  /** A petitioner's event on a case, recorded with the status the case has (or had: `from`). */
  private eventByTrackingNumber(tx: Tx, trackingNumber: string, type: string, text: string | null, now: Date, from?: string, id = randomUUID()) {
    return tx.$executeRaw`INSERT INTO "CaseEvent" ("id", "caseId", "type", "fromStatus", "toStatus", "actor", "text", "createdAt")
      SELECT ${id}, "id", ${type}, ${from ?? null}, "status", ${'petitioner'}, ${text}, ${now} FROM "Case" WHERE "trackingNumber" = ${trackingNumber}`;
  }

  async snapshot(trackingNumber: string): Promise<CaseSnapshot | null> {
    const [c] = await this.deps.db.$queryRaw<
      { trackingNumber: string; status: string; department: string; acceptanceDueAt: Date | string; resolutionDueAt: Date | string }[]
    >`SELECT "trackingNumber", "status", "department", "acceptanceDueAt", "resolutionDueAt" FROM "Case" WHERE "trackingNumber" = ${trackingNumber}`;
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
    if (input.action === 'transfer' && this.deps.router.complainedAbout(JSON.parse(c.details) as Details).includes(input.department as string)) {
      throw new HubError('complaint_about_department', 'the complaint is about this department; it cannot handle the case');
    }
    const changes = this.changes(input, c, now);
    const updated = { ...c, ...changes, status: to };
    const notice = this.notice(input.action, updated, text ?? '');
    const stored = await db.$transaction(async (tx) => {
      // Guarded on the status read above: two officers acting at once cannot both move the case.
      const moved = await tx.case.updateMany({ where: { id: c.id, status: c.status }, data: { ...changes, status: to } });
      if (moved.count === 0) throw new HubError('conflict', `case ${trackingNumber} changed meanwhile; reload and try again`);
      await this.event(tx, c, input.action, input.actor, now, { toStatus: to, text, department: input.department });
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
    if (input.action === 'accept' || input.action === 'reopen') {
      return { resolutionDueAt: dueDates(now, this.deps.acceptanceDays, this.deps.resolutionDays).resolutionDueAt };
    }
    return {};
  }

  private notice(action: CaseAction, c: Case, text: string): { role: Role; text: string } {
    const l = (c.language === 'en' ? 'en' : 'zh-CN') as Locale;
    const label = this.deps.router.departmentLabel(c.department)[l];
    const dates = { acceptanceDue: formatDate(c.acceptanceDueAt, l), resolutionDue: formatDate(c.resolutionDueAt, l) };
    const vars = { trackingNumber: c.trackingNumber, department: label, text, ...dates, next: t(l, `next.${c.status}`, dates) };
    const role: Role = action === 'reply' || action === 'request_info' ? 'officer' : 'system';
    return { role, text: t(l, `notify.${action}`, vars) };
  }

  private async event(tx: Tx, c: Case, type: string, actor: string, now: Date, data: { toStatus?: string; text?: string; department?: string }) {
    await tx.caseEvent.create({
      data: {
        id: randomUUID(),
        caseId: c.id,
        type,
        fromStatus: c.status,
        toStatus: data.toStatus ?? c.status,
        actor,
        text: data.text ?? null,
        data: data.department ? JSON.stringify({ department: data.department }) : null,
        createdAt: now,
      },
    });
  }
}
