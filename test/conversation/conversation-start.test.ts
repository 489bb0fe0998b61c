import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';

describe('starting a conversation', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(() => hub?.drop());

  it('keeps one petitioner per channel user across conversations, and stores the greeting in order', async () => {
    const first = await hub.conversations.start({ channel: 'wechat', channelUserId: 'oUser-start-1', locale: 'zh-CN' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await hub.conversations.start({ channel: 'wechat', channelUserId: 'oUser-start-1', locale: 'en' });
    // Someone who simply writes again goes on in their latest conversation.
    expect(await hub.conversations.conversationFor('wechat', 'oUser-start-1', 'zh-CN')).toEqual({ conversationId: second.conversationId, started: false });
    expect((await hub.conversations.conversationFor('wechat', 'oUser-start-2', 'zh-CN')).started).toBe(true);
    expect(second.conversationId).not.toBe(first.conversationId);
    expect(await hub.db.petitioner.count({ where: { channel: 'wechat', channelUserId: 'oUser-start-1' } })).toBe(1);
    const conversations = await hub.db.conversation.findMany({ where: { id: { in: [first.conversationId, second.conversationId] } } });
    expect(new Set(conversations.map((c) => c.petitionerId)).size).toBe(1);
    const stored = await hub.db.message.findMany({ where: { conversationId: first.conversationId }, orderBy: { seq: 'asc' } });
    expect(stored.map((m) => m.id)).toEqual(first.messages.map((m) => m.id));
    expect(stored.map((m) => m.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(stored.every((m) => m.role === 'bot')).toBe(true);
    const conv = conversations.find((c) => c.id === first.conversationId);
    expect(conv).toMatchObject({ channel: 'wechat', locale: 'zh-CN', version: 0, lastSeq: stored.length, tokenHash: null });
    expect(JSON.parse(conv?.state ?? '{}')).toMatchObject({ locale: 'zh-CN' });
  });

  it('stores nothing when the conversation cannot be created: the new petitioner is rolled back too', async () => {
    const taken = await hub.conversations.start({ channel: 'webchat', channelUserId: 'wc_start_a', conversationId: 'wc_start_a', locale: 'en', tokenHash: 'a'.repeat(64) });
    await expect(hub.conversations.start({ channel: 'webchat', channelUserId: 'wc_start_b', conversationId: taken.conversationId, locale: 'en' })).rejects.toThrow();
    expect(await hub.db.petitioner.count({ where: { channelUserId: 'wc_start_b' } })).toBe(0);
    expect(await hub.db.message.count({ where: { conversationId: taken.conversationId } })).toBe(taken.messages.length);
  });

  it('moves an untold draft into the new conversation of a returning visitor exactly once, even when they write in the old one meanwhile', async () => {
    const who = { channel: 'webchat' as const, channelUserId: 'v_start_race', locale: 'zh-CN' as const };
    const old = await hub.conversations.start({ ...who, conversationId: 'wc_start_race_1' });
    await hub.conversations.receive(old.conversationId, '楼下饭店的油烟每天直冲我家窗户，老人咳嗽得厉害', 'race-1');
    // The petitioner writes in the old tab while the new one is being opened (between reading
    // the old conversation and moving its draft).
    const reads = hub.cases.reads;
    const original = reads.openSnapshotsOf.bind(reads);
    let interleaved = false;
    reads.openSnapshotsOf = async (petitionerId: string) => {
      if (!interleaved) {
        interleaved = true;
        await hub.conversations.receive(old.conversationId, '在东湖区建设路88号', 'race-2');
      }
      return original(petitionerId);
    };
    try {
      const opened = await hub.conversations.start({ ...who, conversationId: 'wc_start_race_2', recognise: true });
      expect(interleaved).toBe(true);
      const states = Object.fromEntries(
        (await hub.db.conversation.findMany({ where: { id: { in: [old.conversationId, opened.conversationId] } } })).map((c) => [c.id, JSON.parse(c.state) as { details: Record<string, string> }]),
      );
      // The draft, with what was written meanwhile, is in the new conversation and not in the old.
      expect(states[opened.conversationId].details).toMatchObject({ issue: expect.stringContaining('油烟'), location: expect.stringContaining('建设路88号') });
      expect(states[old.conversationId].details.issue).toBeUndefined();
      expect(opened.messages.map((m) => m.text).join('\n')).toContain('还没有登记完');
    } finally {
      reads.openSnapshotsOf = original;
    }
  });
});
