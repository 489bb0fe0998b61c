import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.js';
import { Sweeper } from '../util/sweeper.js';
import { enqueueJob, type Outbox } from '../outbox/outbox.js';
import type { SqlDb } from '../db/sql-driver.js';
import { joinSql, query, sql, type Statement } from '../db/sql.js';
import { ANSWER_DUE } from './status-machine.js';
import { insertEvent } from './case-rows.js';

export type DeadlineKind = 'acceptance' | 'resolution';
export type AlertStage = 'reminder' | 'overdue';

/** Who reminders and escalations are recorded as, in case events. */
export const DEADLINE_ACTOR = 'hub:deadlines';
export const ALERT_EVENT: Record<AlertStage, string> = { reminder: 'deadline_reminder', overdue: 'overdue' };

interface Watch {
  deadline: DeadlineKind;
  column: string;
  statuses: readonly string[];
}

const WATCHES: Watch[] = [
  { deadline: 'acceptance', column: 'acceptanceDueAt', statuses: ['submitted'] },
  // Before acceptance the answer date is provisional (accepting sets it), so only accepted cases count.
  { deadline: 'resolution', column: 'resolutionDueAt', statuses: ANSWER_DUE },
];

const BATCH = 100;
/** Batches per deadline and stage in one sweep; the next poll carries on with the rest. */
const MAX_BATCHES = 20;

export interface SchedulerDeps {
  /**
   * The driver, not Prisma: on SQLite its transaction runs from BEGIN to COMMIT without yielding, so
   * two instances in one process (tests) never wait on each other's lock with the thread blocked.
   */
  sql: SqlDb;
  logger: Logger;
  now: () => Date;
  /** How long before a deadline the department is reminded; 0: never. */
  reminderMs: number;
  /** Outbox job kinds told of each alert, with the alert's id as subject (Slack thread, supervisors). */
  mirrors?: { outbox: Outbox; reminder: string[]; overdue: string[] };
  /** Told of each alert this instance raised (/metrics). */
  alerted?: (deadline: DeadlineKind, stage: AlertStage) => void;
  /** Other row-driven time limits swept with these (follow-up timeouts); each returns how many it handled. */
  also?: { sweep(at: Date): Promise<number> }[];
}

/**
 * Reminds departments of deadlines and escalates the ones that pass. Deadlines are the due dates on
 * the case rows; what was done about them is a DeadlineAlert row whose unique key (case, deadline,
 * stage, due time) is claimed in the same transaction as the case event and the outbox jobs, so each
 * happens once however many instances poll, and a deadline that passed while no hub ran is escalated
 * on the next start. The interval only decides how soon.
 */
export class DeadlineScheduler {
  private readonly sweeper: Sweeper;

  constructor(private readonly deps: SchedulerDeps) {
    this.sweeper = new Sweeper(
      () => this.sweep(),
      (err) => deps.logger.error({ err }, 'deadline sweep failed'),
    );
  }

  start(intervalMs: number): void {
    this.sweeper.start(intervalMs);
  }

  stop(): Promise<void> {
    return this.sweeper.stop();
  }

  /** One sweep; a call during a sweep makes it sweep once more (the clock may have moved) and waits. */
  runDue(): Promise<void> {
    return this.sweeper.run();
  }

  private async sweep(): Promise<void> {
    const at = this.deps.now();
    let fired = 0;
    for (const watch of WATCHES) {
      // Overdue first: a deadline that passed unseen (the hub was down) is escalated, not reminded of.
      fired += await this.fireAll(watch, 'overdue', at);
      if (this.deps.reminderMs > 0) fired += await this.fireAll(watch, 'reminder', at);
    }
    for (const other of this.deps.also ?? []) fired += await other.sweep(at);
    if (fired) this.deps.mirrors?.outbox.kick();
  }

  /** Which cases a watch applies to, and the due-date condition of a stage, on table `alias`. */
  private applies(watch: Watch, stage: AlertStage, at: Date, alias: string): Statement {
    const col = column(alias, watch.column);
    const statuses = joinSql(watch.statuses.map((st) => sql`${st}`));
    const due = stage === 'overdue' ? sql`${col} <= ${at}` : sql`${col} > ${at} AND ${col} <= ${new Date(at.getTime() + this.deps.reminderMs)}`;
    return sql`${column(alias, 'status')} IN (${statuses}) AND ${due}`;
  }

  private async fireAll(watch: Watch, stage: AlertStage, at: Date): Promise<number> {
    let fired = 0;
    const col = column('c', watch.column);
    for (let batch = 0; batch < MAX_BATCHES; batch++) {
      const due = await this.deps.sql.query<{ id: string }>(sql`SELECT c."id" FROM "Case" c WHERE ${this.applies(watch, stage, at, 'c')}
        AND NOT EXISTS (SELECT 1 FROM "DeadlineAlert" a WHERE a."caseId" = c."id" AND a."deadline" = ${watch.deadline}
          AND a."stage" = ${stage} AND a."dueAt" = ${col})
        ORDER BY ${col} LIMIT ${BATCH}`);
      for (const c of due) {
        if (!(await this.fire(watch, stage, c.id, at))) continue;
        fired++;
        this.deps.alerted?.(watch.deadline, stage);
      }
      if (due.length < BATCH) break;
    }
    return fired;
  }

  /** Claims the alert; false when another instance did first or the case moved on meanwhile. */
  private fire(watch: Watch, stage: AlertStage, caseId: string, at: Date): Promise<boolean> {
    const { mirrors } = this.deps;
    const applies = this.applies(watch, stage, at, '"Case"');
    return this.deps.sql.transaction(function* () {
      const id = randomUUID();
      const [claimed] = yield* query<{ dueAt: Date | string }>(sql`INSERT INTO "DeadlineAlert" ("id", "caseId", "deadline", "stage", "dueAt", "createdAt")
        SELECT ${id}, "id", ${watch.deadline}, ${stage}, ${column('"Case"', watch.column)}, ${at} FROM "Case" WHERE "id" = ${caseId} AND ${applies}
        ON CONFLICT ("caseId", "deadline", "stage", "dueAt") DO NOTHING RETURNING "dueAt"`);
      if (!claimed) return false;
      const data = JSON.stringify({ deadline: watch.deadline, dueAt: new Date(claimed.dueAt).toISOString() });
      const [{ status }] = yield* query<{ status: string }>(sql`SELECT "status" FROM "Case" WHERE "id" = ${caseId}`);
      yield* insertEvent({ id: randomUUID(), caseId, type: ALERT_EVENT[stage], fromStatus: status, toStatus: status, actor: DEADLINE_ACTOR, data, at });
      for (const kind of mirrors?.[stage] ?? []) yield* enqueueJob(kind, id, at);
      return true;
    });
  }
}

/** A column name from the fixed list above, never from input: identifiers cannot be bound values. */
function column(table: string, name: string): Statement {
  return { parts: [`${table}."${name}"`], values: [] };
}
