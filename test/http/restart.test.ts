import { afterAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { lastExpects, WebchatClient } from '../helpers/webchat-client.js';

let second: TestHub | undefined;
afterAll(async () => second?.drop());

describe('a restart in the middle of a conversation', () => {
  it('loses nothing: the petitioner goes on where they left off', async () => {
    const first = await startTestHub();
    const client = await WebchatClient.open(first.url, 'zh-CN');
    await client.say('小区门口的马路上有个大坑,好几个人骑车摔倒了');
    await client.say('在杭州市西湖区文三路和学院路路口');
    const before = await client.history();
    const saved = async (hub: TestHub) =>
      JSON.parse((await hub.db.conversation.findUniqueOrThrow({ where: { id: client.sessionId } })).state) as { details: Record<string, string>; asking: string | null };
    const stateBefore = await saved(first);
    expect(stateBefore.details.location).toContain('文三路');
    await first.stop();

    second = await startTestHub({ db: first.testDb });
    const resumed = WebchatClient.resume(second.url, client.sessionId, client.token);
    expect(await resumed.history()).toEqual(before);
    const next = await resumed.say('上个星期开始的');
    // It goes on where it left off: what was told before the restart is kept, the new answer is
    // taken, and nothing already told is asked again.
    const after = await saved(second);
    expect(after.details).toMatchObject({ issue: '小区门口的马路上有个大坑,好几个人骑车摔倒了', location: stateBefore.details.location, time: '上个星期开始的' });
    expect(lastExpects(next)?.slot).not.toBe('location');
    expect(lastExpects(next)?.slot).not.toBe('time');
    expect(lastExpects(next)?.slot).not.toBe('issue');
  });
});
