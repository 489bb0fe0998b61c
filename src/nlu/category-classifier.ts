import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Locale } from '../domain.js';
import { normalizeText } from './normalize.js';
import { FEATURES_VERSION } from './text-features.js';
import type { TextClassifier } from './text-classifier.js';
import { Lexicon } from './lexicon.js';
import type { Labelled } from './evaluation.js';
import { COMPACT_EXTENSION, readModel, ROUTING_MODEL_FILE, toCompactFile, toFile, trainRouting, writeCompactModel, type RoutingModelInfo } from './routing-model.js';
import type { CategoryGuess } from './understanding.js';

/**
 * intents/categories/<locale>.json: petition descriptions per taxonomy code, with held-out tests;
 * plus intents/categories/corpus/<locale>/<code>.json, more messages to train on per category
 * ({"code", "messages"}), written in the registers citizens use on message boards.
 */
export interface CategoryCorpus {
  locale: string;
  categories: { code: string; train: string[]; test: string[] }[];
}

export function loadCategoryCorpora(dir: string, options: { corpusFolder?: boolean } = {}): Record<Locale, CategoryCorpus> {
  const read = (locale: Locale): CategoryCorpus => {
    const corpus = JSON.parse(readFileSync(join(dir, 'categories', `${locale}.json`), 'utf8')) as CategoryCorpus;
    const more = join(dir, 'categories', 'corpus', locale);
    if (options.corpusFolder === false || !existsSync(more)) return corpus;
    for (const file of readdirSync(more).filter((f) => f.endsWith('.json')).sort()) {
      const data = JSON.parse(readFileSync(join(more, file), 'utf8')) as { code?: unknown; messages?: unknown };
      if (typeof data.code !== 'string' || !Array.isArray(data.messages) || !data.messages.every((m) => typeof m === 'string')) {
        throw new Error(`${join(more, file)}: expected {"code": string, "messages": string[]}`);
      }
      const into = corpus.categories.find((c) => c.code === data.code) ?? corpus.categories[corpus.categories.push({ code: data.code, train: [], test: [] }) - 1];
      into.train.push(...(data.messages as string[]));
    }
    return corpus;
  };
  return { 'zh-CN': read('zh-CN'), en: read('en') };
}

/** intents/categories/lexicon: what each department handles, as the router's features (lexicon.ts). */
export function loadLexicon(dir: string): Lexicon {
  return Lexicon.load(join(dir, 'categories'));
}

/** The built-in corpus as training examples (normalised as messages are). */
export function corpusExamples(corpora: Record<Locale, CategoryCorpus>): Labelled[] {
  return Object.values(corpora).flatMap((corpus) =>
    corpus.categories.flatMap((c) => c.train.map((text) => ({ text: normalizeText(text), label: c.code }))),
  );
}

/**
 * A second category is shown beside the first when the message speaks for it at least this much
 * compared with the first (TextClassifier.support), or the calibrated model gives it at least
 * SECONDARY_SHARE: a message about wages and a school is about both, not a coin toss between them.
 * On the held-out message-board set, single-matter messages have a median ratio of 0.38; two-matter
 * ones written for the tests 0.62–0.85.
 */
export const SECONDARY_SUPPORT = 0.6;
export const SECONDARY_SHARE = 0.25;
/** How many words of a routing an officer is shown as its reasons. */
const EVIDENCE_TERMS = 6;

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
    /**
     * The file the model was read from or saved to, null for one that lives in memory only: an NLU
     * thread reads this file (fromFile) instead of the corpora the hub thread found it by.
     */
    readonly file: string | null = null,
  ) {}

  /** A model read from a file (readModel). */
  static fromModel(m: { classifier: TextClassifier; file: RoutingModelInfo }, path: string | null = null): CategoryClassifier {
    return new CategoryClassifier(m.classifier, m.file.threshold.threshold, 'trained', path);
  }

  /**
   * The model in a file `create` chose (its `file`). Finding the built-in model's cache means reading
   * and normalising the whole corpus for its hash: megabytes of garbage an NLU thread need not make.
   */
  static fromFile(path: string): CategoryClassifier {
    const m = readModel(path);
    if (!m) throw new Error(`${path}: no routing model there`);
    return new CategoryClassifier(m.classifier, m.file.threshold.threshold, basename(path) === ROUTING_MODEL_FILE ? 'trained' : 'built-in', path);
  }

  /** A classifier trained elsewhere, with no threshold of its own (it never abstains). */
  static fromClassifier(classifier: TextClassifier): CategoryClassifier {
    return new CategoryClassifier(classifier, 0, 'built-in');
  }

  static create(corpora: Record<Locale, CategoryCorpus>, modelDir: string | undefined, lexicon: Lexicon | null): CategoryClassifier {
    const own = modelDir ? join(modelDir, ROUTING_MODEL_FILE) : null;
    const trained = own ? readModel(own) : null;
    if (trained) return CategoryClassifier.fromModel(trained, own);
    const examples = corpusExamples(corpora);
    // The features are part of the key: a model cached by an older version would not match them.
    const hash = createHash('sha256')
      .update(FEATURES_VERSION)
      .update(JSON.stringify(examples))
      .update(JSON.stringify(lexicon?.terms ?? {}))
      .digest('hex')
      .slice(0, 16);
    // Cached in the compact format (routing-model.ts); a cache an earlier version wrote as JSON is
    // read once and written again compact, rather than trained again.
    const cached = modelDir ? join(modelDir, `routing-builtin-${hash}${COMPACT_EXTENSION}`) : null;
    const hit = cached ? (readCache(cached) ?? upgradeJsonCache(cached)) : null;
    if (hit) return new CategoryClassifier(hit.classifier, hit.file.threshold.threshold, 'built-in', cached);
    const routing = trainRouting(examples, lexicon);
    if (cached) writeCompactModel(cached, toCompactFile(toFile(routing, { builtIn: examples.length }), routing.classifier));
    return new CategoryClassifier(routing.classifier, routing.threshold.threshold, 'built-in', cached);
  }

  /** `text` is already normalised. */
  classify(text: string): CategoryGuess {
    const p = this.model.predict(text);
    const support = this.model.support(text);
    const first = support.find((s) => s.label === p.label)?.mass ?? 0;
    const other = support.find((s) => s.label !== p.label);
    const second = p.ranking[1];
    const secondary =
      second && second.score >= SECONDARY_SHARE
        ? second.label
        : other && first > 0 && other.mass >= SECONDARY_SUPPORT * first
          ? other.label
          : null;
    return {
      code: p.label,
      score: p.score,
      threshold: this.threshold,
      ranking: p.ranking.slice(0, 3).map((r) => ({ code: r.label, score: r.score })),
      ...(secondary ? { secondary: { code: secondary, score: p.ranking.find((r) => r.label === secondary)?.score ?? 0 } } : {}),
      evidence: this.model.explain(text, p.label, EVIDENCE_TERMS).map((e) => ({ term: e.term, weight: Math.round(e.weight * 1000) / 1000 })),
    };
  }
}

/**
 * The compact cache, or null to make it again: V8's serialization format may change with Node's
 * version, and a cache an older or newer Node wrote is trained anew rather than stopping the hub.
 */
function readCache(path: string): ReturnType<typeof readModel> {
  try {
    return readModel(path);
  } catch {
    return null;
  }
}

/** The JSON cache beside a compact one's path, rewritten compact; null when there is none. */
function upgradeJsonCache(compactPath: string): ReturnType<typeof readModel> {
  const json = readModel(compactPath.slice(0, -COMPACT_EXTENSION.length) + '.json');
  if (json) writeCompactModel(compactPath, toCompactFile(json.file, json.classifier));
  return json;
}
