import { loadCategoryCorpora, type CategoryCorpus } from './category-classifier.js';
import { normalizeText } from './normalize.js';
import { PetitionSimilarity } from './text-similarity.js';
import type { Locale } from '../domain.js';

/** Petition similarity learnt from the category corpora of `intentsDir` (or corpora already read). */
export function petitionSimilarity(source: string | Record<Locale, CategoryCorpus>): PetitionSimilarity {
  const corpora = typeof source === 'string' ? loadCategoryCorpora(source) : source;
  const byCategory: Record<string, string[]> = {};
  for (const corpus of Object.values(corpora)) {
    for (const c of corpus.categories) (byCategory[c.code] ??= []).push(...c.train.map(normalizeText));
  }
  return new PetitionSimilarity(byCategory, normalizeText);
}
