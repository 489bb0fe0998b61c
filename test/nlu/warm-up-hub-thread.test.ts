import { describe, expect, it } from 'vitest';
import { INTENTS_DIR, Nlu } from '../../src/nlu/nlu.js';
import { segmenterBuilt } from '../../src/nlu/segmenter.js';
import { TEST_MODEL_DIR } from '../helpers/hub.js';

describe('hub thread warm-up at load', () => {
  // With an NLU thread, the hub thread still routes a filing whose details changed at the summary,
  // and compares petitions for grouping, with jieba.
  it('builds jieba for routing, urgency and grouping before the first filing', async () => {
    expect(segmenterBuilt()).toBe(false);
    const nlu = await Nlu.load({ intentThreshold: 0.5, modelDir: TEST_MODEL_DIR, intentsDir: INTENTS_DIR, threads: 1 });
    try {
      expect(segmenterBuilt()).toBe(true);
    } finally {
      await nlu.close();
    }
  });
});
