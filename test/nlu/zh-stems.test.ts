import { createRequire } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INTENTS_DIR } from '../../src/nlu/nlu.js';
import { loadIntentCorpora } from '../../src/nlu/intent-classifier.js';
import { loadCategoryCorpora } from '../../src/nlu/category-classifier.js';
import { normalizeText } from '../../src/nlu/normalize.js';
import { buildZhStemFile, CompactStemmerZh, loadZhStems, zhStemsFromFile, type ZhStemFile } from '../../src/nlu/zh-stems.js';

const require = createRequire(import.meta.url);
const StemmerZh = require('@nlpjs/lang-zh/src/stemmer-zh.js') as new () => { stem(text: string): Promise<string[]> };

// nlp.js's own stemmer builds its dictionary (about 2 s, 100 MB) in this test's process, once.
const file: ZhStemFile = buildZhStemFile();
const stock = new StemmerZh();
const compact = new CompactStemmerZh(undefined, zhStemsFromFile(file));

/** Every Chinese text the intent and routing models learn from or are tested on, as the hub sees them. */
function corpusTexts(): string[] {
  const intents = loadIntentCorpora(INTENTS_DIR)['zh-CN'].data.flatMap((d) => [...d.utterances, ...(d.tests ?? [])]);
  const categories = loadCategoryCorpora(INTENTS_DIR)['zh-CN'].categories.flatMap((c) => [...c.train, ...c.test]);
  return [...intents, ...categories].map(normalizeText);
}

describe('the compact Chinese stemmer', () => {
  it('stems every corpus text exactly as nlp.js does', async () => {
    const texts = corpusTexts();
    expect(texts.length).toBeGreaterThan(1000);
    for (const text of texts) expect(await compact.stem(text), text).toEqual(await stock.stem(text));
  });

  it('stems every dictionary word, and mixed text, exactly as nlp.js does', async () => {
    const mixed = ['T恤衫破了', 'iPhone坏了3天', '卡拉OK太吵,到凌晨2点!', '我的电话是13800138000。', '他们的呢?吧', 'hello 你好 ＡＢＣ', '𠀀𠀁字'];
    for (const text of [...file.words, ...mixed]) expect(await compact.stem(text), text).toEqual(await stock.stem(text));
  });

  it('keeps one copy of each stem and marks the words nlp.js drops', () => {
    expect(new Set(file.stems).size).toBe(file.stems.length);
    expect(file.stemOf.some((s) => s < 0)).toBe(true);
    expect(file.words.length).toBeGreaterThan(100_000);
  });
});

describe('the stem table in MODEL_DIR', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zh-stems-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is made once (in a thread of its own), saved, and read back the same', async () => {
    const made = await loadZhStems(dir);
    const saved = readdirSync(dir).filter((f) => f.startsWith('zh-stems-'));
    expect(saved).toHaveLength(1);
    const read = zhStemsFromFile(JSON.parse(readFileSync(join(dir, saved[0]), 'utf8')) as ZhStemFile);
    expect([...read]).toEqual([...zhStemsFromFile(file)]);
    expect(await loadZhStems(dir)).toBe(made);
  });
});
