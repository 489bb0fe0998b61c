import type { Details } from '../domain.js';
import type { SqlDb } from '../db/sql-driver.js';
import { joinSql, sql } from '../db/sql.js';
import type { CaseSnapshot, HeldRecord, OpenCaseSummary } from '../engine/types.js';
import type { CaseQuery } from '../nlu/understanding.js';
import type { DeadlinePolicy } from './deadlines.js';
import { queryCodeMatches } from './query-code.js';
import type { Router } from './routing.js';
import { OPEN_STATUSES } from './status-machine.js';

type When = Date | string | null;

interface SnapshotRow {
  trackingNumber: string;
  status: string;
  department: string;
  acceptanceDueAt: When;
  resolutionDueAt: When;
  answeredAt: When;
  followUpDueAt: When;
}

const SNAPSHOT_COLUMNS = sql`"trackingNumber", "status", "department", "acceptanceDueAt", "resolutionDueAt", "answeredAt", "followUpDueAt"`;

const date = (v: When): Date | null => (v === null ? null : new Date(v));

/**
 * What a petitioner's turn reads about cases, on the driver (a turn never goes through Prisma): the
 * conversation's own case, the one whose follow-up waits, a case asked for by number and code, and
 * the petitioner's open cases when a new petition may repeat one.
 */
export class CaseReads {
  constructor(private readonly deps: { sql: SqlDb; router: Router; deadlines: DeadlinePolicy }) {}

  /** The conversation's current case, and its case (maybe the same) waiting for follow-up answers; one query. */
  async forTurn(conversationId: string, trackingNumber: string): Promise<{ openCase: CaseSnapshot | null; followUp: CaseSnapshot | null }> {
    const rows = await this.deps.sql.query<SnapshotRow>(sql`SELECT ${SNAPSHOT_COLUMNS} FROM "Case"
      WHERE "trackingNumber" = ${trackingNumber}
        OR ("conversationId" = ${conversationId} AND "status" = ${'resolved'} AND "followUpDueAt" IS NOT NULL)`);
    const snapshots = rows.map((r) => this.snapshot(r));
    const waiting = snapshots.filter((s) => s.awaitingFeedback).sort((a, b) => (b.answeredAt?.getTime() ?? 0) - (a.answeredAt?.getTime() ?? 0));
    return { openCase: snapshots.find((s) => s.trackingNumber === trackingNumber) ?? null, followUp: waiting[0] ?? null };
  }

  /**
   * The case asked for, if this petitioner filed it or gave its query code (unless `byCode` is false:
   * only their own); otherwise null, exists or not.
   */
  async lookup(q: CaseQuery, petitionerId: string, byCode = true): Promise<CaseSnapshot | null> {
    const [row] = await this.deps.sql.query<SnapshotRow & { petitionerId: string; queryCodeHash: string | null }>(
      sql`SELECT ${SNAPSHOT_COLUMNS}, "petitionerId", "queryCodeHash" FROM "Case" WHERE "trackingNumber" = ${q.trackingNumber}`,
    );
    if (!row) return null;
    const own = row.petitionerId === petitionerId;
    return own || (byCode && queryCodeMatches(row.trackingNumber, q.code, row.queryCodeHash)) ? this.snapshot(row) : null;
  }

  /** What the office holds about the petitioner in a case (for their copy); contact details included. */
  async heldRecord(trackingNumber: string): Promise<HeldRecord | null> {
    const [row] = await this.deps.sql.query<{ createdAt: When; category: string; details: string; anonymisedAt: When }>(
      sql`SELECT "createdAt", "category", "details", "anonymisedAt" FROM "Case" WHERE "trackingNumber" = ${trackingNumber}`,
    );
    if (!row) return null;
    const label = this.deps.router.table.categories[row.category];
    return {
      trackingNumber,
      filedAt: new Date(row.createdAt as Date | string),
      categoryLabel: { 'zh-CN': label?.zh ?? row.category, en: label?.en ?? row.category },
      details: JSON.parse(row.details) as Details,
      anonymised: row.anonymisedAt !== null,
    };
  }

  /** The petitioner's open cases with their issue, newest first. */
  async openCasesOf(petitionerId: string): Promise<OpenCaseSummary[]> {
    const statuses = joinSql(OPEN_STATUSES.map((s) => sql`${s}`));
    const rows = await this.deps.sql.query<{ trackingNumber: string; category: string; details: string }>(sql`SELECT "trackingNumber", "category", "details"
      FROM "Case" WHERE "petitionerId" = ${petitionerId} AND "status" IN (${statuses}) ORDER BY "createdAt" DESC LIMIT 20`);
    return rows.map((r) => ({ trackingNumber: r.trackingNumber, category: r.category, issue: (JSON.parse(r.details) as Details).issue ?? '' }));
  }

  /** The petitioner's open cases as they stand, newest first (greeting someone who comes back). */
  async openSnapshotsOf(petitionerId: string, limit = 3): Promise<CaseSnapshot[]> {
    const statuses = joinSql(OPEN_STATUSES.map((s) => sql`${s}`));
    const rows = await this.deps.sql.query<SnapshotRow>(sql`SELECT ${SNAPSHOT_COLUMNS} FROM "Case"
      WHERE "petitionerId" = ${petitionerId} AND "status" IN (${statuses}) ORDER BY "createdAt" DESC LIMIT ${limit}`);
    return rows.map((r) => this.snapshot(r));
  }

  private snapshot(r: SnapshotRow): CaseSnapshot {
    const answeredAt = date(r.answeredAt);
    return {
      trackingNumber: r.trackingNumber,
      status: r.status,
      department: r.department,
      departmentLabel: this.deps.router.departmentLabel(r.department),
      acceptanceDueAt: date(r.acceptanceDueAt) as Date,
      resolutionDueAt: date(r.resolutionDueAt) as Date,
      answeredAt,
      reviewDueAt: answeredAt && this.deps.deadlines.reviewDue(answeredAt),
      awaitingFeedback: r.status === 'resolved' && r.followUpDueAt !== null,
    };
  }
}
