import { Gauge, type Registry } from 'prom-client';
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
