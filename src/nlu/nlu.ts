import { fileURLToPath } from 'node:url';
import type { Locale, Slot } from '../domain.js';
import { normalizeText, warmUpNormalizer } from './normalize.js';
import { detectLanguage } from './language.js';
import { extractEntities } from './entities.js';
import { answerForSlot, detectCorrection, detectDecline, extractDetails } from './details.js';
import { assessAffect, detectEmergency } from './affect.js';
import { IntentClassifier, loadIntentCorpora } from './intent-classifier.js';
import { CategoryClassifier, loadCategoryCorpora } from './category-classifier.js';
import type { CategoryGuess, Understanding } from './understanding.js';

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
    private readonly categories: CategoryClassifier,
    private readonly options: NluOptions,
  ) {}

  static async load(options: NluOptions): Promise<Nlu> {
    const dir = options.intentsDir ?? INTENTS_DIR;
    const intents = await IntentClassifier.create(loadIntentCorpora(dir), options.modelDir);
    const categories = CategoryClassifier.create(loadCategoryCorpora(dir), options.modelDir);
    // The traditional→simplified dictionary loads on first use; load it now, not on a petitioner's turn.
    warmUpNormalizer();
    return new Nlu(intents, categories, options);
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
    const details = extractDetails(normalized, language);
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
      entities: extractEntities(normalized),
      details,
      affect: assessAffect(normalized, language),
      emergency: detectEmergency(normalized, language),
      decline,
      correction: detectCorrection(normalized, language),
      contentless,
      slotAnswer: slotAnswer && slotAnswerFromOriginal(slotAnswer, normalized, text),
    };
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

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
