import { enqueueJob } from '../outbox/outbox.js';
import type { SqlDb } from '../db/sql-driver.js';
import { execute, joinSql, query, sql } from '../db/sql.js';
import { insertEvent } from './case-rows.js';
import { OPEN_STATUSES } from './status-machine.js';

/** Who escalations are recorded as, in case events. */
export const EMERGENCY_ACTOR = 'hub:emergencies';

const BATCH = 100;

export interface EmergencyEscalationDeps {
  sql: SqlDb;
  /** EMERGENCY_ACK_MINUTES: how long a page waits for acknowledgement, and then each escalation. */
  ackMs: number;
  /** Outbox job kinds told of each escalation, with "<case id>:<round>" as subject (Slack supervisors). */
  jobs: string[];
}

/**
 * Escalates emergencies nobody acknowledged: each EMERGENCY_ACK_MINUTES without acknowledgement, the
 * supervisors are told again and the case records it. The due time is the case row's
 * emergencyEscalateAt; moving it on is a compare-and-set on the time read, in the same transaction as
 * the event and the outbox job, so each round happens once however many instances sweep, and one
 * that fell due while no hub ran happens on the next start. Run by the DeadlineScheduler's sweep.
 */
export class EmergencyEscalations {
  constructor(private readonly deps: EmergencyEscalationDeps) {}

  async sweep(at: Date): Promise<number> {
    const due = await this.deps.sql.query<{ id: string; emergencyEscalateAt: Date | string }>(sql`SELECT "id", "emergencyEscalateAt" FROM "Case"
      WHERE "emergencyEscalateAt" <= ${at} AND "emergencyAckAt" IS NULL ORDER BY "emergencyEscalateAt" LIMIT ${BATCH}`);
    let fired = 0;
    for (const c of due) if (await this.escalate(c.id, new Date(c.emergencyEscalateAt), at)) fired++;
    return fired;
  }

  private escalate(caseId: string, dueAt: Date, at: Date): Promise<boolean> {
    const { ackMs, jobs } = this.deps;
    const open = joinSql(OPEN_STATUSES.map((s) => sql`${s}`));
    return this.deps.sql.transaction(function* () {
      // Answered or closed meanwhile: nobody needs paging any more.
      yield* execute(sql`UPDATE "Case" SET "emergencyEscalateAt" = ${null}
        WHERE "id" = ${caseId} AND "emergencyEscalateAt" = ${dueAt} AND "status" NOT IN (${open})`);
      const [claimed] = yield* query<{ status: string; emergencyEscalations: number | bigint }>(sql`UPDATE "Case"
        SET "emergencyEscalations" = "emergencyEscalations" + 1, "emergencyEscalateAt" = ${new Date(at.getTime() + ackMs)}
        WHERE "id" = ${caseId} AND "emergencyEscalateAt" = ${dueAt} AND "emergencyAckAt" IS NULL
        RETURNING "status", "emergencyEscalations"`);
      if (!claimed) return false;
      const round = Number(claimed.emergencyEscalations);
      const minutes = Math.round((round * ackMs) / 60_000);
      yield* insertEvent({
        caseId,
        type: 'emergency_unacknowledged',
        toStatus: claimed.status,
        actor: EMERGENCY_ACTOR,
        data: JSON.stringify({ round, minutes, escalatedTo: jobs.length ? 'supervisors' : null }),
        at,
      });
      for (const kind of jobs) yield* enqueueJob(kind, `${caseId}:${round}`, at);
      return true;
    });
  }
}
