import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, createDb, sqlOf, type Db } from '../../src/db/client.js';
import { execute, joinSql, query, render, sql } from '../../src/db/sql.js';
import { inPrisma, type SqlDb } from '../../src/db/sql-driver.js';
import { createTestDb, TEST_PROVIDER, type TestDb } from '../helpers/test-db.js';
import { migratedTestDb, type MigratedDb } from '../helpers/migrated-db.js';

describe('sql statements', () => {
  it('keep values apart from the text and inline nested statements with their values', () => {
    const where = sql`"id" = ${'a'} AND "version" = ${3}`;
    const s = sql`UPDATE "T" SET "x" = ${'<b>; DROP TABLE "T"'} WHERE ${where}`;
    expect(s.values).toEqual(['<b>; DROP TABLE "T"', 'a', 3]);
    expect(render(s, 'question')).toBe('UPDATE "T" SET "x" = ? WHERE "id" = ? AND "version" = ?');
    expect(render(s, 'numbered')).toBe('UPDATE "T" SET "x" = $1 WHERE "id" = $2 AND "version" = $3');
  });

  it('join rows for a multi-row insert', () => {
    const rows = joinSql([sql`(${1}, ${'a'})`, sql`(${2}, ${'b'})`]);
    expect(render(rows, 'numbered')).toBe('($1, $2), ($3, $4)');
    expect(rows.values).toEqual([1, 'a', 2, 'b']);
  });

  it("render a call site the same way every time, in each style, with that call's values", () => {
    const bySite = (id: string) => sql`SELECT "x" FROM "T" WHERE "id" = ${id} AND "n" > ${1}`;
    for (const id of ['a', 'b']) {
      expect([render(bySite(id), 'question'), render(bySite(id), 'numbered'), bySite(id).values]).toEqual([
        'SELECT "x" FROM "T" WHERE "id" = ? AND "n" > ?',
        'SELECT "x" FROM "T" WHERE "id" = $1 AND "n" > $2',
        [id, 1],
      ]);
    }
    const nested = (inner: boolean) => sql`SELECT 1 WHERE ${inner ? sql`"a" = ${1}` : sql`"b" = ${2} AND "c" = ${3}`}`;
    expect([render(nested(true), 'numbered'), render(nested(false), 'numbered')]).toEqual(['SELECT 1 WHERE "a" = $1', 'SELECT 1 WHERE "b" = $1 AND "c" = $2']);
  });
});

describe(`the driver beside Prisma on ${TEST_PROVIDER}`, () => {
  let testDb: MigratedDb;
  let db: Db;
  let driver: SqlDb;
  const at = new Date('2026-03-01T08:30:00.123Z');

  beforeAll(async () => {
    testDb = await migratedTestDb();
    db = testDb.db;
    driver = sqlOf(db);
    await db.petitioner.create({ data: { id: 'p1', channel: 'webchat', channelUserId: 'u1' } });
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  const insertConversation = (id: string) =>
    execute(sql`INSERT INTO "Conversation" ("id", "petitionerId", "channel", "locale", "state", "createdAt", "updatedAt")
      VALUES (${id}, ${'p1'}, ${'webchat'}, ${'en'}, ${'{}'}, ${at}, ${at})`);

  it('writes dates and numbers that Prisma reads back exactly, and reads what Prisma wrote', async () => {
    await driver.transaction(function* () {
      yield* insertConversation('c1');
    });
    const row = await db.conversation.findUniqueOrThrow({ where: { id: 'c1' } });
    expect(row.createdAt.toISOString()).toBe(at.toISOString());
    expect(row.version).toBe(0);
    const later = new Date('2026-03-02T00:00:00.000Z');
    await db.conversation.update({ where: { id: 'c1' }, data: { updatedAt: later, version: 7 } });
    const [read] = await driver.query<{ version: number; updatedAt: Date | string }>(sql`SELECT "version", "updatedAt" FROM "Conversation" WHERE "id" = ${'c1'}`);
    expect(read.version).toBe(7);
    expect(new Date(read.updatedAt).toISOString()).toBe(later.toISOString());
  });

  it('rolls the whole transaction back when a statement fails', async () => {
    await expect(
      driver.transaction(function* () {
        yield* insertConversation('c2');
        yield* insertConversation('c2');
      }),
    ).rejects.toMatchObject({ code: TEST_PROVIDER === 'sqlite' ? 'SQLITE_CONSTRAINT_PRIMARYKEY' : '23505' });
    expect(await db.conversation.count({ where: { id: 'c2' } })).toBe(0);
  });

  it('waits for a Prisma transaction that is open on the shared connection instead of writing inside it', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const prismaTx = db.$transaction(async (tx) => {
      await inPrisma(tx, insertConversation('c3'));
      await held;
      throw new Error('roll back');
    });
    await new Promise((r) => setTimeout(r, 20));
    const driverTx = driver.transaction(function* () {
      yield* insertConversation('c4');
      return yield* query<{ n: number | string }>(sql`SELECT COUNT(*) AS "n" FROM "Conversation" WHERE "id" IN (${'c3'}, ${'c4'})`);
    });
    release();
    await expect(prismaTx).rejects.toThrow('roll back');
    const [count] = await driverTx;
    // Had it run inside Prisma's transaction, c4 would have been rolled back with c3, or c3 seen.
    expect(Number(count.n)).toBe(1);
    expect((await db.conversation.findMany({ where: { id: { in: ['c3', 'c4'] } } })).map((c) => c.id)).toEqual(['c4']);
  });
});

describe.skipIf(TEST_PROVIDER !== 'postgresql')('the PostgreSQL driver', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await createTestDb();
  });
  afterAll(() => testDb?.drop());

  /** The statements the server holds prepared on the connection a transaction gets (the pool's only one here). */
  const preparedOn = (driver: SqlDb) =>
    driver.transaction(function* () {
      return (yield* query<{ statement: string }>(sql`SELECT "statement" FROM pg_prepared_statements`)).map((r) => r.statement);
    });

  it('names its statements, so the server plans each once per connection, unless told not to', async () => {
    for (const prepared of [true, false]) {
      const db = createDb(testDb.url, { preparedStatements: prepared });
      try {
        const driver = sqlOf(db);
        for (const n of [1, 2, 3]) expect(await driver.query<{ n: number }>(sql`SELECT ${n}::int AS "n"`)).toEqual([{ n }]);
        const held = await preparedOn(driver);
        expect(held.some((s) => s.includes('SELECT $1::int AS "n"'))).toBe(prepared);
      } finally {
        await closeDb(db);
      }
    }
  });

  it('counts its round trips and the time it waited for them', async () => {
    const db = createDb(testDb.url);
    try {
      const driver = sqlOf(db);
      const before = driver.traffic?.();
      await driver.transaction(function* () {
        yield* query(sql`SELECT 1`);
        yield* query(sql`SELECT 2`);
      });
      const after = driver.traffic?.();
      // BEGIN, two statements, COMMIT.
      expect((after?.roundTrips.driver ?? 0) - (before?.roundTrips.driver ?? 0)).toBe(4);
      expect(after?.seconds.driver).toBeGreaterThan(before?.seconds.driver ?? Infinity);
      await db.$queryRaw`SELECT 1`;
      expect(driver.traffic?.().roundTrips.prisma).toBeGreaterThan(after?.roundTrips.prisma ?? Infinity);
    } finally {
      await closeDb(db);
    }
  });
});
