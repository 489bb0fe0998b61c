import { Gauge, type Registry } from 'prom-client';
import type { SqlDb } from '../db/sql-driver.js';
import { sql, type Statement } from '../db/sql.js';
import type { Logger } from '../logger.js';

interface KindRow {
  kind: string;
  due: number | string | null;
  waiting: number | string | null;
  dead: number | string | null;
  oldest: Date | string | number | null;
}

/**
 * Whether "OutboxJob" has the dead-letter column (migration 0024_dead_letters). Without it there are
 * no dead letters, and every row is a job still to be sent.
 */
async function hasDeadAt(db: SqlDb): Promise<boolean> {
  const [row] = await db.query<{ n: number | string }>(
    db.provider === 'sqlite'
      ? sql`SELECT COUNT(*) AS "n" FROM pragma_table_info('OutboxJob') WHERE "name" = 'deadAt'`
      : sql`SELECT COUNT(*) AS "n" FROM information_schema.columns
          WHERE table_schema = current_schema() AND table_name = 'OutboxJob' AND column_name = 'deadAt'`,
  );
  return Number(row?.n ?? 0) > 0;
}

/** One GROUP BY over "OutboxJob": jobs due now, waiting for a retry, given up; the oldest not given up. */
function byKind(live: Statement, at: Date): Statement {
  return sql`SELECT "kind",
      SUM(CASE WHEN ${live} AND "nextAttemptAt" <= ${at} THEN 1 ELSE 0 END) AS "due",
      SUM(CASE WHEN ${live} AND "nextAttemptAt" > ${at} THEN 1 ELSE 0 END) AS "waiting",
      SUM(CASE WHEN ${live} THEN 0 ELSE 1 END) AS "dead",
      MIN(CASE WHEN ${live} THEN "createdAt" END) AS "oldest"
    FROM "OutboxJob" GROUP BY "kind"`;
}

const LIVE = { parts: ['"deadAt" IS NULL'], values: [] } satisfies Statement;
const EVERY_ROW = { parts: ['1 = 1'], values: [] } satisfies Statement;

/**
 * The outbox's depth and the age of its oldest job, per kind, read when Prometheus scrapes (on the
 * SQL driver, one small query): the outbox itself keeps no count, and another instance may hold the
 * jobs. Every process of a cluster reads the same rows, so they are combined with `max`, not added.
 */
export function outboxGauges(registry: Registry, db: SqlDb, now: () => Date, logger: Logger): void {
  let deadLetters: boolean | null = null;
  let reading: Promise<KindRow[]> | null = null;
  const query = async (): Promise<KindRow[]> => {
    try {
      deadLetters ??= await hasDeadAt(db);
      return await db.query<KindRow>(byKind(deadLetters ? LIVE : EVERY_ROW, now()));
    } catch (err) {
      // The gauges stay empty for this scrape rather than failing it (a cluster's scrape fails
      // when one process's does).
      logger.warn({ err }, 'metrics: could not read the outbox');
      return [];
    }
  };
  // Both gauges are collected in the same tick of a scrape: they share one query.
  const rows = () => (reading ??= query().finally(() => (reading = null)));

  new Gauge({
    name: 'hub_outbox_jobs',
    help: 'Outbox jobs by kind and state: due (to be sent now), waiting (for a retry or a rate limit), dead (dead letters, given up).',
    labelNames: ['kind', 'state'],
    aggregator: 'max',
    registers: [registry],
    async collect() {
      const found = await rows();
      this.reset();
      for (const row of found) {
        this.set({ kind: row.kind, state: 'due' }, Number(row.due ?? 0));
        this.set({ kind: row.kind, state: 'waiting' }, Number(row.waiting ?? 0));
        if (Number(row.dead ?? 0) > 0) this.set({ kind: row.kind, state: 'dead' }, Number(row.dead));
      }
    },
  });
  new Gauge({
    name: 'hub_outbox_oldest_job_age_seconds',
    help: 'Age of the oldest outbox job of each kind still to be sent (dead letters left out): how far behind deliveries are.',
    labelNames: ['kind'],
    aggregator: 'max',
    registers: [registry],
    async collect() {
      const found = await rows();
      this.reset();
      const at = now().getTime();
      for (const row of found) {
        if (row.oldest === null) continue;
        this.set({ kind: row.kind }, Math.max(0, (at - new Date(row.oldest).getTime()) / 1000));
      }
    },
  });
}
