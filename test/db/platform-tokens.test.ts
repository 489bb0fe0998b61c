import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, createDb, providerOf, type Db } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { PlatformTokens, type TokenGrant } from '../../src/db/platform-tokens.js';
import { createTestDb, type TestDb } from '../helpers/test-db.js';
import { eventually } from '../helpers/eventually.js';

/** A token endpoint that counts its calls and answers only when released. */
function endpoint() {
  let calls = 0;
  let release: (() => void) | null = null;
  let held: Promise<void> | null = null;
  return {
    get calls() {
      return calls;
    },
    hold() {
      held = new Promise((r) => (release = r));
    },
    release() {
      release?.();
      held = null;
    },
    fetch: async (): Promise<TokenGrant> => {
      const n = ++calls;
      await held;
      return { token: `t${n}`, expiresInS: 7200 };
    },
  };
}

describe('platform access tokens shared through the database', () => {
  let testDb: TestDb;
  // Two clients on one database: two hub instances.
  let a: Db;
  let b: Db;
  beforeAll(async () => {
    testDb = await createTestDb();
    a = createDb(testDb.url);
    b = createDb(testDb.url);
    await migrate(a, providerOf(testDb.url));
  });
  afterAll(async () => {
    await closeDb(a);
    await closeDb(b);
    await testDb?.drop();
  });
  beforeEach(async () => {
    await a.platformToken.deleteMany();
  });

  it('fetches once for many callers at once, in one instance and across two, and keeps the token for later calls', async () => {
    const api = endpoint();
    const [one, two] = [new PlatformTokens(a, { pollMs: 10 }), new PlatformTokens(b, { pollMs: 10 })];
    api.hold();
    const asked = [...Array(5)].flatMap(() => [one.get('wecom:corp:1', api.fetch), two.get('wecom:corp:1', api.fetch)]);
    await eventually(() => api.calls, (n) => n >= 1);
    api.release();
    expect(new Set(await Promise.all(asked))).toEqual(new Set(['t1']));
    expect(await two.get('wecom:corp:1', api.fetch)).toBe('t1');
    expect(api.calls).toBe(1);
    const row = await a.platformToken.findUniqueOrThrow({ where: { id: 'wecom:corp:1' } });
    // Refreshed five minutes before WeChat's expiry; the lease is given back.
    expect(row.refreshAt!.getTime() - Date.now()).toBeGreaterThan(6800_000);
    expect(row.refreshAt!.getTime() - Date.now()).toBeLessThanOrEqual(6900_000);
    expect(row.leaseUntil).toBeNull();
  });

  it('replaces a refused token once, however many report it; a report about a token already replaced fetches nothing', async () => {
    const api = endpoint();
    const [one, two] = [new PlatformTokens(a, { pollMs: 10 }), new PlatformTokens(b, { pollMs: 10 })];
    expect(await one.get('wechat-oa:wx1', api.fetch)).toBe('t1');
    const refreshed = await Promise.all([one.get('wechat-oa:wx1', api.fetch, 't1'), two.get('wechat-oa:wx1', api.fetch, 't1'), one.get('wechat-oa:wx1', api.fetch, 't1')]);
    expect(refreshed).toEqual(['t2', 't2', 't2']);
    expect(await two.get('wechat-oa:wx1', api.fetch, 't1')).toBe('t2');
    expect(api.calls).toBe(2);
  });

  it('keeps credentials apart', async () => {
    const api = endpoint();
    const store = new PlatformTokens(a);
    expect([await store.get('wechat-oa:wx1', api.fetch), await store.get('wecom:corp:1', api.fetch)]).toEqual(['t1', 't2']);
  });

  it('keeps a fresh token in memory, and fetches again five minutes before it expires', async () => {
    const api = endpoint();
    let clock = Date.now();
    const store = new PlatformTokens(a, { now: () => clock });
    await store.get('wecom:corp:1', api.fetch);
    // In memory: even a row gone from the database is not looked for while the token is fresh.
    await a.platformToken.deleteMany({});
    clock += 7200_000 - 301_000;
    expect(await store.get('wecom:corp:1', api.fetch)).toBe('t1');
    clock += 2_000;
    expect(await store.get('wecom:corp:1', api.fetch)).toBe('t2');
    // Another instance on the same database uses the stored one, without fetching.
    expect(await new PlatformTokens(a, { now: () => clock }).get('wecom:corp:1', api.fetch)).toBe('t2');
  });

  it('gives the lease back when the fetch fails, so the next caller tries at once', async () => {
    const store = new PlatformTokens(a, { leaseMs: 60_000 });
    await expect(store.get('wecom:corp:1', () => Promise.reject(new Error('secret refused')))).rejects.toThrow('secret refused');
    const api = endpoint();
    expect(await store.get('wecom:corp:1', api.fetch)).toBe('t1');
  });

  it('takes over from an instance that died while fetching once its lease runs out', async () => {
    await a.platformToken.create({ data: { id: 'wecom:corp:1', leaseUntil: new Date(Date.now() + 300), leaseId: 'gone' } });
    const api = endpoint();
    const store = new PlatformTokens(b, { leaseMs: 300, pollMs: 10 });
    expect(await store.get('wecom:corp:1', api.fetch)).toBe('t1');
    expect(api.calls).toBe(1);
  });
});
