import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PushCatchUp } from '../../src/channels/push-catch-up.js';
import { sqlOf, type Db } from '../../src/db/client.js';
import { migratedTestDb, type MigratedDb } from '../helpers/migrated-db.js';

// Another instance writes an officer message; this one pushes it to the socket it holds, either from
// the event relayed to it or from its read of the database, whichever comes first, and only once.
describe('web chat push catch-up', () => {
  let testDb: MigratedDb;
  let db: Db;
  let seq = 0;
  const write = async (id: string) => {
    seq++;
    await db.message.create({ data: { id, conversationId: 'c1', seq, role: 'officer', text: `reply ${id}` } });
    await db.conversation.update({ where: { id: 'c1' }, data: { lastSeq: seq } });
  };

  beforeAll(async () => {
    testDb = await migratedTestDb();
    db = testDb.db;
    await db.petitioner.create({ data: { id: 'p1', channel: 'webchat', channelUserId: 'v1' } });
    await db.conversation.create({ data: { id: 'c1', petitionerId: 'p1', channel: 'webchat', locale: 'zh-CN', state: '{}' } });
  });
  afterAll(async () => {
    await testDb?.drop();
  });

  it('pushes a message once when the read finds it before its event arrives, and once when the event comes first', async () => {
    const catchUp = new PushCatchUp(sqlOf(db));
    await catchUp.watch('c1');

    await write('m1');
    const read = await catchUp.read();
    expect(read.get('c1')?.map((m) => m.id)).toEqual(['m1']);
    // The relayed event for m1 arrives after the read pushed it: not again.
    expect(catchUp.pushed('c1', 'm1')).toBe(false);

    // The event first: pushed from it, and the next read leaves it out.
    expect(catchUp.pushed('c1', 'm2')).toBe(true);
    await write('m2');
    expect((await catchUp.read()).get('c1')).toBeUndefined();

    // A later event for another message is pushed as usual.
    await write('m3');
    expect(catchUp.pushed('c1', 'm3')).toBe(true);
    expect((await catchUp.read()).get('c1')).toBeUndefined();
  });
});
