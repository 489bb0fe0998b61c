import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from '../../generated/sqlite/client.js';
import { PrismaClient as PostgresClient } from '../../generated/postgresql/client.js';

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
 * moments. busy_timeout lets a second process (a CLI, a second hub) wait for the lock instead of failing.
 */
export async function tuneSqlite(db: Db): Promise<void> {
  await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await db.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
  await db.$queryRawUnsafe('PRAGMA busy_timeout = 5000');
  await db.$executeRawUnsafe('PRAGMA foreign_keys = ON');
}

export function createDb(databaseUrl: string): Db {
  if (providerOf(databaseUrl) === 'sqlite') {
    const file = sqlitePath(databaseUrl);
    mkdirSync(dirname(file), { recursive: true });
    return new SqliteClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
  }
  const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
  return client as unknown as Db; // same schema, same generated API; only the SQL dialect differs
}
