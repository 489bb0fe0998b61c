import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { closeDb, createDb, sqlitePath, sqlOf, type Db } from '../../src/db/client.js';
import { isSealed, seal, useConfiguredKeys } from '../../src/db/personal-data.js';
import { CaseSearch, MAX_QUERY_CHARS, queryTerms, searchTerms } from '../../src/cases/case-search.js';
import { anonymiseCase } from '../../src/cases/anonymise.js';
import { HubError } from '../../src/errors.js';
import { TEST_PROVIDER } from '../helpers/test-db.js';
import { migratedTestDb, type MigratedDb } from '../helpers/migrated-db.js';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

describe('search terms', () => {
  it('cut Chinese into characters and pairs, and other text into words of two characters or more', () => {
    expect(searchTerms('工地噪音')).toEqual(['工', '工地', '地', '地噪', '噪', '噪音', '音']);
    expect(searchTerms('Room 12B, No. 5 — ROOM a 2024年')).toEqual(['room', '12b', 'no', '2024', '年']);
    // NFKC: full-width letters and digits are the ASCII ones; traditional characters the simplified ones.
    expect(searchTerms('ＮＯＩＳＥ　１２')).toEqual(['noise', '12']);
    expect(searchTerms('夜間')).toEqual(searchTerms('夜间'));
    expect(searchTerms('。，！ a 5')).toEqual([]);
  });

  it('of a query: a lone character, the pairs of a longer run, and the words', () => {
    expect(queryTerms('噪')).toEqual(['噪']);
    expect(queryTerms('夜间施工')).toEqual(['夜间', '间施', '施工']);
    expect(queryTerms('噪音 施工')).toEqual(['噪音', '施工']);
    expect(queryTerms('Noise at NIGHT, 3 a.m.')).toEqual(['noise', 'at', 'night']);
    expect(queryTerms('  ？！ ')).toEqual([]);
  });
});

describe(`case search on ${TEST_PROVIDER}`, () => {
  let testDb: MigratedDb;
  let db: Db;
  let search: CaseSearch;
  let n = 0;
  const past = new Date('2025-01-01T00:00:00.000Z');

  beforeAll(async () => {
    testDb = await migratedTestDb();
    db = testDb.db;
    search = new CaseSearch({ db });
  });
  afterAll(async () => {
    await testDb?.drop();
  });
  afterEach(() => useConfiguredKeys(undefined));

  /** A petitioner, conversation and case written as the hub writes them (sealed when keys are configured). */
  async function fileCase(c: { summary: string; details?: Record<string, string>; messages?: { role: string; text: string }[] }): Promise<string> {
    const i = ++n;
    const [p, conv, id] = [`p${i}`, `conv${i}`, `case${String(i).padStart(3, '0')}`];
    await db.petitioner.create({ data: { id: p, channel: 'webchat', channelUserId: `u${i}` } });
    await db.conversation.create({ data: { id: conv, petitionerId: p, channel: 'webchat', locale: 'zh-CN', state: '{}' } });
    await db.case.create({
      data: {
        id, trackingNumber: `T${i}`, petitionerId: p, conversationId: conv, status: 'submitted', category: 'environment', categoryScore: 0.9,
        department: 'env', urgency: 'normal', language: 'zh-CN', channel: 'webchat', details: seal(JSON.stringify(c.details ?? {})), summary: seal(c.summary),
        acceptanceDueAt: past, resolutionDueAt: past, createdAt: past, updatedAt: past,
      },
    });
    let seq = 0;
    for (const m of c.messages ?? []) await addMessage(id, conv, ++seq, m.role, m.text, past);
    return id;
  }

  async function addMessage(caseId: string, conversationId: string, seq: number, role: string, text: string, createdAt: Date): Promise<void> {
    await db.message.create({ data: { id: `${caseId}-m${seq}`, conversationId, seq, role, text: seal(text), caseId, createdAt } });
  }

  /** A case's summary as stored, read on a connection of its own (Prisma's and the driver's open it). */
  async function storedSummary(caseId: string): Promise<string> {
    const q = 'SELECT "summary" FROM "Case" WHERE "id" = ';
    if (TEST_PROVIDER === 'sqlite') {
      const file = new Database(sqlitePath(testDb.url), { readonly: true });
      try {
        return (file.prepare(`${q}?`).get(caseId) as { summary: string }).summary;
      } finally {
        file.close();
      }
    }
    const client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
    try {
      return (await client.query<{ summary: string }>(`${q}$1`, [caseId])).rows[0].summary;
    } finally {
      await client.end();
    }
  }

  async function storedTerms(caseId?: string): Promise<string[]> {
    return (await db.caseSearchTerm.findMany({ where: caseId ? { caseId } : {}, orderBy: { term: 'asc' } })).map((r) => r.term);
  }

  it('finds a Chinese petition by a word or a phrase in it, and not by one that is not', async () => {
    const noise = await fileCase({
      summary: '工地夜间施工噪音扰民',
      details: { location: '幸福路12号', description: '每天晚上十点以后还在打桩' },
      messages: [
        { role: 'petitioner', text: '楼下工地夜间施工噪音太大了，孩子睡不着' },
        { role: 'bot', text: '请问具体地址是哪里？' },
      ],
    });
    const water = await fileCase({ summary: '小区停水三天', details: { location: '和平街5号' } });
    expect(await search.refresh()).toBe(2);
    expect(await search.refresh()).toBe(0);

    expect(await search.matching('噪音')).toEqual([noise]);
    expect(await search.matching('夜间施工')).toEqual([noise]);
    expect(await search.matching('夜間施工')).toEqual([noise]); // written in traditional characters
    expect(await search.matching('噪声大')).toEqual([]);
    // Details and the petitioner's messages are searched too; the bot's questions are not.
    expect(await search.matching('打桩')).toEqual([noise]);
    expect(await search.matching('孩子')).toEqual([noise]);
    expect(await search.matching('具体地址')).toEqual([]);
    expect(await search.matching('停水')).toEqual([water]);
    // A single character, and a house number.
    expect(await search.matching('号')).toEqual([noise, water]);
    expect(await search.matching('12')).toEqual([noise]);
    // Every term must match.
    expect(await search.matching('噪音 施工')).toEqual([noise]);
    expect(await search.matching('噪音 停水')).toEqual([]);
    expect(await search.matching('…!')).toBeNull();
  });

  it('finds English petitions by their words, whatever the case', async () => {
    const c = await fileCase({ summary: 'Streetlight broken on Elm Street', details: { description: 'The lamp at No. 42 has been dark for WEEKS' } });
    await search.refresh();
    expect(await search.matching('streetlight')).toEqual([c]);
    expect(await search.matching('ELM street weeks')).toEqual([c]);
    expect(await search.matching('42')).toEqual([c]);
    expect(await search.matching('broken elm oak')).toEqual([]);
    expect(await search.matching('street')).toEqual([c]); // a whole word, not a prefix of "streetlight"
    expect(await search.matching('stree')).toEqual([]);
  });

  it('refuses queries too long or with too many terms', async () => {
    await expect(search.matching('噪'.repeat(MAX_QUERY_CHARS + 1))).rejects.toMatchObject({ code: 'bad_request' });
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(many.length).toBeLessThan(MAX_QUERY_CHARS);
    await expect(search.matching(many)).rejects.toThrow(HubError);
    await expect(search.matching(many)).rejects.toMatchObject({ code: 'bad_request', status: 400 });
  });

  it('indexes a case again when it changes or the petitioner adds to it: the new text found, the old gone', async () => {
    const c = await fileCase({ summary: '垃圾清运不及时', details: { location: '东风路' }, messages: [{ role: 'petitioner', text: '垃圾堆了一周' }] });
    await search.refresh();
    expect(await search.matching('东风路')).toEqual([c]);
    await db.case.update({ where: { id: c }, data: { details: seal(JSON.stringify({ location: '西湖路' })) } });
    expect(await search.refresh()).toBe(1);
    expect(await search.matching('西湖路')).toEqual([c]);
    expect(await search.matching('东风路')).toEqual([]);
    expect(await search.matching('一周')).toEqual([c]);
    // A message added to the case without the case row changing.
    await addMessage(c, `conv${n}`, 2, 'petitioner', '还有老鼠出没', new Date());
    expect(await search.refresh()).toBe(1);
    expect(await search.matching('老鼠')).toEqual([c]);
    expect(await search.refresh()).toBe(0);
  });

  it('leaves an anonymised case out at once, and for good', async () => {
    const c = await fileCase({ summary: '我叫张伟，反映违章建筑', details: { contactName: '张伟', contactPhone: '13812345678' } });
    await search.refresh();
    expect(await search.matching('违章建筑')).toEqual([c]);
    expect(await search.matching('13812345678')).toEqual([c]);
    await sqlOf(db).transaction(() => anonymiseCase(c, new Date(), 'test', 'retention'));
    expect(await storedTerms(c)).toEqual([]);
    expect(await search.matching('违章建筑')).toEqual([]);
    expect(await search.refresh()).toBe(0);
    expect(await storedTerms(c)).toEqual([]);
    expect(await db.caseSearchState.findUnique({ where: { caseId: c } })).not.toBeNull();

    // And forget() takes a case out of the index, in a transaction too.
    const other = await fileCase({ summary: '路灯不亮' });
    await search.refresh();
    await db.$transaction((tx) => search.forget(tx, other));
    expect(await search.matching('路灯')).toEqual([]);
    // Forgotten is not excluded: the next refresh looks at the case again (and indexes it, not being anonymised).
    expect(await search.refresh()).toBe(1);
    expect(await search.matching('路灯')).toEqual([other]);
  });

  it('indexes in batches: every case of a backlog larger than one batch', async () => {
    await db.petitioner.create({ data: { id: 'p-bulk', channel: 'webchat', channelUserId: 'u-bulk' } });
    await db.conversation.create({ data: { id: 'conv-bulk', petitionerId: 'p-bulk', channel: 'webchat', locale: 'en', state: '{}' } });
    const ids = Array.from({ length: 230 }, (_, i) => `bulk${String(i).padStart(3, '0')}`);
    await db.case.createMany({
      data: ids.map((id, i) => ({
        id, trackingNumber: `TB${i}`, petitionerId: 'p-bulk', conversationId: 'conv-bulk', status: 'submitted', category: 'traffic', categoryScore: 0.9,
        department: 'traffic', urgency: 'normal', language: 'en', channel: 'webchat', details: '{}', summary: `pothole report number ${1000 + i}`,
        acceptanceDueAt: past, resolutionDueAt: past, createdAt: past, updatedAt: past,
      })),
    });
    expect(await search.refresh()).toBe(230);
    expect(await search.matching('pothole')).toEqual(ids);
    expect(await search.matching('pothole 1229')).toEqual(['bulk229']);
    expect(await search.refresh()).toBe(0);
  });

  it('stores no word in the clear: only keyed hashes', async () => {
    const terms = await storedTerms();
    expect(terms.length).toBeGreaterThan(50);
    for (const t of terms) {
      expect(t).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(t).not.toMatch(CJK);
    }
    expect(terms).not.toContain('噪音');
    expect(terms).not.toContain('streetlight');
  });

  it('is safe with two indexers at once', async () => {
    const c = await fileCase({ summary: '公交车站台破损', messages: [{ role: 'petitioner', text: '站台的玻璃碎了' }] });
    await db.caseSearchState.deleteMany({});
    // Two processes on PostgreSQL; on SQLite (one writer at a time) the same client twice.
    const second = TEST_PROVIDER === 'postgresql' ? createDb(testDb.url) : db;
    try {
      const counts = await Promise.all([search.refresh(), new CaseSearch({ db: second }).refresh()]);
      expect(counts[0]).toBeGreaterThan(0);
      expect(counts[1]).toBeGreaterThan(0);
    } finally {
      if (second !== db) await closeDb(second);
    }
    expect(await search.matching('玻璃')).toEqual([c]);
    expect(await search.matching('站台')).toEqual([c]);
    const terms = await storedTerms(c);
    expect(new Set(terms).size).toBe(terms.length);
    expect(terms.length).toBe(new Set([...searchTerms('公交车站台破损'), ...searchTerms('站台的玻璃碎了')]).size);
  });

  it('finds encrypted petitions with keys configured, under hashes of their own, once the next refresh has indexed every case again', async () => {
    const plainCase = await fileCase({ summary: '楼上深夜装修电钻声' });
    await search.refresh();
    const unkeyed = await storedTerms(plainCase);

    const k1 = `k1:${randomBytes(32).toString('base64')}`;
    useConfiguredKeys(k1);
    // Terms hashed with no key (or an older one) match no query until the next refresh indexes them again.
    expect(await search.matching('深夜 电钻')).toEqual([]);
    const sealed = await fileCase({ summary: '隔壁深夜电钻施工', details: { location: '幸福路' } });
    expect(isSealed(await storedSummary(sealed))).toBe(true);
    expect((await db.case.findUnique({ where: { id: sealed } }))?.summary).toBe('隔壁深夜电钻施工');

    expect(await search.refresh()).toBeGreaterThan(2);
    expect(await search.refresh()).toBe(0); // each case once
    expect(await search.matching('深夜 电钻')).toEqual([plainCase, sealed].sort());
    expect(await search.matching('幸福路 电钻')).toEqual([sealed]);
    expect(await search.matching('噪音')).toHaveLength(1); // the first test's case, indexed with the key too
    const keyed = await storedTerms(plainCase);
    expect(keyed).toHaveLength(unkeyed.length);
    expect(keyed.filter((t) => unkeyed.includes(t))).toEqual([]);

    // A new current key (as before `npm run keys:rotate`), other hashes.
    useConfiguredKeys(`k2:${randomBytes(32).toString('base64')},${k1}`);
    expect(await search.matching('深夜 电钻')).toEqual([]);
    await search.refresh();
    expect((await storedTerms(plainCase)).filter((t) => keyed.includes(t))).toEqual([]);
    expect(await search.matching('深夜 电钻')).toEqual([plainCase, sealed].sort());
  });
});
