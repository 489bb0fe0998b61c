import { createHash } from 'node:crypto';
import { openDeep } from './personal-data.js';
import type BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { Prisma } from '../../generated/sqlite/client.js';
import type { Provider, Tx } from './client.js';
import { PgTraffic, type PgTrafficTotals } from './pg-traffic.js';
import { driveAsync, driveSync, render, type SqlScalar, type SqlValue, type Statement, type TxBody, type TxOp } from './sql.js';

/**
 * The database driver without Prisma in between, for the statements of a petitioner's turn: Prisma's
 * client costs about ten times the SQL itself per statement (docs/benchmarks.md). Everything else
 * keeps using Prisma.
 */
export interface SqlDb {
  readonly provider: Provider;
  query<T>(statement: Statement): Promise<T[]>;
  execute(statement: Statement): Promise<number>;
  /**
   * The body's statements in one transaction. With `oneStatement`, the body makes one statement at
   * most, which PostgreSQL commits on its own: no BEGIN and COMMIT round trips (a second statement
   * is refused before it is sent, and the first is then already committed: a caller's mistake).
   */
  transaction<T>(body: () => TxBody<T>, options?: { oneStatement?: boolean }): Promise<T>;
  close(): Promise<void>;
  /** The connection pool's state (PostgreSQL; SQLite has one connection and no pool): for /metrics. */
  poolStats?(): { total: number; idle: number; waiting: number; max: number };
  /** Round trips to PostgreSQL and the time spent waiting on them, this process's and Prisma's pools (for /metrics). */
  traffic?(): PgTrafficTotals;
}

const MAX_CACHED_STATEMENTS = 500;
/** What tuneSqlite gives the shared connection, restored after each non-waiting BEGIN. */
export const BUSY_TIMEOUT_MS = 5000;
const LOCK_WAIT_MS = BUSY_TIMEOUT_MS;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SQLite through the connection Prisma itself opened, so the process has one connection and one
 * writer: Prisma's transactions and these never wait for each other's locks. A transaction here runs
 * synchronously from BEGIN to COMMIT, so nothing else can use the connection meanwhile; when a Prisma
 * transaction is open on it (Prisma awaits between its statements), this one waits for it to end.
 */
export class SqliteSql implements SqlDb {
  readonly provider = 'sqlite' as const;
  private readonly statements = new Map<string, BetterSqlite3.Statement>();
  private cachedFor: BetterSqlite3.Database | undefined;

  constructor(private readonly connection: () => BetterSqlite3.Database | undefined) {}

  async query<T>(statement: Statement): Promise<T[]> {
    return this.run({ kind: 'query', statement }) as T[];
  }

  async execute(statement: Statement): Promise<number> {
    return this.run({ kind: 'execute', statement }) as number;
  }

  async transaction<T>(body: () => TxBody<T>): Promise<T> {
    const giveUpAt = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const db = this.db();
      if (!db.inTransaction && this.begin(Date.now() > giveUpAt)) {
        try {
          const result = driveSync(body(), (op) => this.run(op));
          this.prepare('COMMIT').run();
          return result;
        } catch (err) {
          if (db.inTransaction) this.prepare('ROLLBACK').run();
          throw err;
        }
      }
      await sleep(1);
    }
  }

  async close(): Promise<void> {
    this.statements.clear();
  }

  /**
   * BEGIN IMMEDIATE without SQLite's busy handler, which sleeps with the thread blocked: when another
   * process holds the write lock, this process had better go on with other requests and try again.
   * Returns false when the lock is taken; after the deadline, waits in SQLite and fails as it would.
   */
  private begin(lastTry: boolean): boolean {
    if (lastTry) {
      this.prepare('BEGIN IMMEDIATE').run();
      return true;
    }
    this.prepare('PRAGMA busy_timeout = 0').get();
    try {
      this.prepare('BEGIN IMMEDIATE').run();
      return true;
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return false;
      throw err;
    } finally {
      this.prepare(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`).get();
    }
  }

  private run(op: TxOp): unknown {
    if (op.kind === 'dialect') return 'sqlite';
    const s = this.prepare(render(op.statement, 'question'));
    const args = op.statement.values.map(sqliteValue);
    return op.kind === 'query' ? openDeep(s.all(...args)) : s.run(...args).changes;
  }

  private db(): BetterSqlite3.Database {
    const db = this.connection();
    if (!db) throw new Error('the SQLite connection is not open yet');
    if (db !== this.cachedFor) {
      this.statements.clear();
      this.cachedFor = db;
    }
    return db;
  }

  private prepare(text: string): BetterSqlite3.Statement {
    let s = this.statements.get(text);
    if (!s) {
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear();
      s = this.db().prepare(text);
      // Prisma turns safe integers on for its connection; the hub's counters fit in a number.
      if (s.reader) s.safeIntegers(false);
      this.statements.set(text, s);
    }
    return s;
  }
}

/** Stored the way Prisma's SQLite adapter stores them, so either side reads the other's rows. */
function sqliteValue(v: SqlValue): unknown {
  if (Array.isArray(v)) throw new Error('an array parameter was given to SQLite: that statement is for PostgreSQL only');
  if (v instanceof Date) return v.toISOString().replace('Z', '+00:00');
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

// Prisma's PostgreSQL columns are `timestamp(3)` without a zone, holding UTC.
const TIMESTAMP_OID = 1114;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_OID ? (text: string) => new Date(`${text.replace(' ', 'T')}Z`) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

function pgValue(v: SqlValue): unknown {
  return Array.isArray(v) ? v.map(pgScalar) : pgScalar(v as SqlScalar);
}

function pgScalar(v: SqlScalar): unknown {
  return v instanceof Date ? v.toISOString().replace('T', ' ').replace('Z', '') : v;
}

export class PgSql implements SqlDb {
  readonly provider = 'postgresql' as const;
  private readonly pool: pg.Pool;

  private readonly watch: PgTraffic;
  private readonly prepared: boolean;

  /**
   * @param options.traffic counts this pool's round trips; Prisma's pool is counted on the same one (createDb).
   * @param options.preparedStatements name fixed statements, so that the server plans them once per connection.
   */
  constructor(connectionString: string, options: { traffic?: PgTraffic; preparedStatements?: boolean } = {}) {
    this.watch = options.traffic ?? new PgTraffic();
    this.prepared = options.preparedStatements ?? true;
    this.pool = this.watch.watch(new pg.Pool({ connectionString, max: 8 }), 'driver');
    // An idle connection dropped by the server must not crash the hub; the pool opens a new one.
    this.pool.on('error', () => undefined);
  }

  query<T>(statement: Statement): Promise<T[]> {
    return this.run(this.pool, { kind: 'query', statement }) as Promise<T[]>;
  }

  execute(statement: Statement): Promise<number> {
    return this.run(this.pool, { kind: 'execute', statement }) as Promise<number>;
  }

  async transaction<T>(body: () => TxBody<T>, options: { oneStatement?: boolean } = {}): Promise<T> {
    if (options.oneStatement) {
      let sent = 0;
      return driveAsync(body(), (op) => {
        if (op.kind !== 'dialect' && sent++) throw new Error('a second statement in a one-statement transaction');
        return this.run(this.pool, op);
      });
    }
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await driveAsync(body(), (op) => this.run(client, op));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  poolStats(): { total: number; idle: number; waiting: number; max: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount, max: this.pool.options.max ?? 10 };
  }

  traffic(): PgTrafficTotals {
    return this.watch.read();
  }

  private async run(client: pg.Pool | pg.PoolClient, op: TxOp): Promise<unknown> {
    if (op.kind === 'dialect') return 'postgresql';
    const text = render(op.statement, 'numbered');
    const r = await client.query({ text, name: this.prepared ? preparedName(text) : undefined, values: op.statement.values.map(pgValue), types });
    return op.kind === 'query' ? openDeep(r.rows) : (r.rowCount ?? 0);
  }
}

const names = new Map<string, string>();
/** Named statements at most: each connection of the pool keeps them all, and so does the server, per connection. */
const MAX_NAMED = 500;

/**
 * A name for the statement, so that PostgreSQL parses and plans it once per connection instead of
 * on every turn. The hub's statements are a few hundred texts that come back again and again; past
 * MAX_NAMED (a statement whose text varies, such as a long IN list) the rest go unnamed.
 */
function preparedName(text: string): string | undefined {
  let name = names.get(text);
  if (!name && names.size < MAX_NAMED) {
    name = `hub_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/** The same statements inside a Prisma interactive transaction (officer actions, session start). */
export function inPrisma<T>(tx: Pick<Tx, '$queryRaw' | '$executeRaw'>, body: TxBody<T>): Promise<T> {
  return driveAsync(body, async (op) => {
    if (op.kind === 'dialect') return 'portable';
    const q = new Prisma.Sql(op.statement.parts, op.statement.values);
    return op.kind === 'query' ? tx.$queryRaw(q).then(openDeep) : tx.$executeRaw(q);
  });
}
