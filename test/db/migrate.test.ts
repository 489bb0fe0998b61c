import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDb, createDb, providerOf, tuneSqlite, type Db } from '../../src/db/client.js';
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

  it('never rebuilds on SQLite a table whose rows take others with them', () => {
    // The hub migrates in a transaction with foreign keys on, where the PRAGMA foreign_keys=OFF of a
    // generated rebuild (new table, copy, DROP TABLE, rename) does nothing: dropping the old table
    // deletes every row that references it ON DELETE CASCADE (a case's Slack card, a conversation's
    // live thread). Drop a column in place instead (ALTER TABLE … DROP COLUMN, as 0023_slack_posts does).
    const migrations = listMigrations('sqlite');
    const cascading = new Set(migrations.flatMap((m) => [...m.sql.matchAll(/REFERENCES "(\w+)" \("\w+"\) ON DELETE CASCADE/g)].map((r) => r[1])));
    expect([...cascading]).toEqual(expect.arrayContaining(['Case', 'Conversation']));
    const rebuilds = migrations.flatMap((m) => [...m.sql.matchAll(/^DROP TABLE "(\w+)"/gm)].filter((r) => cascading.has(r[1])).map((r) => `${m.name}: ${r[1]}`));
    expect(rebuilds).toEqual([]);
  });
});

describe(`upgrading to 0023_slack_posts on ${TEST_PROVIDER}`, () => {
  let testDb: TestDb;
  let db: Db;
  const at = new Date('2026-03-01T08:00:00.000Z');
  const due = new Date('2026-03-16T08:00:00.000Z');

  beforeAll(async () => {
    testDb = await createTestDb();
    db = createDb(testDb.url);
    // As the hub opens it: foreign keys enforced, as they are when it migrates.
    if (providerOf(testDb.url) === 'sqlite') await tuneSqlite(db);
    await migrate(db, providerOf(testDb.url), '0022_attachment');
  });
  afterAll(async () => {
    await closeDb(db);
    await testDb?.drop();
  });

  /** A conversation and its case as the previous version stored them, Slack's places on the rows. */
  async function oldCase(n: number, slack: { target: string | null; channel: string; ts: string | null } | null, live: { channel: string; ts: string | null } | null) {
    await db.$executeRaw`INSERT INTO "Petitioner" ("id", "channel", "channelUserId", "name", "createdAt", "updatedAt") VALUES (${`p${n}`}, 'webchat', ${`u${n}`}, ${`张${n}`}, ${at}, ${at})`;
    await db.$executeRaw`INSERT INTO "Conversation" ("id", "petitionerId", "channel", "locale", "state", "version", "lastSeq", "liveAgent", "liveChannel", "liveTs", "tokenHash", "createdAt", "updatedAt")
      VALUES (${`conv${n}`}, ${`p${n}`}, 'webchat', 'zh-CN', ${'{"phase":"after_filing"}'}, 7, 2, ${live ? 'slack:U1' : null}, ${live?.channel ?? null}, ${live?.ts ?? null}, ${`hash${n}`}, ${at}, ${at})`;
    await db.$executeRaw`INSERT INTO "Message" ("id", "conversationId", "seq", "role", "text", "createdAt") VALUES (${`m${n}`}, ${`conv${n}`}, 1, 'petitioner', '工地夜间施工', ${at})`;
    await db.$executeRaw`INSERT INTO "Case" ("id", "trackingNumber", "petitionerId", "conversationId", "status", "category", "categoryScore", "department", "needsTriage", "urgency", "language", "channel",
        "details", "summary", "acceptanceDueAt", "resolutionDueAt", "assignee", "slackTarget", "slackChannel", "slackTs", "queryCodeHash", "emergencyEscalations", "eventCount", "createdAt", "updatedAt")
      VALUES (${`case${n}`}, ${`XF-260301-000${n}`}, ${`p${n}`}, ${`conv${n}`}, 'accepted', 'environment', 0.9, 'ecology_environment', false, 'normal', 'zh-CN', 'webchat',
        ${'{"issue":"工地夜间施工"}'}, '夜间施工噪音', ${at}, ${due}, 'slack:U1', ${slack?.target ?? null}, ${slack?.channel ?? null}, ${slack?.ts ?? null}, ${`q${n}`}, 1, 1, ${at}, ${at})`;
    await db.$executeRaw`INSERT INTO "CaseEvent" ("id", "caseId", "type", "toStatus", "actor", "createdAt") VALUES (${`e${n}`}, ${`case${n}`}, 'filed', 'submitted', 'hub', ${at})`;
    await db.$executeRaw`INSERT INTO "DeadlineAlert" ("id", "caseId", "deadline", "stage", "dueAt", "createdAt") VALUES (${`a${n}`}, ${`case${n}`}, 'acceptance', 'reminder', ${due}, ${at})`;
  }

  it('keeps every posted card and live thread, and every other column of the cases and conversations', async () => {
    const provider = providerOf(testDb.url);
    await oldCase(1, { target: 'dept-env', channel: 'C0ENV', ts: '1700000000.000100' }, { channel: 'C0ENV', ts: '1700000000.000100' }); // hand-off in the case's thread
    await oldCase(2, { target: 'C0INTAKE', channel: 'C0INTAKE', ts: '1700000100.000200' }, null);
    await oldCase(3, null, null); // not posted yet
    await oldCase(4, null, { channel: 'C0INTAKE', ts: '1700000200.000300' }); // hand-off before filing
    await oldCase(5, { target: null, channel: 'C0HR', ts: null }, { channel: 'C0INTAKE', ts: null }); // Slack answered without a ts

    // Up to the current schema, which later migrations may have taken further.
    expect((await migrate(db, provider))[0]).toBe('0023_slack_posts');

    expect(await db.slackCard.findMany({ orderBy: { caseId: 'asc' } })).toEqual([
      { caseId: 'case1', target: 'dept-env', channel: 'C0ENV', ts: '1700000000.000100' },
      { caseId: 'case2', target: 'C0INTAKE', channel: 'C0INTAKE', ts: '1700000100.000200' },
      { caseId: 'case5', target: 'C0HR', channel: 'C0HR', ts: null },
    ]);
    expect(await db.slackLiveThread.findMany({ orderBy: { conversationId: 'asc' } })).toEqual([
      { conversationId: 'conv1', channel: 'C0ENV', ts: '1700000000.000100' },
      { conversationId: 'conv4', channel: 'C0INTAKE', ts: '1700000200.000300' },
      { conversationId: 'conv5', channel: 'C0INTAKE', ts: null },
    ]);
    // An officer's reply still finds its case, and a pre-filing hand-off its conversation, by the thread.
    expect(await db.slackCard.findFirst({ where: { channel: 'C0INTAKE', ts: '1700000100.000200' }, select: { case: { select: { trackingNumber: true } } } })).toEqual({ case: { trackingNumber: 'XF-260301-0002' } });
    expect(await db.slackLiveThread.findFirst({ where: { channel: 'C0INTAKE', ts: '1700000200.000300' }, select: { conversationId: true } })).toEqual({ conversationId: 'conv4' });

    for (let n = 1; n <= 5; n++) {
      expect(await db.case.findUniqueOrThrow({ where: { id: `case${n}` }, include: { events: true, alerts: true } })).toMatchObject({
        trackingNumber: `XF-260301-000${n}`, petitionerId: `p${n}`, conversationId: `conv${n}`, status: 'accepted', category: 'environment', categoryScore: 0.9,
        department: 'ecology_environment', needsTriage: false, urgency: 'normal', language: 'zh-CN', channel: 'webchat', details: '{"issue":"工地夜间施工"}',
        summary: '夜间施工噪音', acceptanceDueAt: at, resolutionDueAt: due, assignee: 'slack:U1', queryCodeHash: `q${n}`, emergencyEscalations: 1, eventCount: 1,
        createdAt: at, updatedAt: at, events: [{ id: `e${n}`, type: 'filed' }], alerts: [{ id: `a${n}`, dueAt: due }],
      });
      expect(await db.conversation.findUniqueOrThrow({ where: { id: `conv${n}` }, include: { messages: true } })).toMatchObject({
        petitionerId: `p${n}`, channel: 'webchat', locale: 'zh-CN', state: '{"phase":"after_filing"}', version: 7, lastSeq: 2, tokenHash: `hash${n}`,
        liveAgent: n === 1 || n === 4 || n === 5 ? 'slack:U1' : null, createdAt: at, updatedAt: at, messages: [{ id: `m${n}`, text: '工地夜间施工' }],
      });
    }
    const columns = async (table: string) =>
      provider === 'sqlite'
        ? (await db.$queryRawUnsafe<{ name: string }[]>(`SELECT "name" FROM pragma_table_info('${table}')`)).map((c) => c.name)
        : (await db.$queryRaw<{ name: string }[]>`SELECT column_name::text AS "name" FROM information_schema.columns WHERE table_name = ${table}`).map((c) => c.name);
    expect((await columns('Case')).filter((c) => /^slack/.test(c))).toEqual([]);
    expect((await columns('Conversation')).filter((c) => /^live(Channel|Ts)$/.test(c))).toEqual([]);
    if (provider === 'sqlite') expect(await db.$queryRawUnsafe('PRAGMA foreign_key_check')).toEqual([]);
  });

  it('deletes a card and a live thread with their case and conversation, and never stands in the way', async () => {
    await db.caseEvent.deleteMany({ where: { caseId: 'case1' } });
    await db.deadlineAlert.deleteMany({ where: { caseId: 'case1' } });
    await db.case.delete({ where: { id: 'case1' } });
    expect(await db.slackCard.findUnique({ where: { caseId: 'case1' } })).toBeNull();
    await db.message.deleteMany({ where: { conversationId: 'conv1' } });
    await db.conversation.delete({ where: { id: 'conv1' } });
    expect(await db.slackLiveThread.findUnique({ where: { conversationId: 'conv1' } })).toBeNull();
    expect(await db.slackCard.count()).toBe(2);
    expect(await db.slackLiveThread.count()).toBe(2);
  });
});
