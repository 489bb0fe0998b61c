import { closeDb, createDb, providerOf, tuneSqlite, type Db } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { createTestDb } from './test-db.js';

export interface MigratedDb {
  db: Db;
  url: string;
  /** Closes the client and removes the database. */
  drop(): Promise<void>;
}

/** A fresh database of the provider under test, tuned as the hub tunes it and migrated, with a client on it. */
export async function migratedTestDb(): Promise<MigratedDb> {
  const testDb = await createTestDb();
  const db = createDb(testDb.url);
  if (providerOf(testDb.url) === 'sqlite') await tuneSqlite(db);
  await migrate(db, providerOf(testDb.url));
  return {
    db,
    url: testDb.url,
    async drop() {
      await closeDb(db);
      await testDb.drop();
    },
  };
}
