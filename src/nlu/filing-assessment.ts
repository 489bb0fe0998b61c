import type { Locale, Urgency } from '../domain.js';
import { CategoryClassifier, loadCategoryCorpora, loadLexicon } from './category-classifier.js';
import { normalizeText } from './normalize.js';
import type { CategoryGuess } from './understanding.js';
import { estimateUrgency } from './urgency.js';

/** The account a case is about to be filed with, as routing and urgency read it. */
export interface FilingTexts {
  routing: string;
  urgency: string;
  locale: Locale;
}

export interface FilingAssessment {
  category: CategoryGuess;
  urgency: Urgency;
}

export function assessFiling(categories: CategoryClassifier, texts: FilingTexts): FilingAssessment {
  return { category: categories.classify(normalizeText(texts.routing)), urgency: estimateUrgency(normalizeText(texts.urgency), texts.locale) };
}

/**
 * The routing model as an NLU thread holds it. The hub thread counts its reloads (after `npm run
 * train`); a request from a later generation makes the thread read the model again first, so a
 * thread never routes with a model the hub has replaced.
 */
export class ThreadRouting {
  private categories: CategoryClassifier;
  private generation = 0;

  /** @param source.routingFile the file of the hub thread's model (CategoryClassifier.file), when it has one. */
  constructor(private readonly source: { intentsDir: string; modelDir?: string; routingFile?: string | null }) {
    this.categories = this.load(source.routingFile);
  }

  /** @param routingFile the file of the hub thread's model of that generation, when it has one. */
  assess(texts: FilingTexts, generation: number, routingFile?: string | null): FilingAssessment & { generation: number } {
    if (generation !== this.generation) {
      this.categories = this.load(routingFile);
      this.generation = generation;
    }
    return { ...assessFiling(this.categories, texts), generation };
  }

  private load(file: string | null | undefined): CategoryClassifier {
    if (file) return CategoryClassifier.fromFile(file);
    return CategoryClassifier.create(loadCategoryCorpora(this.source.intentsDir), this.source.modelDir, loadLexicon(this.source.intentsDir));
  }
}
