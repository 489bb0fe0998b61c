import type { Db } from '../db/client.js';
import type { Details } from '../domain.js';
import { FINISHED_STATUSES } from '../domain.js';
import { HubError } from '../errors.js';
import { actorOf, inScope, namesOf, seesEveryDepartment, type Officer } from '../accounts/officer.js';
import type { ActionInput, CaseService } from './case-service.js';
import type { CaseView } from './case-view.js';
import type { Router } from './routing.js';
import type { CaseSearch } from './case-search.js';
import { petitionNames } from './named-officers.js';
import { redact } from './redaction.js';
import { ANSWER_DUE, STATUSES } from './status-machine.js';

const DAY_MS = 86_400_000;
/** How long a reveal of personal data lasts on the officer's screen before it is masked again. */
export const REVEAL_MS = 10 * 60_000;
/** Rows the inbox lists at most (counts cover every matching case). */
export const INBOX_LIMIT = 200;
/** Cases read for one inbox at most: beyond that an office narrows the filters. */
const SCAN_LIMIT = 20_000;

/** Live hand-off of a conversation (the conversation service's). */
export interface LiveHandOff {
  takeOver(conversationId: string, actor: string): Promise<void>;
  handBack(conversationId: string, actor: string): Promise<void>;
}

export interface InboxFilter {
  /** A status, or 'open' (not answered yet: the default) or 'all'. */
  status?: string;
  category?: string;
  urgency?: string;
  triage?: boolean;
  emergency?: boolean;
  overdue?: boolean;
  /** Due (the deadline that applies now) within this many days. */
  dueWithin?: number;
  group?: boolean;
  q?: string;
}

export interface InboxRow {
  id: string;
  trackingNumber: string;
  createdAt: Date;
  summary: string;
  category: string;
  department: string;
  status: string;
  urgency: string;
  needsTriage: boolean;
  /** The deadline that applies now (acceptance before acceptance, the answer after), or null when answered. */
  dueAt: Date | null;
  overdue: boolean;
  groupId: string | null;
  emergencyUnacknowledged: boolean;
}

export interface Inbox {
  rows: InboxRow[];
  total: number;
  /** How many of the officer's cases (with the status filter only) each quick filter would show. */
  counts: { all: number; triage: number; emergency: number; overdue: number; dueSoon: number; group: number };
  /** Emergencies in the officer's scope nobody has acknowledged yet: shown above everything. */
  alerts: InboxRow[];
}

export interface CasePage {
  view: CaseView;
  caseId: string;
  conversationId: string;
  assignee: string | null;
  answeredAt: Date | null;
  liveAgent: string | null;
  events: { type: string; actor: string; text: string | null; fromStatus: string | null; toStatus: string | null; createdAt: Date }[];
  related: { trackingNumber: string; status: string; createdAt: Date }[];
  /** This officer revealed the personal data within REVEAL_MS. */
  revealed: boolean;
}

type Row = {
  id: string; trackingNumber: string; createdAt: Date; summary: string; category: string; department: string; status: string; urgency: string;
  needsTriage: boolean; acceptanceDueAt: Date; resolutionDueAt: Date; groupId: string | null; details: string; emergencyAckAt: Date | null; answeredAt: Date | null;
};

function dueOf(r: Row): Date | null {
  if (r.status === 'submitted') return r.acceptanceDueAt;
  return (ANSWER_DUE as readonly string[]).includes(r.status) ? r.resolutionDueAt : null;
}

/**
 * The cases as one officer may see and work them, for every officer workspace (the console, personal
 * API tokens): an officer sees their departments' cases, never a complaint about their department
 * nor a petition that names them; a case outside that is "not found", so its existence is not told.
 * Actions go to the one case service, in the officer's name.
 */
export class OfficerCases {
  constructor(private readonly deps: { db: Db; cases: CaseService; router: Router; live: LiveHandOff; search?: CaseSearch; now: () => Date }) {}

  /** The officer takes the petitioner's conversation over from the bot (or hands it back). */
  async live(o: Officer, ref: string, take: boolean): Promise<void> {
    await this.check(o, ref);
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { conversationId: true } });
    if (!c) throw new HubError('case_not_found', `no case ${ref}`);
    if (take) await this.deps.live.takeOver(c.conversationId, actorOf(o));
    else await this.deps.live.handBack(c.conversationId, actorOf(o));
  }

  private visible(o: Officer, r: { department: string; details: string; summary: string }): boolean {
    const details = JSON.parse(r.details) as Details;
    return inScope(o, { department: r.department, details }, (d) => this.deps.router.complainedAbout(d)) && !petitionNames({ details, summary: r.summary }, namesOf(o));
  }

  async inbox(o: Officer, f: InboxFilter): Promise<Inbox> {
    const now = this.deps.now();
    const status = f.status ?? 'open';
    if (status !== 'open' && status !== 'all' && !(STATUSES as readonly string[]).includes(status)) throw new HubError('bad_request', `unknown status ${status}`);
    const statusWhere = status === 'all' ? {} : status === 'open' ? { status: { notIn: [...FINISHED_STATUSES, 'resolved'] } } : { status };
    const departmentWhere = o.role === 'officer' ? { department: { in: [...o.departments] } } : {};
    let ids: string[] | null = null;
    if (f.q?.trim() && this.deps.search) {
      await this.deps.search.refresh();
      ids = await this.deps.search.matching(f.q);
    }
    const rows: Row[] = await this.deps.db.case.findMany({
      where: { ...statusWhere, ...departmentWhere, ...(ids ? { id: { in: ids } } : {}), anonymisedAt: null },
      select: { id: true, trackingNumber: true, createdAt: true, summary: true, category: true, department: true, status: true, urgency: true, needsTriage: true, acceptanceDueAt: true, resolutionDueAt: true, groupId: true, details: true, emergencyAckAt: true, answeredAt: true },
      orderBy: { createdAt: 'desc' },
      take: SCAN_LIMIT,
    });
    const mine = rows.filter((r) => this.visible(o, r)).map((r) => toInboxRow(r, now));
    const soon = now.getTime() + 3 * DAY_MS;
    const counts = {
      all: mine.length,
      triage: mine.filter((r) => r.needsTriage).length,
      emergency: mine.filter((r) => r.urgency === 'emergency').length,
      overdue: mine.filter((r) => r.overdue).length,
      dueSoon: mine.filter((r) => r.dueAt && !r.overdue && r.dueAt.getTime() <= soon).length,
      group: mine.filter((r) => r.groupId).length,
    };
    const within = f.dueWithin === undefined ? null : now.getTime() + f.dueWithin * DAY_MS;
    const matching = mine.filter(
      (r) =>
        (!f.category || r.category === f.category) &&
        (!f.urgency || r.urgency === f.urgency) &&
        (!f.triage || r.needsTriage) &&
        (!f.emergency || r.urgency === 'emergency') &&
        (!f.overdue || r.overdue) &&
        (!f.group || r.groupId) &&
        (within === null || (r.dueAt !== null && r.dueAt.getTime() <= within)),
    );
    // Emergencies first, then what is due soonest, then the newest.
    matching.sort((a, b) => rank(a) - rank(b) || (a.dueAt?.getTime() ?? Infinity) - (b.dueAt?.getTime() ?? Infinity) || b.createdAt.getTime() - a.createdAt.getTime());
    return { rows: matching.slice(0, INBOX_LIMIT), total: matching.length, counts, alerts: mine.filter((r) => r.emergencyUnacknowledged) };
  }

  /** The case if this officer may see it; otherwise "not found" (and a petition naming them records the refusal). */
  async open(o: Officer, ref: string): Promise<CaseView> {
    await this.check(o, ref);
    const view = await this.deps.cases.view(ref);
    if (!view.group || seesEveryDepartment(o)) return view;
    // The group's size is a figure; its members are cases, named only to those who may see them.
    const members = await this.deps.db.case.findMany({ where: { trackingNumber: { in: view.group.trackingNumbers } }, select: { trackingNumber: true, department: true, details: true, summary: true } });
    const shown = new Set(members.filter((m) => this.visible(o, m)).map((m) => m.trackingNumber));
    return { ...view, group: { ...view.group, trackingNumbers: view.group.trackingNumbers.filter((n) => shown.has(n)) } };
  }

  /** Everything the console's case page shows: the case, its events (who did what), who holds the live conversation. */
  async page(o: Officer, ref: string): Promise<CasePage> {
    const view = await this.open(o, ref);
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { id: true, conversationId: true, assignee: true, answeredAt: true, conversation: { select: { liveAgent: true } } } });
    if (!c) throw new HubError('case_not_found', `no case ${ref}`);
    const events = await this.deps.db.caseEvent.findMany({ where: { caseId: c.id }, orderBy: [{ createdAt: 'asc' }, { seq: 'asc' }], select: { type: true, actor: true, text: true, fromStatus: true, toStatus: true, createdAt: true } });
    return { view, caseId: c.id, conversationId: c.conversationId, assignee: c.assignee, answeredAt: c.answeredAt, liveAgent: c.conversation.liveAgent, events, related: await this.related(o, ref), revealed: await this.revealed(o, c.id) };
  }

  async act(o: Officer, ref: string, input: Omit<ActionInput, 'actor'>): Promise<CaseView> {
    await this.check(o, ref);
    return this.deps.cases.act(ref, { ...input, actor: actorOf(o) });
  }

  /** The officer asks to see the case's personal data: recorded on the case before it is shown. */
  async reveal(o: Officer, ref: string): Promise<void> {
    await this.check(o, ref);
    await this.deps.cases.recordView(ref, actorOf(o), { via: 'console' });
  }

  /** Whether this officer revealed the case's personal data in the last REVEAL_MS (the record is the permission). */
  async revealed(o: Officer, caseId: string): Promise<boolean> {
    const since = new Date(this.deps.now().getTime() - REVEAL_MS);
    const views = await this.deps.db.caseEvent.findMany({ where: { caseId, type: 'viewed', actor: actorOf(o), createdAt: { gte: since } }, select: { data: true } });
    return views.some((v) => v.data !== null && (JSON.parse(v.data) as { via?: string }).via === 'console');
  }

  /** Other cases of the same petitioner that this officer may see. */
  async related(o: Officer, ref: string): Promise<{ trackingNumber: string; status: string; createdAt: Date }[]> {
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { petitionerId: true, id: true } });
    if (!c) return [];
    const rows = await this.deps.db.case.findMany({
      where: { petitionerId: c.petitionerId, id: { not: c.id } },
      select: { trackingNumber: true, status: true, createdAt: true, department: true, details: true, summary: true },
      orderBy: { createdAt: 'desc' },
      take: 20,
    });
    return rows.filter((r) => this.visible(o, r)).map(({ trackingNumber, status, createdAt }) => ({ trackingNumber, status, createdAt }));
  }

  private async check(o: Officer, ref: string): Promise<void> {
    const c = await this.deps.db.case.findUnique({ where: { trackingNumber: ref }, select: { department: true, details: true } });
    const notFound = new HubError('case_not_found', `no case ${ref}`);
    if (!c) throw notFound;
    if (!inScope(o, { department: c.department, details: JSON.parse(c.details) as Details }, (d) => this.deps.router.complainedAbout(d))) throw notFound;
    if (!(await this.deps.cases.mayWork(ref, actorOf(o), namesOf(o)))) throw notFound;
  }
}

const rank = (r: InboxRow) => (r.emergencyUnacknowledged ? 0 : r.urgency === 'emergency' ? 1 : r.overdue ? 2 : 3);

function toInboxRow(r: Row, now: Date): InboxRow {
  const dueAt = dueOf(r);
  return {
    id: r.id, trackingNumber: r.trackingNumber, createdAt: r.createdAt, category: r.category, department: r.department,
    // Masked as everywhere before a reveal: the list is seen over shoulders.
    summary: redact(r.summary, JSON.parse(r.details) as Details),
    status: r.status, urgency: r.urgency, needsTriage: r.needsTriage, groupId: r.groupId, dueAt,
    overdue: dueAt !== null && dueAt < now,
    emergencyUnacknowledged: r.urgency === 'emergency' && !r.emergencyAckAt && !FINISHED_STATUSES.includes(r.status),
  };
}
