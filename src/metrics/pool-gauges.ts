import { Counter, Gauge, type Registry } from 'prom-client';
import type { PgTrafficTotals, PgVia } from '../db/pg-traffic.js';
import type { SqlDb } from '../db/sql-driver.js';

/**
 * The SQL driver's connection pool (PostgreSQL: the `pg` pool behind petitioners' turns; Prisma keeps
 * its own). None on SQLite, which has one connection. Each process has its own pool: a cluster adds them up.
 */
export function poolGauges(registry: Registry, db: SqlDb): void {
  if (!db.poolStats) return;
  const stats = db.poolStats.bind(db);
  const gauge = (name: string, help: string, read: (s: ReturnType<typeof stats>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  gauge('hub_db_pool_connections', 'Connections the SQL driver pool holds (PostgreSQL), idle or in use.', (s) => s.total);
  gauge('hub_db_pool_idle_connections', 'Connections of the SQL driver pool not in use (PostgreSQL).', (s) => s.idle);
  gauge('hub_db_pool_max_connections', 'The most connections the SQL driver pool opens (PostgreSQL).', (s) => s.max);
  gauge('hub_db_pool_waiting_clients', 'Queries and transactions waiting for a connection of the SQL driver pool (PostgreSQL).', (s) => s.waiting);
}

/**
 * What the hub asks of PostgreSQL, by pool (driver: petitioners' turns and the hot paths; prisma:
 * everything else): round trips and the seconds spent waiting for their answers and for a connection.
 * Divided by hub_turns_total, they are the cost of a turn (the throughput bench prints exactly that).
 */
export function trafficCounters(registry: Registry, db: SqlDb): void {
  if (!db.traffic) return;
  const read = db.traffic.bind(db);
  const counter = (name: string, help: string, pick: (t: PgTrafficTotals) => Record<PgVia, number>) =>
    new Counter({
      name,
      help,
      labelNames: ['pool'],
      registers: [registry],
      collect() {
        const values = pick(read());
        this.reset();
        for (const pool of Object.keys(values) as PgVia[]) this.inc({ pool }, values[pool]);
      },
    });
  counter('hub_db_round_trips_total', 'Statements sent to PostgreSQL (BEGIN and COMMIT included), by pool (driver, prisma).', (t) => t.roundTrips);
  counter('hub_db_wait_seconds_total', 'Seconds spent waiting for PostgreSQL to answer statements, summed over concurrent ones, by pool.', (t) => t.seconds);
  counter('hub_db_pool_wait_seconds_total', 'Seconds spent waiting for a free connection of a pool, summed, by pool.', (t) => t.poolWaitSeconds);
}
