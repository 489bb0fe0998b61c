import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Which database the suite runs on: SQLite by default, PostgreSQL when TEST_DATABASE=postgresql (CI runs both). */
export const TEST_PROVIDER = process.env.TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';
const PG_BASE = process.env.TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface TestDb {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty database of the provider under test: a new SQLite file or a new PostgreSQL database. */
export async function createTestDb(): Promise<TestDb> {
  if (TEST_PROVIDER === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'hub-test-'));
    return { url: `file:${join(dir, 'hub.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_BASE);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_BASE });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
