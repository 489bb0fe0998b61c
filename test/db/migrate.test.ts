import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, providerOf, type Db } from '../../src/db/client.js';
import { listMigrations, migrate } from '../../src/db/migrate.js';
import { createTestDb, TEST_PROVIDER, type TestDb } from '../helpers/test-db.js';

describe(`migrations on ${TEST_PROVIDER}`, () => {
  let testDb: TestDb;
  let db: Db;
  beforeAll(async () => {
    testDb = await createTestDb();
    db = createDb(testDb.url);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await testDb?.drop();
  });

  it('applies every committed migration once, and a second start applies nothing', async () => {
    const provider = providerOf(testDb.url);
    const all = listMigrations(provider).map((m) => m.name);
    expect(all.length).toBeGreaterThan(0);
    expect(await migrate(db, provider)).toEqual(all);
    expect(await migrate(db, provider)).toEqual([]);
    expect(await db.case.count()).toBe(0);
  });

  it('refuses to start on a database whose applied migration was edited afterwards', async () => {
    const provider = providerOf(testDb.url);
    const [first] = listMigrations(provider);
    await db.$executeRaw`UPDATE "_hub_migrations" SET "checksum" = ${'edited'} WHERE "name" = ${first.name}`;
    await expect(migrate(db, provider)).rejects.toThrow(/changed after it was applied/);
  });

  it('has the same migrations for SQLite and PostgreSQL', () => {
    expect(listMigrations('sqlite').map((m) => m.name)).toEqual(listMigrations('postgresql').map((m) => m.name));
  });
});
