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
    const replies = await client.say('在杭州市西湖区文三路和学院路路口');
    const pending = lastExpects(replies);
    expect(pending?.type).toBe('text');
    const before = await client.history();
    await first.stop();

    second = await startTestHub({ db: first.testDb });
    const resumed = WebchatClient.resume(second.url, client.sessionId, client.token);
    expect(await resumed.history()).toEqual(before);
    const next = await resumed.say('上个星期开始的');
    // It asked for the time before the restart, so the answer is taken as the time and it moves on.
    expect(lastExpects(next)?.slot).not.toBe(pending?.slot);
    expect(lastExpects(next)?.slot).not.toBe('location');
    expect(lastExpects(next)?.slot).not.toBe('issue');
  });
});
