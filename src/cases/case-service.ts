import { randomUUID } from 'node:crypto';
import type { Details } from '../domain.js';
import type { Db, Tx } from '../db/client.js';
import { HubError } from '../errors.js';
import type { HubEventBus } from '../events.js';
import { appendMessages, toView } from '../conversation/messages.js';
import type { Case } from '../../generated/sqlite/client.js';
import type { DeadlinePolicy } from './deadlines.js';
import { toCaseView, type CaseView } from './case-view.js';
import { CaseReads } from './case-reads.js';
import { AnsweringDepartments } from './answering-departments.js';
import { CaseWrites, type DutyPaging } from './case-writes.js';
import type { GroupingOptions } from './case-groups.js';
import { actionChanges, actionEventData } from './action-changes.js';
import { officerNotices } from './case-notices.js';
import type { Router } from './routing.js';
import type { Outbox } from '../outbox/outbox.js';
import { inPrisma, type SqlDb } from '../db/sql-driver.js';
import { insertEvent } from './case-rows.js';
import { petitionNames } from './named-officers.js';
import { attachmentsOfMessages } from '../attachments/attachment-rows.js';
import { nextStatus, toldToPetitioner, TRANSITIONS, type OfficerAction } from './status-machine.js';

export interface ActionInput {
  action: OfficerAction;
  actor: string;
  text?: string;
  department?: string;
  /** categorise (required) and transfer (optional): the case's right category, a taxonomy code. */
  category?: string;
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
  /** Paging the duty officer for emergencies; off when nobody can be paged. */
  duty?: DutyPaging;
}


/** Case lifecycle: filing, the status machine, events, and telling the petitioner on their channel. */
export class CaseService {
  /** What turns read about cases (driver). */
  readonly reads: CaseReads;
  /** What a petitioner's turn does to cases (statements of the turn's transaction). */
  readonly writes: CaseWrites;
  /** Which department a conversation's case was with when its officer messages were written. */
  readonly answering: AnsweringDepartments;

  constructor(private readonly deps: Deps) {
    this.reads = new CaseReads(deps);
    this.answering = new AnsweringDepartments(deps);
    this.writes = new CaseWrites({ deadlines: deps.deadlines, mirrors: deps.mirrors, grouping: deps.grouping, duty: deps.duty });
  }

  /** The configured time limits and kind of day: the one source of every due date. */
  get deadlines(): DeadlinePolicy {
    return this.deps.deadlines;
  }

  async view(trackingNumber: string): Promise<CaseView> {
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber } });
    if (!c) throw new HubError('case_not_found', `no case ${trackingNumber}`);
    // This case's messages only: the conversation may hold the person's other cases too.
    const transcript = await this.deps.db.message.findMany({ where: { caseId: c.id }, orderBy: { seq: 'asc' } });
    const members = c.groupId
      ? await this.deps.db.case.findMany({ where: { groupId: c.groupId }, orderBy: { createdAt: 'asc' }, select: { trackingNumber: true } })
      : [];
    const group = c.groupId ? { id: c.groupId, size: members.length, trackingNumbers: members.map((m) => m.trackingNumber) } : null;
    const reads = await this.deps.db.caseEvent.findMany({ where: { caseId: c.id, type: 'viewed' }, orderBy: { createdAt: 'asc' }, select: { createdAt: true, actor: true, data: true } });
    const views = reads.map((r) => ({ at: r.createdAt.toISOString(), by: r.actor ?? '', via: (r.data ? (JSON.parse(r.data) as { via?: string }).via : undefined) ?? 'case_page' }));
    const attachments = await attachmentsOfMessages(this.deps.db, transcript.filter((m) => m.role === 'petitioner').map((m) => m.id));
    return toCaseView(c, transcript, group, views, attachments);
  }

  /** An officer's action: one transition, one event, one message to the petitioner, then the push. */
  async act(trackingNumber: string, asked: ActionInput): Promise<CaseView> {
    let input = asked;
    const rule = TRANSITIONS[input.action];
    const text = input.text?.trim();
    if (rule.needsText && !text) throw new HubError('missing_text', `the action ${input.action} needs a text for the petitioner`);
    if (input.action === 'extend') this.checkExtensionDays(input.days);
    if (input.action === 'categorise' && !input.category) throw new HubError('missing_category', 'categorise needs a category');
    if (input.category !== undefined && !this.deps.router.table.categories[input.category]) {
      throw new HubError('unknown_category', `unknown category ${input.category}`);
    }
    // A corrected category takes the case to that category's department.
    if (input.action === 'categorise') input = { ...input, department: this.deps.router.table.categories[input.category as string].department };
    if (input.action === 'transfer' || input.action === 'categorise') {
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
    if (input.action === 'acknowledge' && c.urgency !== 'emergency') throw new HubError('not_an_emergency', `${trackingNumber} is not an emergency`);
    if (input.action === 'acknowledge' && c.emergencyAckAt) {
      throw new HubError('already_acknowledged', `${trackingNumber} was acknowledged by ${c.emergencyAckBy ?? 'someone'} at ${c.emergencyAckAt.toISOString()}`);
    }
    if (input.action === 'extend' && c.resolutionExtendedAt) {
      throw new HubError('extension_already_used', `the answer period of ${trackingNumber} was already extended once; it cannot be extended again`);
    }
    if ((input.action === 'transfer' || input.action === 'categorise') && this.deps.router.complainedAbout(JSON.parse(c.details) as Details).includes(input.department as string)) {
      throw new HubError('complaint_about_department', 'the complaint is about this department; it cannot handle the case');
    }
    const changes = actionChanges(input, c, now, this.deps);
    const updated = { ...c, ...changes, status: to };
    // A note is for officers only; a corrected category is news to the petitioner only when it moves the case.
    const told = !toldToPetitioner(input.action) || (input.action === 'categorise' && updated.department === c.department) ? null : input.action;
    const notices = told ? officerNotices(told, updated, { text: text ?? '', days: input.days }, this.deps) : [];
    const stored = await db.$transaction(async (tx) => {
      // Guarded on the status read above: two officers acting at once cannot both move the case.
      const once = input.action === 'extend' ? { resolutionExtendedAt: null } : input.action === 'acknowledge' ? { emergencyAckAt: null } : {};
      const moved = await tx.case.updateMany({ where: { id: c.id, status: c.status, ...once }, data: { ...changes, status: to } });
      if (moved.count === 0) throw new HubError('conflict', `case ${trackingNumber} changed meanwhile; reload and try again`);
      const eventId = randomUUID();
      await this.event(tx, c, input.action, input.actor, now, { id: eventId, toStatus: to, text, data: actionEventData(input, c, updated) });
      await this.mirror(tx, c.id);
      // Officers in Slack see there what was done elsewhere (the console, the admin API).
      if (!input.actor.startsWith('slack:')) await this.mirrorEvent(tx, eventId);
      return notices.length ? appendMessages(tx, c.conversationId, notices.map((n) => ({ ...n, author: input.actor })), now, undefined, c.trackingNumber) : [];
    });
    events.emit('case.updated', { trackingNumber, action: input.action, status: to, actor: input.actor });
    this.deps.mirrors?.outbox.kick();
    for (const row of stored) events.emit('message.outbound', { conversationId: c.conversationId, channel: c.channel, message: toView(row) });
    return this.view(trackingNumber);
  }

  /**
   * Whether an officer known by these names may see and work the case: not when the petition names
   * them (it is about them, as a complaint about a department is never sent to it). A refusal is
   * recorded on the case. Every officer workspace asks this before showing or acting.
   */
  async mayWork(trackingNumber: string, actor: string, names: readonly string[]): Promise<boolean> {
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber }, select: { details: true, summary: true } });
    if (!c) throw new HubError('case_not_found', `no case ${trackingNumber}`);
    if (!petitionNames({ details: JSON.parse(c.details) as Details, summary: c.summary }, names)) return true;
    await this.record(trackingNumber, 'access_refused', actor, { reason: 'named_in_petition' });
    return false;
  }

  /** Someone was shown the case's personal data (a page to the duty officer): recorded on the case. */
  recordView(trackingNumber: string, actor: string, data: Record<string, unknown>): Promise<void> {
    return this.record(trackingNumber, 'viewed', actor, data);
  }

  /** An event that changes nothing on the case but its record. */
  private async record(trackingNumber: string, type: string, actor: string, data: Record<string, unknown>): Promise<void> {
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber }, select: { id: true, status: true } });
    if (!c) throw new HubError('case_not_found', `no case ${trackingNumber}`);
    // One transaction: the chain's head and the event are written together (a crash leaves no gap).
    await this.deps.db.$transaction((tx) => inPrisma(tx, insertEvent({ caseId: c.id, type, fromStatus: c.status, toStatus: c.status, actor, data: JSON.stringify(data), at: this.deps.now() })));
  }

  private async mirror(tx: Tx, caseId: string): Promise<void> {
    const m = this.deps.mirrors;
    if (m) for (const kind of m.kinds) await m.outbox.enqueue(kind, caseId, tx);
  }

  private async mirrorEvent(tx: Tx, eventId: string): Promise<void> {
    const m = this.deps.mirrors;
    if (m) for (const kind of m.eventKinds) await m.outbox.enqueue(kind, eventId, tx);
  }

  private checkExtensionDays(days: number | undefined): void {
    const max = this.deps.deadlines.lengths.extensionMaxDays;
    if (days === undefined || !Number.isInteger(days) || days < 1 || days > max) {
      throw new HubError('invalid_extension_days', `days must be a whole number from 1 to ${max}`);
    }
  }

  private event(tx: Tx, c: Case, type: string, actor: string, now: Date, data: { id?: string; toStatus?: string; text?: string; data?: Record<string, unknown> }) {
    const extra = data.data ? JSON.stringify(data.data) : null;
    return inPrisma(tx, insertEvent({ id: data.id, caseId: c.id, type, fromStatus: c.status, toStatus: data.toStatus ?? c.status, actor, text: data.text ?? null, data: extra, at: now }));
  }
}
