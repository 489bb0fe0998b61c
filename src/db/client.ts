import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '../../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../../generated/postgresql/client.js';
import type BetterSqlite3 from 'better-sqlite3';
import { FALLBACK_AUTOCHECKPOINT_PAGES } from './checkpointer.js';
import { BUSY_TIMEOUT_MS, PgSql, SqliteSql, type SqlDb } from './sql-driver.js';
import { openDeep } from './personal-data.js';
import { PgTraffic } from './pg-traffic.js';
import pg from 'pg';

// Both generated clients come from one schema and have the same API; the SQLite one names the type.
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];
export type Provider = 'sqlite' | 'postgresql';

export function providerOf(databaseUrl: string): Provider {
  return databaseUrl.startsWith('file:') ? 'sqlite' : 'postgresql';
}

export function sqlitePath(databaseUrl: string): string {
  return resolve(databaseUrl.slice('file:'.length).split('?')[0]);
}

/**
 * SQLite in WAL mode with synchronous=NORMAL: a commit is durable against a crash of the hub (the
 * write-ahead log is in the OS), without an fsync per turn; only a power cut can lose the last
 * moments. The log is copied back into the file by the hub's checkpoint thread (checkpointer.ts).
 * busy_timeout lets a second process (a CLI, a second hub) wait for the lock instead of failing.
 */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  await db.$queryRawUnsafe(`PRAGMA wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
}

const drivers = new WeakMap<object, SqlDb>();

/**
 * Every query's result with the personal data opened that is encrypted at rest (personal-data.ts),
 * models and raw queries alike, in and out of transactions. Only reading changes, so the extended
 * client keeps the generated client's API and is used as one.
 */
function opening(client: Db): Db {
  return client.$extends({
    query: {
      async $allOperations({ args, query }) {
        return openDeep(await query(args));
      },
    },
  }) as unknown as Db;
}

/** @param options.preparedStatements PostgreSQL: name the driver's fixed statements (PG_PREPARED_STATEMENTS; on by default). */
export function createDb(databaseUrl: string, options: { preparedStatements?: boolean } = {}): Db {
  if (providerOf(databaseUrl) === 'sqlite') {
    const file = sqlitePath(databaseUrl);
    mkdirSync(dirname(file), { recursive: true });
    const factory = new PrismaBetterSQLite3({ url: `file:${file}` });
    // The hot paths share the connection Prisma opens (see SqliteSql); the adapter keeps it in `client`.
    let connection: BetterSqlite3.Database | undefined;
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      connection = (adapter as unknown as { client: BetterSqlite3.Database }).client;
      beginImmediate(connection);
      return adapter;
    };
    const db = opening(new SqliteClient({ adapter: factory }));
    drivers.set(db, new SqliteSql(() => connection));
    return db;
  }
  // Same schema, same generated API; only the SQL dialect differs. Both pools count their round trips.
  const traffic = new PgTraffic();
  const prismaPool = traffic.watch(new pg.Pool({ connectionString: databaseUrl }), 'prisma');
  const client = opening(new PostgresClient({ adapter: new PrismaPg(prismaPool, { disposeExternalPool: true }) }) as unknown as Db);
  drivers.set(client, new PgSql(databaseUrl, { traffic, preparedStatements: options.preparedStatements ?? true }));
  return client;
}

/**
 * Prisma's adapter opens its transactions with a plain (deferred) BEGIN. With several processes on
 * one file, a deferred transaction that read before another process committed can never take the
 * write lock (SQLITE_BUSY_SNAPSHOT, which no waiting cures); BEGIN IMMEDIATE takes the lock first.
 */
function beginImmediate(connection: BetterSqlite3.Database): void {
  const prepare = connection.prepare.bind(connection);
  connection.prepare = ((source: string) => prepare(source === 'BEGIN' ? 'BEGIN IMMEDIATE' : source)) as typeof connection.prepare;
}

/** The driver beside a client made by createDb (the SQLite one is usable once the client has connected). */
export function sqlOf(db: Db): SqlDb {
  const driver = drivers.get(db);
  if (!driver) throw new Error('sqlOf: this client was not made by createDb');
  return driver;
}

export async function closeDb(db: Db): Promise<void> {
  await drivers.get(db)?.close();
  await db.$disconnect();
}
