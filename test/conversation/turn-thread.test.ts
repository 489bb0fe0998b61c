import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TurnThread } from '../../src/conversation/turn-thread.js';
import type { TurnStore } from '../../src/conversation/turn-writer.js';
import type { AppendItem } from '../../src/conversation/messages.js';
import { HubError } from '../../src/errors.js';
import { loadConfig } from '../../src/config.js';
import { INTENTS_DIR } from '../../src/nlu/nlu.js';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { TEST_PROVIDER } from '../helpers/test-db.js';
import { WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { adminCase } from '../helpers/follow-up.js';

// The writer thread exists for SQLite only; on PostgreSQL the driver is asynchronous already.
describe.skipIf(TEST_PROVIDER !== 'sqlite')('turns committed on the SQLite writer thread', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { SQLITE_WRITER_THREAD: 'true', GROUP_MIN_PETITIONERS: '2' } });
  });
  afterAll(() => hub?.drop());

  it('file a case, with its events and grouping, exactly as in the hub thread', async () => {
    const story = '我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元。';
    const answers = { location: '深圳市宝安区福永街道', time: '三个月了', desiredOutcome: '结清工资', contactName: '李建国', contactPhone: '13912345678' };
    const a = await WebchatClient.open(hub.url, 'zh-CN');
    const first = await completeIntake(a, story, answers, a.greeting);
    const b = await WebchatClient.open(hub.url, 'zh-CN');
    const second = await completeIntake(b, '宏达电子厂老板欠我们三个月工资不发', answers, b.greeting);
    const view = await adminCase(hub.url, second.trackingNumber);
    expect(view.status).toBe('submitted');
    expect(view.group).toEqual({ id: `G-${first.trackingNumber}`, size: 2, trackingNumbers: [first.trackingNumber, second.trackingNumber] });
    const petitioner = await hub.db.petitioner.findFirst({ where: { cases: { some: { trackingNumber: first.trackingNumber } } } });
    expect(petitioner?.phone).toBe('13912345678');
  });

  it('are at once visible to every read in the hub thread (history after the newest message)', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    for (const text of ['小区门口的马路上有个大坑', '在杭州市西湖区文三路']) {
      const replies = await client.say(text);
      const last = replies.at(-1);
      expect(last).toBeDefined();
      expect(await client.history(last?.id)).toEqual([]);
      const all = await client.history();
      expect(all.at(-1)?.id).toBe(last?.id);
    }
  });

  it('answer a repeated clientMessageId with the replies stored the first time, storing nothing twice', async () => {
    const client = await WebchatClient.open(hub.url, 'en');
    const id = randomUUID();
    const once = await client.say('The bus route 12 was cancelled without notice', id);
    const again = await client.say('The bus route 12 was cancelled without notice', id);
    expect(again).toEqual(once);
    const stored = await hub.db.message.count({ where: { conversationId: client.sessionId, clientMessageId: id } });
    expect(stored).toBe(1);
  });

  it('run a turn again from the database when the conversation changed behind the hub thread (a stale state is never saved)', async () => {
    const client = await WebchatClient.open(hub.url, 'en');
    await client.say('The bus route 12 was cancelled without notice');
    // Another writer saved this conversation meanwhile (a detail it learnt, a new version): the hub
    // thread's cached copy is now behind, and a turn run on it would drop that detail.
    const before = await hub.db.conversation.findUniqueOrThrow({ where: { id: client.sessionId } });
    const state = JSON.parse(before.state) as { details: Record<string, string> };
    state.details.parties = 'Injected Bus Company';
    await hub.db.conversation.update({ where: { id: client.sessionId }, data: { state: JSON.stringify(state), version: { increment: 1 } } });
    await client.say('at the Fuyong bus station');
    const after = await hub.db.conversation.findUniqueOrThrow({ where: { id: client.sessionId } });
    const saved = JSON.parse(after.state) as { details: Record<string, string> };
    expect(saved.details.parties).toBe('Injected Bus Company');
    expect(saved.details.location).toContain('Fuyong');
    expect(after.version).toBe(before.version + 2);
    expect(await hub.db.message.count({ where: { conversationId: client.sessionId, text: 'at the Fuyong bus station' } })).toBe(1);
  });
});

// These need no database of the provider under test: they run in both suites.
describe('a writer thread that dies', () => {
  it('cannot start without its database, and says so instead of running without it', async () => {
    const config = loadConfig({ DATABASE_URL: 'file:/tmp/no-such-dir-for-turns/hub.db' });
    const fallback: TurnStore = { save: async () => [], close: async () => {} };
    await expect(TurnThread.start({ file: '/tmp/no-such-dir-for-turns/hub.db', config, intentsDir: INTENTS_DIR }, fallback)).rejects.toThrow(/directory does not exist/);
  });

  it('fails the turns it had with a clear error, and meanwhile the hub thread commits them', async () => {
    const dying = new URL('../fixtures/dying-worker.mjs', import.meta.url);
    const saved: AppendItem[] = [];
    const fallback: TurnStore = {
      async save(item) {
        saved.push(item);
        return [];
      },
      async close() {},
    };
    const config = loadConfig({ DATABASE_URL: 'file:/tmp/unused.db' });
    const thread = await TurnThread.start({ file: '/tmp/unused.db', config, intentsDir: INTENTS_DIR }, fallback, dying);
    try {
      const item: AppendItem = { conversationId: 'c1', drafts: [{ role: 'petitioner', text: 'hello' }], now: new Date() };
      const failed = thread.save(item);
      await expect(failed).rejects.toBeInstanceOf(HubError);
      await expect(failed).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('send the message again') });
      await thread.save(item);
      expect(saved).toEqual([item]);
    } finally {
      await thread.close();
    }
  });
});
