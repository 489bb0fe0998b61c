import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Nlu, INTENTS_DIR } from '../../src/nlu/nlu.js';
import { NluThreads } from '../../src/nlu/nlu-threads.js';
import { Understander } from '../../src/nlu/understander.js';
import type { Locale, Slot } from '../../src/domain.js';
import { ADMIN_TOKEN, TEST_MODEL_DIR, startTestHub, type TestHub } from '../helpers/hub.js';
import { completeIntake } from '../helpers/intake.js';
import { api, WebchatClient, lastExpects } from '../helpers/webchat-client.js';

const MESSAGES: [string, Locale, Slot | null][] = [
  ['您好', 'zh-CN', null],
  ['我家楼下的工地每天晚上施工到凌晨两点,吵得孩子睡不着,地址在朝阳区幸福小区3号楼', 'zh-CN', 'issue'],
  ['不方便說', 'zh-CN', 'contactPhone'],
  ['我想死,活不下去了', 'zh-CN', null],
  ['My landlord kept my deposit of 6,000 yuan and will not answer the phone!!!', 'en', 'issue'],
  ['yes', 'en', null],
  ['What is the status of case PX-20261128-0001?', 'en', null],
];

const options = { intentThreshold: 0.5, modelDir: TEST_MODEL_DIR, intentsDir: INTENTS_DIR };

describe('NLU threads', () => {
  let local: Understander;
  beforeAll(async () => {
    local = await Understander.load(options);
  });

  it('understand every message exactly as the hub thread does', async () => {
    const nlu = await Nlu.load({ ...options, threads: 2 });
    try {
      for (const [text, locale, expecting] of MESSAGES) {
        expect(await nlu.understand(text, locale, expecting)).toEqual(await local.understand(text, locale, expecting));
      }
    } finally {
      await nlu.close();
    }
  });

  it('lose no message when a thread dies: its calls are understood in the hub thread instead', async () => {
    const dying = new URL('../fixtures/dying-worker.mjs', import.meta.url);
    const threads = await NluThreads.start(1, options, async () => local, dying);
    try {
      const [text, locale, expecting] = MESSAGES[1];
      const u = await threads.understand(text, locale, expecting);
      expect(u).toEqual(await local.understand(text, locale, expecting));
      // While the thread is being started again, messages are understood in the hub thread.
      expect(await threads.understand('yes', 'en', null)).toEqual(await local.understand('yes', 'en', null));
    } finally {
      await threads.close();
    }
  });

  it('refuse to start with a thread that cannot load, rather than run without it unnoticed', async () => {
    await expect(NluThreads.start(1, { ...options, intentsDir: '/no/such/intents/' }, async () => local)).rejects.toThrow();
  });
});

describe('a hub with an NLU thread', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: { NLU_THREADS: '1' } });
  });
  afterAll(() => hub?.drop());

  it('holds a web chat intake conversation as usual', async () => {
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const replies = await client.say('我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元。');
    // Understood on the thread: the story is taken, and the bot goes on to what is still missing.
    expect(replies.length).toBeGreaterThan(0);
    expect(lastExpects(replies)?.slot).not.toBe('issue');
    expect(replies.at(-1)?.text).toMatch(/接着说|哪里|什么时候/);
  });

  it('routes and rates the case on the thread: the hub thread classifies nothing', async () => {
    const classify = vi.spyOn(hub.nlu, 'classifyCategory');
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    const { trackingNumber } = await completeIntake(client, '我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元,希望尽快把工资发给我们。', {
      location: '深圳市宝安区宏达电子厂',
      time: '从今年三月开始',
      parties: '宏达电子厂老板',
      priorAttempts: '找过厂里的人事,没有用',
      contactName: '王强',
      contactPhone: '13800138000',
    });
    expect(classify).not.toHaveBeenCalled();
    const filed = await api<{ category: string; department: string; urgency: string }>(hub.url, `/api/cases/${trackingNumber}`, { token: ADMIN_TOKEN });
    expect(filed.body).toMatchObject({ category: 'labour_social_security', department: 'human_resources_social_security', urgency: 'normal' });
    classify.mockRestore();
  });
});
