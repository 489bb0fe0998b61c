import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../../src/db/client.js';
import { inPrisma, type SqlDb } from '../../src/db/sql-driver.js';
import { sql } from '../../src/db/sql.js';
import { insertEvent } from '../../src/cases/case-rows.js';
import { eventHash, sealLegacyEvents, storedDate, textDigest, verifyChains, type ChainFields, type EventRecord } from '../../src/cases/event-chain.js';
import { issueCaseLink } from '../../officers/case-link/case-page.js';
import { TestClock } from '../helpers/clock.js';
import { ADMIN_TOKEN, startTestHub, type TestHub } from '../helpers/hub.js';
import { fileLabourCase, officerReply } from '../helpers/petitions.js';
import { api } from '../helpers/webchat-client.js';

type Row = EventRecord;

async function caseOf(db: SqlDb, ref: string) {
  const [c] = await db.query<{ id: string; eventCount: number; lastEventHash: string | null }>(
    sql`SELECT "id", "eventCount", "lastEventHash" FROM "Case" WHERE "trackingNumber" = ${ref}`,
  );
  const events = await db.query<Row>(sql`SELECT "id", "caseId", "seq", "type", "fromStatus", "toStatus", "actor", "text", "data", "createdAt", "prevHash", "hash", "textHash"
    FROM "CaseEvent" WHERE "caseId" = ${c.id} ORDER BY "seq"`);
  return { ...c, eventCount: Number(c.eventCount), events: events.map((e) => ({ ...e, seq: e.seq === null ? null : Number(e.seq) })) };
}

/** Puts a row back as it was (after a test deleted it). */
function restore(db: SqlDb, e: Row) {
  return db.execute(sql`INSERT INTO "CaseEvent" ("id", "caseId", "seq", "type", "fromStatus", "toStatus", "actor", "text", "data", "createdAt", "prevHash", "hash", "textHash")
    VALUES (${e.id}, ${e.caseId}, ${e.seq}, ${e.type}, ${e.fromStatus}, ${e.toStatus}, ${e.actor}, ${e.text}, ${e.data}, ${storedDate(e.createdAt)}, ${e.prevHash}, ${e.hash}, ${e.textHash})`);
}

function auditVerify(databaseUrl: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit-verify.ts'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl, PERSONAL_DATA_KEYS: process.env.TEST_PERSONAL_DATA_KEYS ?? '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the hash of an event', () => {
  const base: ChainFields = {
    id: 'e1', caseId: 'c1', seq: 1, type: 'reply', fromStatus: 'accepted', toStatus: 'accepted', actor: 'officer:li',
    textHash: textDigest('您好'), data: '{"a":1}', createdAt: new Date('2025-03-01T08:00:00.123Z'), prevHash: null,
  };

  it('covers every field, and the text through its digest', () => {
    const h = eventHash(base);
    expect(eventHash({ ...base })).toBe(h);
    const changed: Partial<ChainFields>[] = [
      { id: 'e2' }, { caseId: 'c2' }, { seq: 2 }, { type: 'resolve' }, { fromStatus: null }, { toStatus: 'resolved' }, { actor: 'officer:wang' },
      { textHash: textDigest('你好') }, { textHash: null }, { data: '{"a":2}' }, { data: null },
      { createdAt: new Date('2025-03-01T08:00:00.124Z') }, { prevHash: 'ab'.repeat(32) },
    ];
    for (const c of changed) expect(eventHash({ ...base, ...c }), JSON.stringify(c)).not.toBe(h);
    // No field can borrow from its neighbour.
    expect(eventHash({ ...base, fromStatus: 'a', toStatus: 'b,c' })).not.toBe(eventHash({ ...base, fromStatus: 'a,b', toStatus: 'c' }));
  });

  it('is the same for a text as written and as the database gives it back', () => {
    // Both drivers store a lone surrogate as U+FFFD.
    expect(textDigest('坏\ud800字')).toBe(textDigest('坏\ufffd字'));
    expect(storedDate('2025-03-01T08:00:00.123+00:00').toISOString()).toBe('2025-03-01T08:00:00.123Z');
    expect(storedDate('2025-03-01 08:00:00').toISOString()).toBe('2025-03-01T08:00:00.000Z');
  });
});

describe('the tamper-evident case history', () => {
  let a: TestHub;
  let b: TestHub | undefined;
  let db: SqlDb;
  let ref: string;
  let other: string;
  const clock = new TestClock();

  beforeAll(async () => {
    a = await startTestHub({ now: clock.now });
    db = sqlOf(a.db);
    ({ ref } = await fileLabourCase(a.url));
    ({ ref: other } = await fileLabourCase(a.url, 'en'));
    for (const action of [{ action: 'claim' }, { action: 'accept' }]) {
      clock.advanceHours(1);
      const r = await api(a.url, `/api/cases/${ref}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { ...action, actor: 'officer:li' } });
      expect(r.status).toBe(200);
    }
    clock.advanceHours(1);
    expect((await officerReply(a.url, ref, '我们已联系厂方,下周答复您。')).status).toBe(200);
    clock.advanceHours(1);
    expect((await officerReply(a.url, ref, '厂方同意本月底前结清。')).status).toBe(200);
    expect((await api(a.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN, headers: { 'x-actor': 'officer:wang' } })).status).toBe(200);
    expect((await officerReply(a.url, other, 'We have contacted the employer.')).status).toBe(200);
    // The case page (Prisma) and the deadline scheduler (INSERT in its claim) write events too.
    const [row] = await db.query<{ id: string; trackingNumber: string }>(sql`SELECT "id", "trackingNumber" FROM "Case" WHERE "trackingNumber" = ${ref}`);
    expect((await fetch(await issueCaseLink(a.db, row, 'slack:U0ZHAO', a.url, clock.now()))).status).toBe(200);
    clock.advanceHours(24 * 30);
    await a.deadlines.runDue();
  }, 120_000);

  afterAll(async () => {
    await b?.stop();
    await a?.drop();
  });

  it('chains every event of a case, written by the turn path, officers and readers alike', async () => {
    const c = await caseOf(db, ref);
    expect(c.events.length).toBeGreaterThanOrEqual(6);
    expect(c.events.map((e) => e.seq)).toEqual(c.events.map((_, i) => i + 1));
    expect(c.events.map((e) => e.prevHash)).toEqual([null, ...c.events.slice(0, -1).map((e) => e.hash)]);
    expect(c.eventCount).toBe(c.events.length);
    expect(c.lastEventHash).toBe(c.events.at(-1)?.hash);
    expect(c.events.map((e) => e.type)).toEqual(expect.arrayContaining(['claim', 'accept', 'reply', 'viewed']));
    expect(c.events.filter((e) => e.type === 'viewed').map((e) => e.actor)).toEqual(['officer:wang', 'slack:U0ZHAO']);
    expect((await caseOf(db, other)).events.map((e) => e.type)).toContain('overdue');
    const report = await verifyChains(db);
    expect(report.breaks).toEqual([]);
    expect(report.cases).toBe(2);
    expect(report.events).toBe(c.events.length + (await caseOf(db, other)).events.length);
  });

  it('finds an event whose text was edited', async () => {
    const c = await caseOf(db, ref);
    const reply = c.events.find((e) => e.type === 'reply') as Row;
    await db.execute(sql`UPDATE "CaseEvent" SET "text" = ${'我们没有收到您的材料。'} WHERE "id" = ${reply.id}`);
    const report = await verifyChains(db);
    expect(report.breaks).toEqual([{ caseId: c.id, trackingNumber: ref, seq: reply.seq, eventId: reply.id, problem: 'text differs from what was written' }]);
    await db.execute(sql`UPDATE "CaseEvent" SET "text" = ${reply.text} WHERE "id" = ${reply.id}`);
    expect((await verifyChains(db)).breaks).toEqual([]);
  });

  it('finds an event whose actor was edited, and one whose hash was recomputed alone', async () => {
    const c = await caseOf(db, ref);
    const e = c.events[2];
    await db.execute(sql`UPDATE "CaseEvent" SET "actor" = ${'officer:nobody'} WHERE "id" = ${e.id}`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: ref, seq: 3, eventId: e.id, problem: expect.stringMatching(/^fields differ/) }]);
    // Rehashing the edited event is not enough: the next event still names the old hash.
    const forged = eventHash({ ...e, seq: 3, actor: 'officer:nobody', createdAt: storedDate(e.createdAt) });
    await db.execute(sql`UPDATE "CaseEvent" SET "hash" = ${forged} WHERE "id" = ${e.id}`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: ref, seq: 4, eventId: c.events[3].id, problem: expect.stringMatching(/^prevHash/) }]);
    await db.execute(sql`UPDATE "CaseEvent" SET "actor" = ${e.actor}, "hash" = ${e.hash} WHERE "id" = ${e.id}`);
    expect((await verifyChains(db)).breaks).toEqual([]);
  });

  it('finds a deleted event in the middle', async () => {
    const c = await caseOf(db, ref);
    const gone = c.events[2];
    await db.execute(sql`DELETE FROM "CaseEvent" WHERE "id" = ${gone.id}`);
    const report = await verifyChains(db);
    expect(report.breaks).toMatchObject([{ caseId: c.id, trackingNumber: ref, seq: 3, eventId: null, problem: expect.stringContaining('seq 3 is missing') }]);
    await restore(db, gone);
    expect((await verifyChains(db)).breaks).toEqual([]);
  });

  it('finds that the newest event was deleted', async () => {
    const c = await caseOf(db, ref);
    const newest = c.events.at(-1) as Row;
    await db.execute(sql`DELETE FROM "CaseEvent" WHERE "id" = ${newest.id}`);
    const report = await verifyChains(db);
    expect(report.breaks).toMatchObject([{ caseId: c.id, trackingNumber: ref, seq: c.events.length, eventId: null, problem: expect.stringContaining('the newest were deleted') }]);
    await restore(db, newest);
    expect((await verifyChains(db)).breaks).toEqual([]);
  });

  it('finds events put in another order, by seq or by time', async () => {
    const c = await caseOf(db, ref);
    // Two neighbours written at different times (filing writes several events at once).
    const i = c.events.findIndex((e, k) => k > 0 && storedDate(e.createdAt).getTime() !== storedDate(c.events[k + 1].createdAt).getTime());
    const [earlier, later] = [c.events[i], c.events[i + 1]];
    const [sEarlier, sLater] = [i + 1, i + 2];
    // Through a free seq: (caseId, seq) is unique.
    await db.execute(sql`UPDATE "CaseEvent" SET "seq" = ${-1} WHERE "id" = ${earlier.id}`);
    await db.execute(sql`UPDATE "CaseEvent" SET "seq" = ${sEarlier} WHERE "id" = ${later.id}`);
    await db.execute(sql`UPDATE "CaseEvent" SET "seq" = ${sLater} WHERE "id" = ${earlier.id}`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: ref, seq: sEarlier, eventId: later.id }]);
    await db.execute(sql`UPDATE "CaseEvent" SET "seq" = ${-1} WHERE "id" = ${earlier.id}`);
    await db.execute(sql`UPDATE "CaseEvent" SET "seq" = ${sLater} WHERE "id" = ${later.id}`);
    await db.execute(sql`UPDATE "CaseEvent" SET "seq" = ${sEarlier} WHERE "id" = ${earlier.id}`);
    expect((await verifyChains(db)).breaks).toEqual([]);

    await db.execute(sql`UPDATE "CaseEvent" SET "createdAt" = ${storedDate(later.createdAt)} WHERE "id" = ${earlier.id}`);
    await db.execute(sql`UPDATE "CaseEvent" SET "createdAt" = ${storedDate(earlier.createdAt)} WHERE "id" = ${later.id}`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: ref, seq: sEarlier, eventId: earlier.id, problem: expect.stringMatching(/^fields differ/) }]);
    await db.execute(sql`UPDATE "CaseEvent" SET "createdAt" = ${storedDate(earlier.createdAt)} WHERE "id" = ${earlier.id}`);
    await db.execute(sql`UPDATE "CaseEvent" SET "createdAt" = ${storedDate(later.createdAt)} WHERE "id" = ${later.id}`);
    expect((await verifyChains(db)).breaks).toEqual([]);
  });

  it('finds an event slipped in behind the hub, and one appended to the chain without moving the head', async () => {
    const c = await caseOf(db, ref);
    const at = new Date();
    await db.execute(sql`INSERT INTO "CaseEvent" ("id", "caseId", "type", "actor", "createdAt") VALUES (${'slipped-in'}, ${c.id}, ${'resolve'}, ${'officer:li'}, ${at})`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: ref, seq: null, eventId: 'slipped-in', problem: expect.stringContaining('not in the chain') }]);
    const seq = c.events.length + 1;
    const hash = eventHash({ id: 'slipped-in', caseId: c.id, seq, type: 'resolve', fromStatus: null, toStatus: null, actor: 'officer:li', textHash: null, data: null, createdAt: at, prevHash: c.lastEventHash });
    await db.execute(sql`UPDATE "CaseEvent" SET "seq" = ${seq}, "prevHash" = ${c.lastEventHash}, "hash" = ${hash} WHERE "id" = ${'slipped-in'}`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: ref, seq, eventId: 'slipped-in', problem: expect.stringContaining("past the case's head") }]);
    await db.execute(sql`DELETE FROM "CaseEvent" WHERE "id" = ${'slipped-in'}`);
    expect((await verifyChains(db)).breaks).toEqual([]);
  });

  it('npm run audit:verify says so, and exits non-zero on a break', async () => {
    const ok = auditVerify(a.databaseUrl);
    expect(ok.err).toBe('');
    expect(ok.out).toMatch(/2 cases, \d+ events checked: every chain holds/);
    expect(ok.code).toBe(0);
    const c = await caseOf(db, other);
    const newest = c.events.at(-1) as Row;
    await db.execute(sql`DELETE FROM "CaseEvent" WHERE "id" = ${newest.id}`);
    const broken = auditVerify(a.databaseUrl);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('1 case(s) with a broken chain');
    expect(broken.out).toContain(`${other}  seq ${c.events.length}  event -: the case has ${c.events.length} events`);
    await restore(db, newest);
  }, 60_000);

  it('lets an anonymisation scrub the texts written before it, and only those', async () => {
    const c = await caseOf(db, other);
    const reply = c.events.find((e) => e.type === 'reply') as Row;
    // What anonymisation does (retention): scrub event texts, then chain its own event.
    await db.execute(sql`UPDATE "CaseEvent" SET "text" = ${'We have contacted [name].'} WHERE "id" = ${reply.id}`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: other, seq: reply.seq, problem: 'text differs from what was written' }]);
    await db.transaction(() => insertEvent({ caseId: c.id, type: 'anonymised', actor: 'hub:retention', at: clock.now() }));
    const report = await verifyChains(db);
    expect(report.breaks).toEqual([]);
    expect(report.redacted).toBe(1);
    // The rest of a scrubbed event is still covered, and texts after the anonymisation are not excused.
    await db.execute(sql`UPDATE "CaseEvent" SET "actor" = ${'officer:nobody'} WHERE "id" = ${reply.id}`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: other, seq: reply.seq, problem: expect.stringMatching(/^fields differ/) }]);
    await db.execute(sql`UPDATE "CaseEvent" SET "actor" = ${reply.actor} WHERE "id" = ${reply.id}`);
    await db.transaction(() => insertEvent({ caseId: c.id, type: 'note', actor: 'officer:li', text: 'after', at: clock.now() }));
    const [note] = await db.query<{ id: string; seq: number }>(sql`SELECT "id", "seq" FROM "CaseEvent" WHERE "caseId" = ${c.id} AND "type" = ${'note'}`);
    await db.execute(sql`UPDATE "CaseEvent" SET "text" = ${'edited'} WHERE "id" = ${note.id}`);
    expect((await verifyChains(db)).breaks).toMatchObject([{ trackingNumber: other, seq: Number(note.seq), eventId: note.id, problem: 'text differs from what was written' }]);
    await db.execute(sql`UPDATE "CaseEvent" SET "text" = ${'after'} WHERE "id" = ${note.id}`);
    expect((await verifyChains(db)).breaks).toEqual([]);
  });

  it('chains events for one case written at once by two hubs without a fork', async () => {
    b = await startTestHub({ db: a.testDb, now: clock.now });
    const before = await caseOf(db, ref);
    // Reads (each records a view, statement by statement) and replies (in a transaction) on both hubs.
    const requests = [a, b].flatMap((hub, h) =>
      Array.from({ length: 6 }, (_, i) =>
        i % 2 ? officerReply(hub.url, ref, `第${h}-${i}次答复`) : api(hub.url, `/api/cases/${ref}`, { token: ADMIN_TOKEN, headers: { 'x-actor': `officer:${h}-${i}` } }),
      ),
    );
    // And the event writer itself: in transactions of each hub's driver, and statement by statement
    // through each hub's Prisma client, which interleaves the two hubs' statements on SQLite too.
    const writes = [a, b].flatMap((hub, h) =>
      Array.from({ length: 10 }, (_, i) => {
        const event = insertEvent({ caseId: before.id, type: 'note', actor: `test:${h}`, text: `${h}-${i}`, at: new Date() });
        return i % 2 ? sqlOf(hub.db).transaction(() => event) : inPrisma(hub.db, event);
      }),
    );
    const [responses, written] = await Promise.all([Promise.all(requests), Promise.allSettled(writes)]);
    expect(responses.map((r) => r.status)).toEqual(requests.map(() => 200));
    expect(written.filter((w) => w.status === 'rejected')).toEqual([]);
    const after = await caseOf(db, ref);
    const added = after.events.length - before.events.length;
    expect(added).toBe(6 * 2 + 20);
    expect(after.events.map((e) => e.seq)).toEqual(after.events.map((_, i) => i + 1));
    expect(new Set(after.events.map((e) => e.prevHash)).size).toBe(after.events.length);
    expect(after.eventCount).toBe(after.events.length);
    expect((await verifyChains(db)).breaks).toEqual([]);
  }, 60_000);

  it('chains the events written before the chain existed once, at start', async () => {
    // As the migration leaves them: no seq or hash, and heads at zero.
    const c = await caseOf(db, other);
    await db.execute(sql`UPDATE "CaseEvent" SET "seq" = NULL, "prevHash" = NULL, "hash" = NULL, "textHash" = NULL WHERE "caseId" = ${c.id}`);
    await db.execute(sql`UPDATE "Case" SET "eventCount" = 0, "lastEventHash" = NULL WHERE "id" = ${c.id}`);
    // And one written by a hub of the previous version after the first case's chain.
    const first = await caseOf(db, ref);
    await db.execute(sql`INSERT INTO "CaseEvent" ("id", "caseId", "type", "fromStatus", "toStatus", "actor", "text", "createdAt")
      VALUES (${'legacy-1'}, ${first.id}, ${'reply'}, ${'accepted'}, ${'accepted'}, ${'officer:old'}, ${'旧版本写的答复'}, ${new Date()})`);
    const unsealed = await verifyChains(db);
    expect(unsealed.breaks.map((x) => x.trackingNumber).sort()).toEqual([ref, other].sort());

    await b?.stop();
    b = undefined;
    await a.stop();
    a = await startTestHub({ db: a.testDb, now: clock.now });
    db = sqlOf(a.db);
    const report = await verifyChains(db);
    expect(report.breaks).toEqual([]);
    const sealed = await caseOf(db, other);
    expect(sealed.events.map((e) => e.id)).toEqual(
      [...c.events].sort((x, y) => storedDate(x.createdAt).getTime() - storedDate(y.createdAt).getTime() || (x.id < y.id ? -1 : 1)).map((e) => e.id),
    );
    expect(sealed.eventCount).toBe(c.events.length);
    const appended = await caseOf(db, ref);
    expect(appended.events.at(-1)).toMatchObject({ id: 'legacy-1', seq: first.events.length + 1, prevHash: first.lastEventHash });
    expect(appended.eventCount).toBe(first.events.length + 1);
    // Nothing left to do the next time.
    expect(await sealLegacyEvents(db)).toEqual({ cases: 0, events: 0 });
    // And the hub writes on from there.
    expect((await api(a.url, `/api/cases/${other}/actions`, { method: 'POST', token: ADMIN_TOKEN, json: { action: 'claim', actor: 'officer:li' } })).status).toBe(200);
    expect((await verifyChains(db)).breaks).toEqual([]);
  }, 60_000);
});
