import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { IntentClassifier, type IntentCorpus } from '../../src/nlu/intent-classifier.js';

const require = createRequire(import.meta.url);
const cedict = require('@nlpjs/lang-zh/src/dictionary.js') as { cedict?: string };

const corpus = (locale: string, data: IntentCorpus['data']): IntentCorpus => ({ name: locale, locale, data });

describe("nlp.js's Chinese dictionary when a model is trained", () => {
  afterEach(() => vi.restoreAllMocks());

  // Without a MODEL_DIR the stem table (zh-stems.ts) is made from it in a thread of its own, which
  // keeps nlp.js's announcement out of the hub's log too.
  it('is built in another thread, without printing anything', async () => {
    const log = vi.spyOn(console, 'log');
    expect(cedict.cedict).toBeUndefined();
    const classifier = await IntentClassifier.create({
      'zh-CN': corpus('zh', [
        { intent: 'greeting', utterances: ['你好', '您好', '早上好'] },
        { intent: 'goodbye', utterances: ['再见', '拜拜', '回头见'] },
      ]),
      en: corpus('en', [
        { intent: 'greeting', utterances: ['hello', 'hi there'] },
        { intent: 'goodbye', utterances: ['bye', 'see you'] },
      ]),
    });
    expect(cedict.cedict).toBeUndefined();
    expect((await classifier.classify('再见', 'zh-CN')).name).toBe('goodbye');
    expect(log).not.toHaveBeenCalled();
  });
});
