import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { INTENTS_DIR } from '../../src/nlu/nlu.js';
import { Understander, WARM_UP } from '../../src/nlu/understander.js';
import { TEST_MODEL_DIR } from '../helpers/hub.js';

// nlp.js's Chinese stemmer segments with CC-CEDICT, which it compiles on first use (about 2 s and
// 100 MB); the hub stems from a table of it instead (zh-stems.ts), read when the model loads.
const require = createRequire(import.meta.url);
const cedict = require('@nlpjs/lang-zh/src/dictionary.js') as { cedict?: string };

describe('NLU warm-up at load', () => {
  it("understands Chinese without ever compiling nlp.js's dictionary", async () => {
    const u = await Understander.load({ intentThreshold: 0.5, modelDir: TEST_MODEL_DIR, intentsDir: INTENTS_DIR });
    expect((await u.understand('收到', 'zh-CN')).language).toBe('zh-CN');
    expect(cedict.cedict).toBeUndefined();
  });

  it('warms up with a message in each language, recognised as that language', async () => {
    const u = await Understander.load({ intentThreshold: 0.5, modelDir: TEST_MODEL_DIR, intentsDir: INTENTS_DIR });
    expect(new Set(WARM_UP.map(([, locale]) => locale))).toEqual(new Set(['zh-CN', 'en']));
    for (const [text, locale] of WARM_UP) expect((await u.understand(text, 'zh-CN')).language).toBe(locale);
  });
});
