import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INTENTS_DIR } from '../../src/nlu/nlu.js';
import { CategoryClassifier, corpusExamples, loadCategoryCorpora, loadLexicon, type CategoryCorpus } from '../../src/nlu/category-classifier.js';
import { normalizeText } from '../../src/nlu/normalize.js';
import { readModel, toCompactFile, toFile, trainRouting, writeCompactModel, writeModel } from '../../src/nlu/routing-model.js';
import type { Locale } from '../../src/domain.js';

// A small slice of the built-in corpus: enough categories and words to make every comparison below
// meaningful, small enough to train in a second.
const full = loadCategoryCorpora(INTENTS_DIR);
const corpora = Object.fromEntries(
  Object.entries(full).map(([locale, c]) => [locale, { ...c, categories: c.categories.slice(0, 4).map((k) => ({ ...k, train: k.train.slice(0, 25) })) }]),
) as Record<Locale, CategoryCorpus>;
const lexicon = loadLexicon(INTENTS_DIR);
const heldOut = Object.values(full).flatMap((c) => c.categories.flatMap((k) => k.test.slice(0, 5))).map(normalizeText);
const dir = mkdtempSync(join(tmpdir(), 'routing-compact-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the compact routing model file', () => {
  const trained = trainRouting(corpusExamples(corpora), lexicon, 3);
  const file = toFile(trained, { builtIn: 100 });

  it('reads back a model that classifies exactly as the one written, as the JSON file does', () => {
    writeCompactModel(join(dir, 'm.v8'), toCompactFile(file, trained.classifier));
    writeModel(join(dir, 'm.json'), file);
    const compact = readModel(join(dir, 'm.v8'));
    const json = readModel(join(dir, 'm.json'));
    expect(compact?.file).toEqual(json?.file);
    expect(compact?.file.threshold).toEqual(trained.threshold);
    for (const text of [...heldOut, '']) {
      const p = trained.classifier.predict(text);
      expect(compact?.classifier.predict(text)).toEqual(p);
      expect(json?.classifier.predict(text)).toEqual(p);
      expect(compact?.classifier.support(text)).toEqual(trained.classifier.support(text));
      expect(compact?.classifier.explain(text, p.label, 6)).toEqual(trained.classifier.explain(text, p.label, 6));
    }
    expect(compact?.classifier.toJSON()).toEqual(trained.classifier.toJSON());
  });

  it('refuses a file that is not a compact model', () => {
    writeModel(join(dir, 'not.v8'), file);
    expect(() => readModel(join(dir, 'not.v8'))).toThrow();
  });
});

describe("the built-in model's cache", () => {
  it('is written compact, and a JSON cache of an earlier version is rewritten compact instead of trained again', () => {
    const models = join(dir, 'models');
    const first = CategoryClassifier.create(corpora, models, lexicon);
    const [cached] = readdirSync(models);
    expect(cached).toMatch(/^routing-builtin-[0-9a-f]{16}\.v8$/);
    const model = readModel(join(models, cached));
    if (!model) throw new Error('no cached model');
    const json = join(models, cached.replace(/\.v8$/, '.json'));
    // A threshold of its own tells the JSON model from one trained again.
    writeModel(json, { ...model.file, threshold: { ...model.file.threshold, threshold: 0.123 }, classifier: model.classifier.toJSON() });
    rmSync(join(models, cached));

    const upgraded = CategoryClassifier.create(corpora, models, lexicon);
    expect(existsSync(join(models, cached))).toBe(true);
    expect(upgraded.threshold).toBe(0.123);
    expect(readModel(join(models, cached))?.file.threshold.threshold).toBe(0.123);
    for (const text of heldOut) expect({ ...upgraded.classify(text), threshold: first.threshold }).toEqual(first.classify(text));
  });

  it('is trained again when it cannot be read (written by another Node, whose V8 format may differ)', () => {
    const models = join(dir, 'unreadable');
    const first = CategoryClassifier.create(corpora, models, lexicon);
    const [cached] = readdirSync(models);
    writeFileSync(join(models, cached), 'not a V8 serialization');
    const again = CategoryClassifier.create(corpora, models, lexicon);
    for (const text of heldOut) expect(again.classify(text)).toEqual(first.classify(text));
    // and written again, readable
    expect(readModel(join(models, cached))?.file.threshold.threshold).toBe(again.threshold);
  });
});
