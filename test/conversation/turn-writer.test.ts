import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqlOf, type Db } from '../../src/db/client.js';
import { execute, sql } from '../../src/db/sql.js';
import type { SqlDb } from '../../src/db/sql-driver.js';
import { TurnWriter } from '../../src/conversation/turn-writer.js';
import { StaleConversationError, type AppendItem } from '../../src/conversation/messages.js';
import { CaseWrites } from '../../src/cases/case-writes.js';
import { deadlinePolicy } from '../../src/cases/deadlines.js';
import { verifyChains } from '../../src/cases/event-chain.js';
import { loadConfig } from '../../src/config.js';
import { initialState } from '../../src/engine/state.js';
import { TEST_PROVIDER } from '../helpers/test-db.js';
import { migratedTestDb, type MigratedDb } from '../helpers/migrated-db.js';

/**
 * The group commit of turns, on the database under test: what each turn gets back, what is stored,
 * and on PostgreSQL what it costs in round trips (the point of writing a batch as one statement).
 */
describe(`group commit of turns on ${TEST_PROVIDER}`, () => {
  let testDb: MigratedDb;
  let db: Db;
  let driver: SqlDb;
  let cases: CaseWrites;
  const at = new Date('2026-05-04T09:00:00.000Z');
  const origin = (conversationId: string) => ({ conversationId, petitionerId: 'p1', channel: 'webchat', state: initialState('en') });

  beforeAll(async () => {
    testDb = await migratedTestDb();
    db = testDb.db;
    driver = sqlOf(db);
    cases = new CaseWrites({ deadlines: deadlinePolicy(loadConfig({})) });
    await db.petitioner.create({ data: { id: 'p1', channel: 'webchat', channelUserId: 'u1' } });
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  let n = 0;
  let ids: string[] = [];
  beforeEach(async () => {
    ids = Array.from({ length: 12 }, () => `conv-${++n}`);
    for (const id of ids) {
      await driver.execute(sql`INSERT INTO "Conversation" ("id", "petitionerId", "channel", "locale", "state", "createdAt", "updatedAt")
        VALUES (${id}, ${'p1'}, ${'webchat'}, ${'en'}, ${'{}'}, ${at}, ${at})`);
    }
  });

  const turn = (conversationId: string, text: string, version = 0, clientMessageId?: string): AppendItem => ({
    conversationId,
    drafts: [
      { role: 'petitioner', text, clientMessageId },
      { role: 'bot', text: `About "${text}": when did it start?`, expects: { type: 'text', slot: 'time' } },
    ],
    now: at,
    save: { state: JSON.stringify({ phase: 'intake', said: text }), locale: 'en', version },
    caseNumber: null,
  });

  it('stores every turn of a batch with its messages numbered after the conversation’s last, and its new state', async () => {
    const writer = new TurnWriter(driver, cases);
    const saved = await Promise.all(ids.map((id, i) => writer.save(turn(id, `<b>story</b> ${i} & 'quotes'`))));
    for (const [i, rows] of saved.entries()) {
      expect(rows.map((r) => [r.seq, r.role, r.text])).toEqual([
        [1, 'petitioner', `<b>story</b> ${i} & 'quotes'`],
        [2, 'bot', `About "<b>story</b> ${i} & 'quotes'": when did it start?`],
      ]);
    }
    const stored = await db.message.findMany({ where: { conversationId: ids[3] }, orderBy: { seq: 'asc' } });
    expect(stored.map((m) => [m.id, m.seq, m.text, m.expects, m.caseId])).toEqual(saved[3].map((r) => [r.id, r.seq, r.text, r.expects, null]));
    expect(stored.map((m) => m.createdAt.toISOString())).toEqual([at.toISOString(), new Date(at.getTime() + 1).toISOString()]);
    const conv = await db.conversation.findUniqueOrThrow({ where: { id: ids[3] } });
    expect([conv.version, conv.lastSeq, JSON.parse(conv.state)]).toEqual([1, 2, { phase: 'intake', said: "<b>story</b> 3 & 'quotes'" }]);
  });

  it('refuses a turn read at an old version and stores nothing of it, while the rest of its batch is stored', async () => {
    const writer = new TurnWriter(driver, cases);
    await writer.save(turn(ids[0], 'first'));
    const results = await Promise.allSettled([writer.save(turn(ids[0], 'stale', 0)), writer.save(turn(ids[1], 'fine'))]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: expect.any(StaleConversationError) });
    expect(results[1].status).toBe('fulfilled');
    expect(await db.message.count({ where: { conversationId: ids[0] } })).toBe(2);
    expect(await db.message.count({ where: { conversationId: ids[1] } })).toBe(2);
  });

  it('fails only the turn that repeats a stored message id; the others of the batch are stored', async () => {
    const writer = new TurnWriter(driver, cases);
    await writer.save(turn(ids[0], 'once', 0, 'client-1'));
    const results = await Promise.allSettled([writer.save(turn(ids[0], 'once', 1, 'client-1')), ...ids.slice(1, 5).map((id) => writer.save(turn(id, 'other')))]);
    expect(results[0].status).toBe('rejected');
    expect(results.slice(1).every((r) => r.status === 'fulfilled')).toBe(true);
    expect(await db.message.count({ where: { conversationId: ids[0] } })).toBe(2);
  });

  it('writes two turns of one conversation that arrive together one after the other, never in one statement', async () => {
    const writer = new TurnWriter(driver, cases);
    const [a, b] = await Promise.all([writer.save(turn(ids[0], 'one', 0)), writer.save(turn(ids[0], 'two', 1))]);
    expect([...a, ...b].map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    expect((await db.conversation.findUniqueOrThrow({ where: { id: ids[0] } })).version).toBe(2);
  });

  it('applies case changes in the turn’s transaction, and keeps the case’s event chain whole', async () => {
    await driver.execute(sql`INSERT INTO "Case" ("id", "trackingNumber", "petitionerId", "conversationId", "status", "category", "categoryScore", "department", "urgency", "language", "channel", "details", "summary", "acceptanceDueAt", "resolutionDueAt", "createdAt", "updatedAt")
      VALUES (${`case-${n}`}, ${`TN-${n}`}, ${'p1'}, ${ids[0]}, ${'awaiting_petitioner'}, ${'other'}, ${0.9}, ${'general'}, ${'normal'}, ${'en'}, ${'webchat'}, ${'{}'}, ${'s'}, ${at}, ${at}, ${at}, ${at})`);
    const writer = new TurnWriter(driver, cases, { parallel: 3 });
    const added = (text: string, version: number) =>
      writer.save({ ...turn(ids[0], text, version), caseNumber: `TN-${n}` }, { effects: [{ type: 'add_to_case', trackingNumber: `TN-${n}`, text }], origin: origin(ids[0]), at });
    await Promise.all([added('the lamp is still broken', 0), ...ids.slice(1).map((id) => writer.save(turn(id, 'other')))]);
    await added('and now the second one too', 1);
    const events = await db.caseEvent.findMany({ where: { caseId: `case-${n}` }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.seq, e.type])).toEqual([
      [1, 'info_added'],
      [2, 'info_received'],
      [3, 'info_added'],
    ]);
    expect((await db.case.findUniqueOrThrow({ where: { id: `case-${n}` } })).status).toBe('in_progress');
    const messages = await db.message.findMany({ where: { conversationId: ids[0] } });
    expect(new Set(messages.map((m) => m.caseId))).toEqual(new Set([`case-${n}`]));
    expect((await verifyChains(driver)).breaks).toEqual([]);
  });

  it.skipIf(TEST_PROVIDER !== 'postgresql')('on PostgreSQL, commits a batch without case changes in one round trip, and several batches at once', async () => {
    const writer = new TurnWriter(driver, cases, { parallel: 2 });
    const trips = () => driver.traffic?.().roundTrips.driver ?? Number.NaN;
    const before = trips();
    // Queued in one pass of the event loop: one batch, one statement (no BEGIN, no COMMIT).
    await Promise.all(ids.map((id) => writer.save(turn(id, 'hello'))));
    expect(trips() - before).toBe(1);
    // With several writers, the turns still all arrive, each exactly once.
    const again = await Promise.all(ids.map((id) => writer.save(turn(id, 'again', 1))));
    expect(again.every((rows) => rows.length === 2)).toBe(true);
    expect(await db.message.count({ where: { conversationId: { in: ids } } })).toBe(ids.length * 4);
  });

  it('refuses a second statement where one was promised, before sending it', async () => {
    const twice = driver.transaction(
      function* () {
        yield* execute(sql`UPDATE "Conversation" SET "locale" = ${'zh-CN'} WHERE "id" = ${ids[0]}`);
        yield* execute(sql`UPDATE "Conversation" SET "locale" = ${'zh-CN'} WHERE "id" = ${ids[1]}`);
      },
      { oneStatement: true },
    );
    if (TEST_PROVIDER === 'postgresql') {
      await expect(twice).rejects.toThrow(/second statement/);
      expect((await db.conversation.findUniqueOrThrow({ where: { id: ids[1] } })).locale).toBe('en');
    } else {
      // SQLite runs every transaction whole, in the process: the promise costs nothing there.
      await twice;
      expect((await db.conversation.findUniqueOrThrow({ where: { id: ids[1] } })).locale).toBe('zh-CN');
    }
  });
});
