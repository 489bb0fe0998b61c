import { QUICK_REPLY_VALUES, type Details, type Locale, type Slot } from '../domain.js';
import { normalizeText } from './normalize.js';
import { detectLanguage } from './language.js';
import { extractEntities } from './entities.js';
import { detectCorrection, detectDecline, extractDetails, isCorrectionMarked } from './details.js';
import { judgeAnswer, volunteeredAnswer } from './answer-check.js';
import { replyActs } from './reply-acts.js';
import { assessAffect, detectEmergency } from './affect.js';
import { IntentClassifier, loadIntentCorpora } from './intent-classifier.js';
import type { Understanding } from './understanding.js';
import { followUpCues } from './follow-up-cues.js';
import { WARM_UP } from './warm-up-texts.js';

/** Intents that, in a short message with no details in it, carry no petition content. */
const SOCIAL = new Set([
  'greeting', 'thanks', 'goodbye', 'affirm', 'deny', 'smalltalk', 'human.request',
  'petition.new', 'case.status', 'case.add_info', 'correct',
]);

function isShort(text: string, language: Locale): boolean {
  if (language === 'zh-CN') return text.replace(/[\s\p{P}]/gu, '').length <= 12;
  return text.split(/\s+/).filter(Boolean).length <= 8;
}

export { WARM_UP };

export interface UnderstanderOptions {
  intentThreshold: number;
  modelDir?: string;
  /** The intents/ folder (corpora). */
  intentsDir: string;
  /** Understand a message in each language at load (default true); the test suite skips it. */
  warmUp?: boolean;
}

/**
 * What a petitioner's message says: intent, details, feelings, emergencies. Pure given its models,
 * so it runs the same in the hub's thread or in an NLU thread (nlu-threads.ts).
 */
export class Understander {
  private constructor(
    private readonly intents: IntentClassifier,
    private readonly intentThreshold: number,
  ) {}

  static async load(options: UnderstanderOptions): Promise<Understander> {
    const intents = await IntentClassifier.create(loadIntentCorpora(options.intentsDir), options.modelDir);
    const understander = new Understander(intents, options.intentThreshold);
    if (options.warmUp !== false) await understander.warmUp();
    return understander;
  }

  /**
   * jieba builds its dictionary on the first Chinese text it cuts (about 0.3 s), and the extractors
   * and nlp.js have first runs of their own; understanding one message in each language at load pays
   * them before the hub is ready, not on the first petitioner's turn. (nlp.js's own Chinese
   * dictionary is never built: zh-stems.ts.)
   */
  private async warmUp(): Promise<void> {
    for (const [text, locale] of WARM_UP) await this.understand(text, locale, 'location');
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
    const confident = intent.score >= this.intentThreshold;
    const entities = extractEntities(normalized);
    const details = QUICK_REPLY_VALUES.has(text) ? {} : asWritten(extractDetails(normalized, language, entities), normalized, text);
    // A quick-reply button's value is a choice: no detail, no story, no answer to anything but the choice.
    const button = QUICK_REPLY_VALUES.has(text);
    const acts = button ? { ...replyActs(''), filler: true } : replyActs(normalized, text);
    const decline = expecting !== null && !button && detectDecline(normalized, language);
    const slotAnswer = expecting && !decline && !button ? judgeAnswer(expecting, normalized, acts) : null;
    const unprompted = expecting === null && !button ? volunteeredAnswer(normalized, acts) : null;
    const noContent = Object.keys(details).length === 0 && !slotAnswer;
    const contentless =
      acts.filler ||
      (noContent && (normalized.replace(/[\s\p{P}\p{S}]/gu, '').length <= 2 || (confident && SOCIAL.has(intent.name) && isShort(normalized, language))));
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
      correction: writtenCorrection(detectCorrection(normalized, language), normalized, text),
      correctionMarked: isCorrectionMarked(normalized),
      contentless,
      acts,
      slotAnswer,
      unprompted,
      ...followUpCues(normalized, confident && intent.name === 'case.status'),
    };
  }
}

/**
 * Details are found in the normalised text; recorded, they keep the petitioner's own wording
 * (traditional characters, full-width digits) when the two texts line up character for character.
 * Phone numbers stay in their canonical digits.
 */
function asWritten(details: Details, normalized: string, original: string): Details {
  if (normalized.length !== original.length) return details;
  const out: Details = {};
  for (const [slot, value] of Object.entries(details) as [Slot, string][]) {
    const at = slot === 'contactPhone' ? -1 : normalized.indexOf(value);
    out[slot] = at < 0 ? value : original.slice(at, at + value.length);
  }
  return out;
}

function writtenCorrection(c: Understanding['correction'], normalized: string, original: string): Understanding['correction'] {
  if (!c?.value) return c;
  return { ...c, value: asWritten({ [c.slot]: c.value }, normalized, original)[c.slot] ?? c.value };
}
