import { fileURLToPath } from 'node:url';
import type { Locale, Slot, Urgency } from '../domain.js';
import { normalizeText, warmUpNormalizer } from './normalize.js';
import { detectLanguage } from './language.js';
import { extractEntities } from './entities.js';
import { estimateUrgency } from './urgency.js';
import { answerForSlot, detectCorrection, detectDecline, extractDetails } from './details.js';
import { assessAffect, detectEmergency } from './affect.js';
import { IntentClassifier, loadIntentCorpora } from './intent-classifier.js';
import { CategoryClassifier, loadCategoryCorpora, type CategoryCorpus } from './category-classifier.js';
import type { CategoryGuess, Understanding } from './understanding.js';
import { followUpCues } from './follow-up-cues.js';
import { PetitionSimilarity } from './text-similarity.js';

export const INTENTS_DIR = fileURLToPath(new URL('../../intents/', import.meta.url));

/** Intents that, in a short message with no details in it, carry no petition content. */
const SOCIAL = new Set([
  'greeting', 'thanks', 'goodbye', 'affirm', 'deny', 'smalltalk', 'human.request',
  'petition.new', 'case.status', 'case.add_info', 'correct',
]);

export interface NluOptions {
  intentThreshold: number;
  modelDir?: string;
  intentsDir?: string;
}

function isShort(text: string, language: Locale): boolean {
  if (language === 'zh-CN') return text.replace(/[\s\p{P}]/gu, '').length <= 12;
  return text.split(/\s+/).filter(Boolean).length <= 8;
}

/** Everything the hub understands of a message: the one place classifiers and extractors meet. */
export class Nlu {
  private constructor(
    private readonly intents: IntentClassifier,
    private categories: CategoryClassifier,
    private readonly options: NluOptions,
    private readonly similarities: PetitionSimilarity,
  ) {}

  static async load(options: NluOptions): Promise<Nlu> {
    const dir = options.intentsDir ?? INTENTS_DIR;
    const intents = await IntentClassifier.create(loadIntentCorpora(dir), options.modelDir);
    const corpora = loadCategoryCorpora(dir);
    const categories = CategoryClassifier.create(corpora, options.modelDir);
    // The traditional→simplified dictionary loads on first use; load it now, not on a petitioner's turn.
    warmUpNormalizer();
    return new Nlu(intents, categories, options, new PetitionSimilarity(examplesByCategory(corpora), normalizeText));
  }

  /**
   * @param locale the conversation's language, used when the message itself does not say.
   * @param expecting the detail the bot just asked for, if any.
   */
  async understand(raw: string, locale: Locale, expecting: Slot | null = null): Promise<Understanding> {
    const text = raw.trim();
    const normalized = normalizeText(text);
    const language = detectLanguage(normalized, locale);
    const intent = await this.intents.classify(normalized, language);
    const confident = intent.score >= this.options.intentThreshold;
    const entities = extractEntities(normalized);
    const details = extractDetails(normalized, language, entities);
    const decline = expecting !== null && detectDecline(normalized, language);
    const slotAnswer = expecting && !decline ? answerForSlot(expecting, normalized, language) : null;
    const noContent = Object.keys(details).length === 0;
    const contentless =
      noContent && (normalized.replace(/[\s\p{P}\p{S}]/gu, '').length <= 2 || (confident && SOCIAL.has(intent.name) && isShort(normalized, language)));
    return {
      text,
      normalized,
      language,
      intent: confident ? intent : { name: 'None', score: intent.score },
      confident,
      entities,
      details,
      affect: assessAffect(normalized, language),
      emergency: detectEmergency(normalized, language),
      decline,
      correction: detectCorrection(normalized, language),
      contentless,
      slotAnswer: slotAnswer && slotAnswerFromOriginal(slotAnswer, normalized, text),
      ...followUpCues(normalized, confident && intent.name === 'case.status'),
    };
  }

  /** How alike two petitions of one category are, 0..1 (text-similarity.ts; SAME_MATTER is the threshold). */
  similarity(a: string, b: string, category?: string): number {
    return this.similarities.similarity(a, b, category);
  }

  /** Where the routing model came from and its triage threshold (start-up log, /api/nlu). */
  get routing(): { source: string; threshold: number } {
    return { source: this.categories.source, threshold: this.categories.threshold };
  }

  /**
   * Loads the routing model again (after `npm run train`): the new one takes over from the next
   * message; if it cannot be read the current one stays and the error is thrown to the caller.
   */
  reloadRouting(): { source: string; threshold: number } {
    const dir = this.options.intentsDir ?? INTENTS_DIR;
    this.categories = CategoryClassifier.create(loadCategoryCorpora(dir), this.options.modelDir);
    return this.routing;
  }

  /** How urgent an account sounds: normal, high or emergency (urgency.ts). */
  urgency(text: string, locale: Locale): Urgency {
    return estimateUrgency(normalizeText(text), locale);
  }

  classifyCategory(text: string): CategoryGuess {
    return this.categories.classify(normalizeText(text));
  }

  /** POST /api/nlu/classify */
  async classify(text: string) {
    const u = await this.understand(text, 'zh-CN');
    const category = this.classifyCategory(text);
    return {
      language: u.language,
      intent: { name: u.intent.name, score: round(u.intent.score) },
      category: { code: category.code, score: round(category.score) },
      entities: u.entities.map((e) => ({ type: e.type, value: e.value })),
    };
  }
}

/**
 * Extraction runs on the normalised text; when the value is the whole answer, keep the petitioner's
 * own wording (traditional characters, full-width digits) instead of the normalised copy.
 */
function slotAnswerFromOriginal(answer: string, normalized: string, original: string): string {
  return answer === normalized ? original : answer;
}

function examplesByCategory(corpora: Record<Locale, CategoryCorpus>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const corpus of Object.values(corpora)) {
    for (const c of corpus.categories) (out[c.code] ??= []).push(...c.train.map(normalizeText));
  }
  return out;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
