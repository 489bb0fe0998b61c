import { describe, expect, it } from 'vitest';
import type { Tokenizer } from '@nlpjs/core';
import { newNlp } from '../../src/nlu/intent-classifier.js';

describe("the nlp.js pipeline the intent classifier uses", () => {
  it('segments Chinese with jieba and the petitions dictionary', async () => {
    const nlp = await newNlp();
    const zh = nlp.container.get('tokenizer-zh') as Tokenizer;
    expect(zh.tokenize('老板拖欠我们的物业费和欠薪!', true)).toEqual(['老板', '拖欠', '我们', '的', '物业费', '和', '欠薪']);
  });

  it('keeps no copy of the texts it tokenizes (each message is new text)', async () => {
    const nlp = await newNlp();
    for (const name of ['tokenizer-zh', 'tokenizer-en']) {
      const t = nlp.container.get(name) as Tokenizer;
      for (let i = 0; i < 3; i++) t.tokenize(`message ${i} 第${i}条`, true);
      expect(t.cache).toBeUndefined();
    }
  });
});
