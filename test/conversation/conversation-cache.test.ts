import { describe, expect, it } from 'vitest';
import { ConversationCache, type CachedConversation } from '../../src/conversation/conversation-cache.js';
import type { SqlDb } from '../../src/db/sql-driver.js';
import type { Statement } from '../../src/db/sql.js';

/** A database that holds conversations and counts the reads that reach it. */
function database(rows: Record<string, Omit<CachedConversation, 'id'>>) {
  const reads: string[] = [];
  const db: SqlDb = {
    provider: 'postgresql',
    async query<T>(statement: Statement): Promise<T[]> {
      const id = String(statement.values[0]);
      reads.push(id);
      const row = rows[id];
      return (row ? [{ id, ...row }] : []) as T[];
    },
    execute: () => Promise.reject(new Error('the cache only reads')),
    transaction: () => Promise.reject(new Error('the cache only reads')),
    close: async () => undefined,
  };
  return { db, reads, rows };
}

const row = (version: number): Omit<CachedConversation, 'id'> => ({
  petitionerId: 'p',
  channel: 'webchat',
  locale: 'en',
  state: '{}',
  version,
  tokenHash: 'h',
  liveAgent: null,
  senderId: 's',
});

describe('the conversation cache', () => {
  it('alone: keeps what it read and what a turn saved, so a turn reads nothing', async () => {
    const { db, reads } = database({ c1: row(0) });
    const cache = new ConversationCache(db);
    await cache.get('c1');
    const taken = await cache.take('c1');
    cache.set({ ...(taken as CachedConversation), version: 1 });
    expect((await cache.take('c1'))?.version).toBe(1);
    expect(reads).toEqual(['c1']);
  });

  it('in a cluster (no room): hands the row read for a request’s credentials to its turn, once', async () => {
    const { db, reads, rows } = database({ c1: row(0) });
    let now = 0;
    const cache = new ConversationCache(db, 0, () => now);
    await cache.get('c1'); // the credential check
    await cache.get('c1'); // the sender check of the same request
    expect((await cache.take('c1'))?.version).toBe(0); // the turn
    expect(reads).toEqual(['c1']);
    // Another process answers the next message; this one must not serve its old copy again.
    rows.c1 = row(1);
    cache.set({ id: 'c1', ...row(0) });
    expect((await cache.take('c1'))?.version).toBe(1);
    expect(reads).toEqual(['c1', 'c1']);
    // A row read but never taken (a poll) is not served once it is a second old.
    await cache.get('c1');
    now += 1001;
    await cache.get('c1');
    expect(reads).toEqual(['c1', 'c1', 'c1', 'c1']);
  });

  it('in a cluster: lets go of rows no turn took, and of an evicted one at once', async () => {
    const rows = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, row(0)]));
    const { db, reads } = database(rows);
    let now = 0;
    const cache = new ConversationCache(db, 0, () => now);
    for (let i = 0; i < 50; i++) await cache.get(`c${i}`);
    now += 2000;
    await cache.get('c0');
    // Only the row just read is held: every older one went when it was added.
    expect(cache.size).toBe(1);
    cache.evict('c0');
    await cache.take('c0');
    expect(reads.filter((id) => id === 'c0')).toHaveLength(3);
  });
});
