import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locale } from '../domain.js';
import { normalizeText } from './normalize.js';
import { TextClassifier, type TrainingExample } from './text-classifier.js';
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

/**
 * Routes a petitioner's description to a taxonomy category with a document classifier (TF-IDF +
 * logistic regression), which handles long, rambling text far better than an intent model.
 */
export class CategoryClassifier {
  private constructor(private readonly model: TextClassifier) {}

  static create(corpora: Record<Locale, CategoryCorpus>, modelDir?: string): CategoryClassifier {
    const examples: TrainingExample[] = [];
    for (const corpus of Object.values(corpora)) {
      for (const c of corpus.categories) for (const text of c.train) examples.push({ text: normalizeText(text), label: c.code });
    }
    const hash = createHash('sha256').update(JSON.stringify(examples)).digest('hex').slice(0, 16);
    const file = modelDir ? join(modelDir, `categories-${hash}.json`) : null;
    if (file && existsSync(file)) {
      return new CategoryClassifier(TextClassifier.fromJSON(JSON.parse(readFileSync(file, 'utf8'))));
    }
    const model = TextClassifier.train(examples);
    if (file && modelDir) {
      mkdirSync(modelDir, { recursive: true });
      writeFileSync(file, JSON.stringify(model.toJSON()));
    }
    return new CategoryClassifier(model);
  }

  /** `text` is already normalised. */
  classify(text: string): CategoryGuess {
    const p = this.model.predict(text);
    return { code: p.label, score: p.score };
  }
}
