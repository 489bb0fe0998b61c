import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../domain.js';
import { normalizeText } from './normalize.js';
import { FEATURES_VERSION } from './text-features.js';
import type { TextClassifier } from './text-classifier.js';
import type { Labelled } from './evaluation.js';
import { readModel, ROUTING_MODEL_FILE, toFile, trainRouting, writeModel } from './routing-model.js';
import type { CategoryGuess } from './understanding.js';

/** intents/categories/<locale>.json: petition descriptions per taxonomy code, with held-out tests. */
export interface CategoryCorpus {
  locale: string;
  categories: { code: string; train: string[]; test: string[] }[];
}

export function loadCategoryCorpora(dir: string): Record<Locale, CategoryCorpus> {
  const read = (f: string) => JSON.parse(readFileSync(join(dir, 'categories', f), 'utf8')) as CategoryCorpus;
  return { 'zh-CN': read('zh-CN.json'), en: read('en.json') };
}

/** The built-in corpus as training examples (normalised as messages are). */
export function corpusExamples(corpora: Record<Locale, CategoryCorpus>): Labelled[] {
  return Object.values(corpora).flatMap((corpus) =>
    corpus.categories.flatMap((c) => c.train.map((text) => ({ text: normalizeText(text), label: c.code }))),
  );
}

/**
 * Routes a petitioner's description to a taxonomy category with a document classifier (TF-IDF +
 * logistic regression), which handles long, rambling text far better than an intent model. The
 * model is the deployment's own (`npm run train`, MODEL_DIR/routing-model.json) when there is one,
 * else one trained on the built-in corpus and cached in MODEL_DIR; either carries the confidence
 * below which a case goes to triage, chosen by cross-validation.
 */
export class CategoryClassifier {
  private constructor(
    private readonly model: TextClassifier,
    readonly threshold: number,
    /** `trained` (npm run train) or `built-in`. */
    readonly source: 'trained' | 'built-in',
  ) {}

  static create(corpora: Record<Locale, CategoryCorpus>, modelDir?: string): CategoryClassifier {
    const trained = modelDir ? readModel(join(modelDir, ROUTING_MODEL_FILE)) : null;
    if (trained) return new CategoryClassifier(trained.classifier, trained.file.threshold.threshold, 'trained');
    const examples = corpusExamples(corpora);
    // The features are part of the key: a model cached by an older version would not match them.
    const hash = createHash('sha256').update(FEATURES_VERSION).update(JSON.stringify(examples)).digest('hex').slice(0, 16);
    const cached = modelDir ? join(modelDir, `routing-builtin-${hash}.json`) : null;
    const hit = cached ? readModel(cached) : null;
    if (hit) return new CategoryClassifier(hit.classifier, hit.file.threshold.threshold, 'built-in');
    const routing = trainRouting(examples);
    if (cached) writeModel(cached, toFile(routing, { builtIn: examples.length }));
    return new CategoryClassifier(routing.classifier, routing.threshold.threshold, 'built-in');
  }

  /** `text` is already normalised. */
  classify(text: string): CategoryGuess {
    const p = this.model.predict(text);
    return { code: p.label, score: p.score, threshold: this.threshold };
  }
}
