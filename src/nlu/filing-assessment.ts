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

/** Where a routing model came from, its triage threshold and the file it was read from (null: in memory only). */
export interface RoutingInfo {
  source: 'trained' | 'built-in';
  threshold: number;
  file: string | null;
}

export function routingInfo(categories: CategoryClassifier): RoutingInfo {
  return { source: categories.source, threshold: categories.threshold, file: categories.file };
}

/**
 * The routing model as an NLU thread holds it: while threads run, the hub thread holds none (nor
 * jieba, which it cuts Chinese with). The hub thread counts its reloads (after `npm run train`); a
 * request from a later generation makes the thread read the model again first, so a thread never
 * routes with a model the hub has replaced.
 */
export class ThreadRouting {
  private categories: CategoryClassifier;
  private generation = 0;

  /** @param source.routingFile the model's file when the hub thread knows it (RoutingInfo.file); else the thread finds, or trains, it. */
  constructor(private readonly source: { intentsDir: string; modelDir?: string; routingFile?: string | null }) {
    this.categories = this.load(source.routingFile);
  }

  /** @param routingFile the file of the model of that generation, when it has one. */
  assess(texts: FilingTexts, generation: number, routingFile?: string | null): FilingAssessment & { generation: number } {
    return { ...assessFiling(this.at(generation, routingFile), texts), generation };
  }

  /** The category of an account (Router.text), as CategoryClassifier.classify gives it. */
  classify(text: string, generation: number, routingFile?: string | null): { category: CategoryGuess; generation: number } {
    return { category: this.at(generation, routingFile).classify(normalizeText(text)), generation };
  }

  /** The model of that generation; with no file, found again (a reload after `npm run train`). */
  info(generation: number, routingFile?: string | null): RoutingInfo & { generation: number } {
    return { ...routingInfo(this.at(generation, routingFile)), generation };
  }

  private at(generation: number, routingFile: string | null | undefined): CategoryClassifier {
    if (generation !== this.generation) {
      this.categories = this.load(routingFile);
      this.generation = generation;
    }
    return this.categories;
  }

  private load(file: string | null | undefined): CategoryClassifier {
    if (file) return CategoryClassifier.fromFile(file);
    return CategoryClassifier.create(loadCategoryCorpora(this.source.intentsDir), this.source.modelDir, loadLexicon(this.source.intentsDir));
  }
}
