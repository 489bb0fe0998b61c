import { afterAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/hub.js';
import { lastExpects, WebchatClient } from '../helpers/webchat-client.js';
import { completeIntake } from '../helpers/intake.js';
import { officerReply } from '../helpers/petitions.js';

const hubs: TestHub[] = [];
afterAll(async () => {
  for (const h of hubs.slice(1)) await h.stop();
  await hubs[0]?.drop();
});

describe('two hub instances on one database', () => {
  it('take turns in one conversation without losing or repeating anything', async () => {
    const a = await startTestHub();
    hubs.push(a);
    const b = await startTestHub({ db: a.testDb });
    hubs.push(b);
    const onA = await WebchatClient.open(a.url, 'zh-CN');
    const onB = WebchatClient.resume(b.url, onA.sessionId, onA.token);
    const clients = [onA, onB];
    // Both instances have read the conversation before it moves on, so each holds a stale copy in turn.
    await onB.history();
    const answers: Record<string, string> = {
      location: '在广州市天河区体育西路',
      time: '上周开始的',
      parties: '天河城物业',
      desiredOutcome: '希望恢复供水',
      priorAttempts: '找过物业',
      contactName: '黄先生',
      contactPhone: '13622223333',
    };
    let replies = await onA.say('我们整栋楼停水三天了,没有任何通知');
    const asked: string[] = [];
    let said = 1;
    for (let i = 1; i < 16; i++) {
      const expects = lastExpects(replies);
      said++;
      if (expects?.type === 'confirm') {
        replies = await clients[i % 2].say('yes');
        break;
      }
      // An invitation to go on ("您接着说") asks for nothing in particular.
      if (!expects) {
        replies = await clients[i % 2].say('就这些');
        continue;
      }
      asked.push(expects.slot as string);
      replies = await clients[i % 2].say(answers[expects.slot as string] ?? '不方便说');
    }
    expect(replies.find((m) => m.caseRef)).toBeDefined();
    expect(new Set(asked).size).toBe(asked.length);
    const history = await onA.history();
    expect(await onB.history()).toEqual(history);
    expect(history.filter((m) => m.role === 'petitioner')).toHaveLength(said);
  });

  it('push to the petitioner\'s socket what the other instance wrote for them', async () => {
    const [a, b] = hubs;
    const client = await WebchatClient.open(a.url, 'zh-CN');
    const { trackingNumber } = await completeIntake(
      client,
      '我们小区的垃圾站三个月没人清运了,臭味很大,苍蝇特别多。',
      { location: '南京市鼓楼区湖南路', time: '三个月前开始', desiredOutcome: '尽快清运', priorAttempts: '打过物业电话', contactName: '王女士', contactPhone: '13600001111' },
      client.greeting,
    );
    const socket = await client.connect();
    try {
      expect((await officerReply(b.url, trackingNumber, '已安排环卫今天清运')).status).toBe(200);
      const pushed = await socket.next();
      expect([pushed.role, pushed.text]).toEqual(['officer', expect.stringContaining('已安排环卫今天清运')]);
    } finally {
      socket.close();
    }
  });
});

