import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangZh } from '@nlpjs/lang-zh';
import { LangEn } from '@nlpjs/lang-en-min';
import type { Locale } from '../domain.js';
import { normalizeText } from './normalize.js';

/** nlp.js corpus file (intents/<locale>.json): training utterances and held-out tests per intent. */
export interface IntentCorpus {
  name: string;
  locale: string;
  data: { intent: string; utterances: string[]; tests?: string[] }[];
}

const NLP_LOCALE: Record<Locale, string> = { 'zh-CN': 'zh', en: 'en' };

/**
 * Short-turn intent recognition with nlp.js (greeting, yes/no, status, ask for a human …). The model
 * is trained at start-up or loaded from MODEL_DIR when the corpus has not changed since.
 */
export class IntentClassifier {
  private constructor(private readonly nlp: Nlp) {}

  static async create(corpora: Record<Locale, IntentCorpus>, modelDir?: string): Promise<IntentClassifier> {
    const nlp = await newNlp();
    const hash = createHash('sha256').update(JSON.stringify(corpora)).digest('hex').slice(0, 16);
    const file = modelDir ? join(modelDir, `intents-${hash}.nlp.json`) : null;
    if (file && existsSync(file)) {
      nlp.import(readFileSync(file, 'utf8'));
      return new IntentClassifier(nlp);
    }
    for (const locale of Object.keys(corpora) as Locale[]) {
      for (const item of corpora[locale].data) {
        for (const u of item.utterances) nlp.addDocument(NLP_LOCALE[locale], normalizeText(u), item.intent);
      }
    }
    await nlp.train();
    if (file && modelDir) {
      mkdirSync(modelDir, { recursive: true });
      writeFileSync(file, nlp.export(true));
    }
    return new IntentClassifier(nlp);
  }

  /** `text` is already normalised (normalizeText). */
  async classify(text: string, locale: Locale): Promise<{ name: string; score: number }> {
    const r = await this.nlp.process(NLP_LOCALE[locale], text);
    return { name: r.intent || 'None', score: r.intent && r.intent !== 'None' ? r.score : 0 };
  }
}

async function newNlp(): Promise<Nlp> {
  const container = await containerBootstrap();
  container.use(Nlp);
  container.use(LangZh);
  container.use(LangEn);
  const nlp = container.get('nlp') as Nlp;
  // Sentiment is useless for Chinese here (notes/dependencies.md); affect.ts does that job.
  nlp.settings.autoSave = false;
  nlp.settings.autoLoad = false;
  nlp.settings.calculateSentiment = false;
  nlp.settings.log = false;
  nlp.addLanguage(['zh', 'en']);
  return nlp;
}

export function loadIntentCorpora(dir: string): Record<Locale, IntentCorpus> {
  const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as IntentCorpus;
  return { 'zh-CN': read('zh-CN.json'), en: read('en.json') };
}
