import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { INTENTS_DIR } from '../../src/nlu/nlu.js';
import { Understander } from '../../src/nlu/understander.js';
import { TEST_MODEL_DIR } from '../helpers/hub.js';

const require = createRequire(import.meta.url);
const cedict = require('@nlpjs/lang-zh/src/dictionary.js') as { cedict?: string };

describe("nlp.js's Chinese dictionary on a loaded model", () => {
  afterEach(() => vi.restoreAllMocks());

  // The hub's stdout is its JSON log stream; nlp.js announces the dictionary with console.log.
  // The stem table (zh-stems.ts) stands in for it, so it is not even built.
  it('is not built for a Chinese message, and nothing is printed', async () => {
    const u = await Understander.load({ intentThreshold: 0.5, modelDir: TEST_MODEL_DIR, intentsDir: INTENTS_DIR, warmUp: false });
    const log = vi.spyOn(console, 'log');
    expect(cedict.cedict).toBeUndefined();
    expect((await u.understand('你好,我想反映工资被拖欠的问题', 'zh-CN')).language).toBe('zh-CN');
    expect(cedict.cedict).toBeUndefined();
    expect(log).not.toHaveBeenCalled();
  });
});
