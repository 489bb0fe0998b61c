import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Nlu, INTENTS_DIR } from '../../src/nlu/nlu.js';
import { NluThreads } from '../../src/nlu/nlu-threads.js';
import { CategoryClassifier, loadCategoryCorpora, loadLexicon } from '../../src/nlu/category-classifier.js';
import { normalizeText } from '../../src/nlu/normalize.js';
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

  it('hold the routing model: the hub thread reads none, and routes what a thread routes', async () => {
    const create = vi.spyOn(CategoryClassifier, 'create');
    const fromFile = vi.spyOn(CategoryClassifier, 'fromFile');
    const nlu = await Nlu.load({ ...options, threads: 1 });
    try {
      expect(create).not.toHaveBeenCalled();
      expect(fromFile).not.toHaveBeenCalled();
      expect(nlu.routesOnThreads).toBe(true);
      create.mockRestore();
      const here = CategoryClassifier.create(loadCategoryCorpora(INTENTS_DIR), TEST_MODEL_DIR, loadLexicon(INTENTS_DIR));
      expect(nlu.routing).toEqual({ source: here.source, threshold: here.threshold });
      for (const text of ['小区门口新开的烧烤店每天晚上油烟特别大', '老板拖欠我们三个月工资', 'The street light on Elm Road has been broken for a month']) {
        expect(await nlu.category(text)).toEqual(here.classify(normalizeText(text)));
      }
      expect(fromFile).not.toHaveBeenCalled();
      // After `npm run train` (SIGHUP): a thread reads the model again; still none in the hub thread.
      expect(await nlu.reloadRouting()).toEqual(nlu.routing);
      expect(await nlu.category('老板拖欠我们三个月工资')).toEqual(here.classify(normalizeText('老板拖欠我们三个月工资')));
      expect(fromFile).not.toHaveBeenCalled();
    } finally {
      create.mockRestore();
      fromFile.mockRestore();
      await nlu.close();
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

  it('routes on the thread what the dialogue routes in the middle of a turn: a new matter told after filing', async () => {
    const classify = vi.spyOn(hub.nlu, 'classifyCategory');
    const category = vi.spyOn(hub.nlu, 'category');
    const client = await WebchatClient.open(hub.url, 'zh-CN');
    await completeIntake(client, '工地老板拖欠我们三个月工资，十几个工人都没拿到钱，找了好几次都说没钱', {
      location: '朝阳区幸福小区3号楼工地',
      time: '从今年三月开始',
      parties: '工地老板',
      contactName: '王强',
      contactPhone: '13800138000',
    });
    const noise = '小区门口新开的烧烤店每天晚上油烟特别大，一直弄到凌晨两三点，窗户都不敢开';
    const replies = await client.say(noise);
    // Routed elsewhere than the wage case, on the thread: a case of its own, without asking.
    expect(replies.map((m) => m.text).join('\n')).toContain('单独登记');
    expect(category).toHaveBeenCalledWith(noise);
    expect(classify).not.toHaveBeenCalled();
    classify.mockRestore();
    category.mockRestore();
  });
});
