import { describe, expect, it } from 'vitest';
import { INTENTS_DIR, Nlu } from '../../src/nlu/nlu.js';
import { segmenterBuilt } from '../../src/nlu/segmenter.js';
import { TEST_MODEL_DIR } from '../helpers/hub.js';

const options = { intentThreshold: 0.5, modelDir: TEST_MODEL_DIR, intentsDir: INTENTS_DIR };

// In order: jieba is built once per thread, and these run in this file's thread.
describe('jieba in the hub thread', () => {
  it('is never built while an NLU thread routes and understands: that thread has its own', async () => {
    expect(segmenterBuilt()).toBe(false);
    const nlu = await Nlu.load({ ...options, threads: 1 });
    try {
      expect(segmenterBuilt()).toBe(false);
      expect((await nlu.category('工地老板拖欠我们三个月工资')).code).toBe('labour_social_security');
      expect((await nlu.assessFiling({ routing: '小区门口的烧烤店每天晚上油烟很大', urgency: '油烟很大', locale: 'zh-CN' })).category.code).toBe('environment');
      expect(segmenterBuilt()).toBe(false);
    } finally {
      await nlu.close();
    }
  });

  it('is built at load when the hub thread does the work itself (no NLU thread), not on the first message', async () => {
    await Nlu.load({ ...options, threads: 0 });
    expect(segmenterBuilt()).toBe(true);
  });
});
