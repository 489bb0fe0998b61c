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

  it('leaves the rows that never match out of two of Message\'s indexes, and still refuses a repeated clientMessageId', async () => {
    const provider = providerOf(testDb.url);
    const defs =
      provider === 'sqlite'
        ? await db.$queryRaw<{ sql: string }[]>`SELECT "sql" FROM sqlite_master WHERE "type" = 'index' AND "tbl_name" = 'Message' AND "sql" IS NOT NULL`
        : await db.$queryRaw<{ sql: string }[]>`SELECT indexdef AS "sql" FROM pg_indexes WHERE tablename = 'Message'`;
    const def = (name: string) => defs.map((d) => d.sql).find((d) => d.includes(`"${name}"`)) ?? '';
    expect(def('Message_replyToId_idx')).toMatch(/WHERE \(?"replyToId" IS NOT NULL\)?/);
    expect(def('Message_conversationId_clientMessageId_key')).toMatch(/UNIQUE INDEX[\s\S]*WHERE \(?"clientMessageId" IS NOT NULL\)?/);
    const at = new Date();
    await db.petitioner.create({ data: { id: 'p-mig', channel: 'webchat', channelUserId: 'u-mig' } });
    await db.conversation.create({ data: { id: 'c-mig', petitionerId: 'p-mig', channel: 'webchat', locale: 'en', state: '{}', createdAt: at } });
    const message = (id: string, seq: number, clientMessageId: string | null) => ({ id, conversationId: 'c-mig', seq, role: 'bot', text: 'x', clientMessageId, createdAt: at });
    await db.message.createMany({ data: [message('m1', 1, 'k1'), message('m2', 2, null), message('m3', 3, null)] });
    await expect(db.message.create({ data: message('m4', 4, 'k1') })).rejects.toThrow();
    expect(await db.message.findUnique({ where: { conversationId_clientMessageId: { conversationId: 'c-mig', clientMessageId: 'k1' } } })).toMatchObject({ id: 'm1' });
    await db.message.deleteMany({ where: { conversationId: 'c-mig' } });
    await db.conversation.delete({ where: { id: 'c-mig' } });
    await db.petitioner.delete({ where: { id: 'p-mig' } });
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
