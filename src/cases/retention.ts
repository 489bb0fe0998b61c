import type { Logger } from '../logger.js';
import type { SqlDb } from '../db/sql-driver.js';
import { joinSql, sql } from '../db/sql.js';
import { FINISHED_STATUSES } from '../domain.js';
import { anonymiseCase } from './anonymise.js';
import { purgeAttachments } from '../attachments/attachment-rows.js';
import { storageOf } from '../attachments/storage.js';

/** Who anonymises cases whose retention ran out, in case events. */
export const RETENTION_ACTOR = 'hub:retention';
const BATCH = 100;
/** How often each instance looks: often enough to be on time to the day, rarely enough to cost nothing. */
const EVERY_MS = 3_600_000;

export interface RetentionDeps {
  sql: SqlDb;
  logger: Logger;
  /** RETENTION_DAYS: personal data of a case is kept this long after it was closed or rejected; null: kept until asked to delete. */
  retentionMs: number | null;
}

/**
 * Anonymises the personal data of cases closed or rejected more than RETENTION_DAYS after their final
 * answer (answeredAt: the resolution or rejection a closed case ended with), keeping what statistics need. Run by the DeadlineScheduler's
 * sweep, at most hourly per instance; each case is claimed by a compare-and-set on anonymisedAt, so
 * with several instances each is anonymised once, and a backlog from while no hub ran is worked off
 * in batches. Every run that did something is logged with its count. The attachments of anonymised
 * cases are deleted from storage on every sweep (purgeAttachments).
 */
export class Retention {
  private lastRun = 0;

  constructor(private readonly deps: RetentionDeps) {}

  async sweep(at: Date): Promise<number> {
    // Anonymised cases' attachments (marked in the anonymisation's transaction, which may have been a
    // petitioner's request moments ago) leave the storage on every sweep, not hourly.
    const purged = await this.purge(at);
    if (at.getTime() - this.lastRun < EVERY_MS) return purged;
    this.lastRun = at.getTime();
    // Without a retention period only deletions the petitioner asked for are due.
    const cutoff = this.deps.retentionMs === null ? new Date(0) : new Date(at.getTime() - this.deps.retentionMs);
    let done = 0;
    for (;;) {
      const due = await this.deps.sql.query<{ id: string; asked: number | bigint }>(sql`SELECT c."id",
        (SELECT COUNT(*) FROM "CaseEvent" e WHERE e."caseId" = c."id" AND e."type" = ${'data_request'} AND e."data" LIKE ${'%"pending":true%'}) AS "asked"
        FROM "Case" c WHERE c."anonymisedAt" IS NULL AND c."status" IN (${joinSql(FINISHED_STATUSES.map((s) => sql`${s}`))})
        AND (COALESCE(c."answeredAt", c."updatedAt") <= ${cutoff} OR EXISTS (SELECT 1 FROM "CaseEvent" e WHERE e."caseId" = c."id" AND e."type" = ${'data_request'} AND e."data" LIKE ${'%"pending":true%'}))
        ORDER BY c."createdAt" LIMIT ${BATCH}`);
      for (const c of due) {
        const reason = Number(c.asked) > 0 ? 'petitioner_request' : 'retention';
        if (await this.deps.sql.transaction(() => anonymiseCase(c.id, at, RETENTION_ACTOR, reason))) done++;
      }
      if (due.length < BATCH) break;
    }
    if (done) this.deps.logger.info({ anonymised: done, retentionDays: this.deps.retentionMs === null ? null : Math.round(this.deps.retentionMs / 86_400_000) }, 'retention: personal data of finished cases anonymised');
    return done + (done ? await this.purge(at) : 0) + purged;
  }

  /** Deletes the stored content of attachments marked for deletion, where this hub keeps attachments. */
  private purge(at: Date): Promise<number> {
    const storage = storageOf(this.deps.sql);
    return storage ? purgeAttachments({ sql: this.deps.sql, storage, logger: this.deps.logger }, at) : Promise.resolve(0);
  }
}
