import type pg from 'pg';

/** Which of the hub's two PostgreSQL pools a statement went through. */
export type PgVia = 'driver' | 'prisma';

export interface PgTrafficTotals {
  /** Statements sent to PostgreSQL and answered (BEGIN and COMMIT included): each is one round trip. */
  roundTrips: Record<PgVia, number>;
  /** Seconds from sending a statement until its answer, summed: the time turns spend waiting on PostgreSQL. */
  seconds: Record<PgVia, number>;
  /** Seconds spent waiting for a free connection of the pool, summed. */
  poolWaitSeconds: Record<PgVia, number>;
}

type Query = pg.PoolClient['query'];

/**
 * Counts what the hub asks of PostgreSQL: every statement on every connection of a watched pool is a
 * round trip, timed from sending to answer. Cheap enough to stay on in production (a counter and a
 * clock read per statement); /metrics shows it and the throughput bench divides it by the messages.
 */
export class PgTraffic {
  private readonly totals: PgTrafficTotals = {
    roundTrips: { driver: 0, prisma: 0 },
    seconds: { driver: 0, prisma: 0 },
    poolWaitSeconds: { driver: 0, prisma: 0 },
  };

  /** Times every statement on the pool's connections, and the waits for a connection; returns the pool. */
  watch(pool: pg.Pool, via: PgVia): pg.Pool {
    const totals = this.totals;
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) =>
        timed(args, query, (s) => {
          totals.roundTrips[via]++;
          totals.seconds[via] += s;
        })) as Query;
    });
    const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown;
    pool.connect = ((...args: unknown[]) =>
      timed(args, connect, (s) => {
        totals.poolWaitSeconds[via] += s;
      })) as pg.Pool['connect'];
    return pool;
  }

  /** The totals since the process started (copies). */
  read(): PgTrafficTotals {
    const t = this.totals;
    return { roundTrips: { ...t.roundTrips }, seconds: { ...t.seconds }, poolWaitSeconds: { ...t.poolWaitSeconds } };
  }
}

/**
 * Calls a pg function in either of its forms (a promise, or a callback last, which is how pg's own
 * pool.query drives a connection) and reports the seconds until it answered.
 */
function timed(args: unknown[], call: (...args: unknown[]) => unknown, report: (seconds: number) => void): unknown {
  const started = performance.now();
  const done = () => report((performance.now() - started) / 1000);
  const last = args.length - 1;
  const callback = args[last];
  if (typeof callback === 'function') {
    args[last] = (...results: unknown[]) => {
      done();
      return (callback as (...r: unknown[]) => unknown)(...results);
    };
    return call(...args);
  }
  const result = call(...args);
  if (result instanceof Promise) result.then(done, done);
  else done();
  return result;
}
