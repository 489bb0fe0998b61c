// Routes long petition texts to categories: TF-IDF features (text-features.ts) and a multinomial
// logistic regression. nlp.js is built for short utterances and does badly on documents
// (dependencies.md); this is the document-shaped model it recommends.

import { forEachFeature, TfidfVectorizer, termCounts, type SparseVector } from './text-features.js';
import { Lexicon, type LexiconTerms } from './lexicon.js';
import { seededRandom } from '../util/random.js';

export interface TrainingExample {
  text: string;
  label: string;
}

export interface Prediction {
  label: string;
  /** Probability of the top label. */
  score: number;
  /** Every label, most probable first; scores sum to 1. */
  ranking: { label: string; score: number }[];
}

/** A term of the message and how much it pulled toward the predicted label (log-odds against the average label). */
export interface Evidence {
  term: string;
  weight: number;
}

export interface TrainOptions {
  /** Passes over the training set. */
  epochs: number;
  /** AdaGrad base step size. */
  learningRate: number;
  /** L2 penalty, applied to the weights of the terms present in each example. */
  l2: number;
  /** Seeds the order in which examples are visited; same seed and data give the same model. */
  seed: number;
  /** Terms must occur in this many documents to become features... */
  minDocFreq: number;
  /** ...once there are at least this many documents (a small corpus needs every term it has). */
  minDocsForPruning: number;
  /** Upper bound on the vocabulary, keeping the terms found in most documents. */
  maxFeatures: number;
  /** Department-responsibility terms taken as features (lexicon.ts); null for none. */
  lexicon: Lexicon | null;
  /**
   * Term counts by text, shared between the models of a cross-validation (same lexicon), so that
   * each text is segmented once rather than once per fold.
   */
  featureCache: Map<string, Map<number, number>> | null;
  /**
   * Naive-Bayes weighting (as NB-SVM, Wang & Manning 2012, for several classes): each term's idf is
   * multiplied by 1 + this × how unevenly the term is spread over the categories (its largest class
   * log-probability less the mean one), so that the words that tell departments apart weigh more
   * than the words every petition uses. 0 turns it off.
   */
  discriminativeWeight: number;
}

export const DEFAULT_TRAIN_OPTIONS: Readonly<TrainOptions> = {
  // Accuracy is flat from 3–5 epochs on (synthetic 7-topic data, and the built-in corpus of 4,700
  // messages on the three held-out sets: 3, 5 and 10 epochs within 0.005), and training time is
  // proportional to epochs; a step of 1 gives better-calibrated scores than smaller ones.
  epochs: 5,
  learningRate: 1,
  l2: 1e-4,
  seed: 1,
  minDocFreq: 2,
  minDocsForPruning: 100,
  maxFeatures: 200_000,
  lexicon: null,
  featureCache: null,
  // Trained on the short descriptions only and scored on messages in registers they do not have
  // (bench:nlu, "register shift"), 1 gained 0.025 macro-F1 on hotline records and 0.004 on board
  // letters over plain tf-idf; trained on the whole corpus it is within one message of it.
  discriminativeWeight: 1,
};

export interface SerializedTextClassifier {
  format: 'text-classifier/1' | 'text-classifier/2';
  labels: string[];
  /** Term ids (hashes, see text-features.ts) of the features, in weight-row order. */
  terms: number[];
  idf: number[];
  /** terms.length × labels.length, one row per term. */
  weights: number[];
  bias: number[];
  /** Since /2: the lexicon the features were made with, and the softmax temperature (calibration). */
  lexicon?: LexiconTerms;
  temperature?: number;
}

/**
 * The same model with its parameters as typed arrays, for a binary file (routing-model.ts): a JSON
 * model of 130,000 terms is 25 MB of text whose parse needs several times that in memory, in every
 * thread that loads it.
 */
export interface CompactTextClassifier {
  format: 'text-classifier/2';
  labels: string[];
  terms: Uint32Array;
  idf: Float64Array;
  weights: Float64Array;
  bias: Float64Array;
  lexicon?: LexiconTerms;
  temperature: number;
}

const FORMAT = 'text-classifier/2';
const FORMATS = new Set(['text-classifier/1', FORMAT]);

export class TextClassifier {
  private constructor(
    private readonly labels: readonly string[],
    private readonly vectorizer: TfidfVectorizer,
    private readonly weights: Float64Array,
    private readonly bias: Float64Array,
    private readonly lexicon: Lexicon | null,
    /** Scores are divided by it before the softmax: > 1 tempers an over-confident model. */
    readonly temperature = 1,
  ) {}

  /** The same model with its confidence calibrated (evaluation.ts, fitTemperature). */
  withTemperature(temperature: number): TextClassifier {
    if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`TextClassifier: temperature must be positive, got ${temperature}`);
    return new TextClassifier(this.labels, this.vectorizer, this.weights, this.bias, this.lexicon, temperature);
  }

  static train(examples: TrainingExample[], options: Partial<TrainOptions> = {}): TextClassifier {
    const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
    examples.forEach((ex, i) => {
      if (typeof ex.text !== 'string' || ex.text.trim() === '') {
        throw new Error(`TextClassifier.train: example ${i} has an empty text`);
      }
      if (typeof ex.label !== 'string' || ex.label === '') {
        throw new Error(`TextClassifier.train: example ${i} has an empty label`);
      }
    });
    // Sorted so that the label order does not depend on the order of the examples.
    const labels = [...new Set(examples.map((ex) => ex.label))].sort();
    if (labels.length < 2) {
      throw new Error(`TextClassifier.train: needs examples of at least 2 labels, got ${labels.length}`);
    }
    const cache = opts.featureCache;
    const counts = examples.map((ex) => {
      const hit = cache?.get(ex.text);
      if (hit) return hit;
      const made = termCounts(ex.text, opts.lexicon);
      cache?.set(ex.text, made);
      return made;
    });
    const minDocFreq = examples.length >= opts.minDocsForPruning ? opts.minDocFreq : 1;
    const fitted = TfidfVectorizer.fit(counts, minDocFreq, opts.maxFeatures);
    const labelIndex = new Map(labels.map((label, k) => [label, k]));
    const ys = examples.map((ex) => labelIndex.get(ex.label) ?? 0);
    const vectorizer = opts.discriminativeWeight > 0 ? nbWeighted(fitted, counts.map((c) => fitted.transform(c)), ys, labels.length, opts.discriminativeWeight) : fitted;
    const xs = counts.map((c) => vectorizer.transform(c));

    const k = labels.length;
    const weights = new Float64Array(vectorizer.size * k);
    const bias = new Float64Array(k);
    fitAdaGrad(xs, ys, weights, bias, opts);
    return new TextClassifier(labels, vectorizer, weights, bias, opts.lexicon);
  }

  predict(text: string): Prediction {
    const probs = this.probabilities(this.vectorizer.vectorize(text, this.lexicon));
    const ranking = this.labels.map((label, k) => ({ label, score: probs[k] }));
    // Stable sort: equal scores (e.g. an untrained tie) keep the label order.
    ranking.sort((a, b) => b.score - a.score);
    return { label: ranking[0].label, score: ranking[0].score, ranking };
  }

  /**
   * The words of `text` that pulled most toward `label`: each feature's tf-idf value times its weight
   * for the label less its average weight over all labels (log-odds), strongest first.
   */
  explain(text: string, label: string, n = 5): Evidence[] {
    const k = this.labels.indexOf(label);
    if (k < 0) return [];
    const { indices, values } = this.vectorizer.vectorize(text, this.lexicon);
    const valueOf = new Map<number, number>();
    indices.forEach((i, t) => valueOf.set(i, values[t]));
    const width = this.labels.length;
    const pull = (i: number) => {
      let mean = 0;
      for (let c = 0; c < width; c++) mean += this.weights[i * width + c];
      return ((valueOf.get(i) ?? 0) * (this.weights[i * width + k] - mean / width)) / this.temperature;
    };
    // Character n-grams are features, not words to show a reader: the pull of each is credited to
    // the words of the message that hold it (工资 gets 工, 资 and 工资's own n-gram), and the words,
    // lexicon terms and the lexicon's category are what is shown.
    const grams = new Map<string, number>();
    const words = new Map<string, number>();
    const seen = new Set<number>();
    forEachFeature(
      text,
      this.lexicon,
      (id, name, kind) => {
        const i = this.vectorizer.featureOf(id);
        if (i === undefined || seen.has(i) || !name.trim()) return;
        seen.add(i);
        (kind === 'gram' ? grams : words).set(name, (kind === 'gram' ? 0 : (words.get(name) ?? 0)) + pull(i));
      },
      true,
    );
    const evidence: Evidence[] = [...words].map(([term, own]) => {
      let weight = own;
      for (const [gram, w] of grams) if (term.includes(gram)) weight += w;
      return { term, weight };
    });
    evidence.sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term));
    const kept: Evidence[] = [];
    for (const e of evidence) {
      if (kept.length >= n || e.weight <= 0) break;
      // One word once: 拖欠工资 adds little to 工资 already shown.
      if (kept.some((x) => x.term.includes(e.term) || e.term.includes(x.term))) continue;
      kept.push(e);
    }
    return kept;
  }

  /**
   * How much of the message speaks for each label: the sum of the features' positive pulls toward
   * it (as in explain). Unlike the softmax, which gives nearly all to one label, this sees that a
   * message about wages and a school speaks for both.
   */
  support(text: string): { label: string; mass: number }[] {
    const { indices, values } = this.vectorizer.vectorize(text, this.lexicon);
    const width = this.labels.length;
    const mass = new Float64Array(width);
    for (let t = 0; t < indices.length; t++) {
      const row = indices[t] * width;
      let mean = 0;
      for (let c = 0; c < width; c++) mean += this.weights[row + c];
      mean /= width;
      for (let c = 0; c < width; c++) {
        const d = values[t] * (this.weights[row + c] - mean);
        if (d > 0) mass[c] += d;
      }
    }
    return this.labels.map((label, c) => ({ label, mass: mass[c] })).sort((a, b) => b.mass - a.mass);
  }

  toJSON(): SerializedTextClassifier {
    return {
      format: FORMAT,
      labels: [...this.labels],
      terms: [...this.vectorizer.vocabulary],
      idf: Array.from(this.vectorizer.idf),
      weights: Array.from(this.weights),
      bias: Array.from(this.bias),
      ...(this.lexicon?.size ? { lexicon: this.lexicon.terms } : {}),
      temperature: this.temperature,
    };
  }

  /** The model's own arrays, not copies: for writing to a file. */
  toCompact(): CompactTextClassifier {
    const terms = Uint32Array.from(this.vectorizer.vocabulary);
    if (terms.some((t, i) => t !== this.vectorizer.vocabulary[i])) throw new Error('TextClassifier.toCompact: a term id is not a 32-bit unsigned integer');
    return {
      format: FORMAT,
      labels: [...this.labels],
      terms,
      idf: this.vectorizer.idf,
      weights: this.weights,
      bias: this.bias,
      ...(this.lexicon?.size ? { lexicon: this.lexicon.terms } : {}),
      temperature: this.temperature,
    };
  }

  static fromJSON(data: SerializedTextClassifier): TextClassifier {
    const fail = failure('fromJSON');
    if (data === null || typeof data !== 'object') fail('not an object');
    if (!FORMATS.has(data.format)) fail(`unsupported format ${String(data.format)}`);
    const { terms, idf, weights, bias } = data;
    if (!Array.isArray(terms) || !terms.every(Number.isInteger)) fail('terms must be integers');
    if (![idf, weights, bias].every(Array.isArray)) fail('idf, weights and bias must be arrays');
    return TextClassifier.checked(data, [...terms], Float64Array.from(idf), Float64Array.from(weights), Float64Array.from(bias), fail);
  }

  /** A model from toCompact()'s form; its arrays are used as they are. */
  static fromCompact(data: CompactTextClassifier): TextClassifier {
    const fail = failure('fromCompact');
    if (data === null || typeof data !== 'object') fail('not an object');
    if (data.format !== FORMAT) fail(`unsupported format ${String(data.format)}`);
    const { terms, idf, weights, bias } = data;
    if (!(terms instanceof Uint32Array)) fail('terms must be a Uint32Array');
    if (![idf, weights, bias].every((xs) => xs instanceof Float64Array)) fail('idf, weights and bias must be Float64Arrays');
    return TextClassifier.checked(data, Array.from(terms), idf, weights, bias, fail);
  }

  private static checked(
    data: { labels: unknown; lexicon?: unknown; temperature?: unknown },
    terms: number[],
    idf: Float64Array,
    weights: Float64Array,
    bias: Float64Array,
    fail: (why: string) => never,
  ): TextClassifier {
    const { labels } = data;
    if (!Array.isArray(labels) || labels.length < 2) fail('needs at least 2 labels');
    const names = labels as unknown[];
    if (!names.every((label): label is string => typeof label === 'string' && label !== '')) fail('labels must be non-empty strings');
    if (idf.length !== terms.length) fail('idf must have one entry per term');
    if (weights.length !== terms.length * names.length) fail('weights must have terms.length × labels.length entries');
    if (bias.length !== names.length) fail('bias must have one entry per label');
    if (![idf, weights, bias].every((xs) => xs.every(Number.isFinite))) fail('non-finite parameter');
    const temperature = data.temperature ?? 1;
    if (typeof temperature !== 'number' || !(temperature > 0) || !Number.isFinite(temperature)) fail('temperature must be positive');
    const lexicon = data.lexicon ?? null;
    if (lexicon !== null && (typeof lexicon !== 'object' || !Object.values(lexicon).every((ts) => Array.isArray(ts) && ts.every((t) => typeof t === 'string')))) {
      fail('lexicon must map categories to lists of terms');
    }
    return new TextClassifier(
      [...(names as string[])],
      new TfidfVectorizer(terms, idf),
      weights,
      bias,
      lexicon ? new Lexicon(lexicon as LexiconTerms) : null,
      temperature as number,
    );
  }

  private probabilities({ indices, values }: SparseVector): Float64Array {
    const scores = Float64Array.from(this.bias);
    const k = scores.length;
    for (let t = 0; t < indices.length; t++) {
      const row = indices[t] * k;
      for (let c = 0; c < k; c++) scores[c] += this.weights[row + c] * values[t];
    }
    if (this.temperature !== 1) for (let c = 0; c < k; c++) scores[c] /= this.temperature;
    return softmaxInPlace(scores);
  }
}

function failure(where: string): (why: string) => never {
  return (why) => {
    throw new Error(`TextClassifier.${where}: ${why}`);
  };
}

/** The vectorizer with each term's idf scaled by its naive-Bayes spread over the categories. */
function nbWeighted(v: TfidfVectorizer, xs: SparseVector[], ys: number[], k: number, beta: number): TfidfVectorizer {
  const sums = new Float64Array(v.size * k);
  const totals = new Float64Array(k);
  xs.forEach(({ indices, values }, i) => {
    for (let t = 0; t < indices.length; t++) {
      sums[indices[t] * k + ys[i]] += values[t];
      totals[ys[i]] += values[t];
    }
  });
  const alpha = 1;
  const idf = Float64Array.from(v.idf, (idf, f) => {
    let max = -Infinity;
    let mean = 0;
    for (let c = 0; c < k; c++) {
      const lp = Math.log((alpha + sums[f * k + c]) / (alpha * v.size + totals[c]));
      max = Math.max(max, lp);
      mean += lp / k;
    }
    return idf * (1 + beta * (max - mean));
  });
  return new TfidfVectorizer(v.vocabulary, idf);
}

function softmaxInPlace(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) if (s > max) max = s;
  let sum = 0;
  for (let c = 0; c < scores.length; c++) {
    scores[c] = Math.exp(scores[c] - max);
    sum += scores[c];
  }
  for (let c = 0; c < scores.length; c++) scores[c] /= sum;
  return scores;
}

/**
 * Per-example AdaGrad on the softmax cross-entropy. Updating only the rows of the terms present
 * keeps an epoch proportional to the number of non-zeros; the L2 penalty is applied the same way,
 * which regularises frequent terms more than rare ones (close to what dropout does to a linear model).
 */
function fitAdaGrad(xs: SparseVector[], ys: number[], weights: Float64Array, bias: Float64Array, opts: TrainOptions): void {
  const k = bias.length;
  // Each term's weights and squared-gradient sums side by side: training is bound by memory
  // latency (rows are visited in random order), and one cache miss then brings in both.
  const stride = 2 * k;
  const state = new Float64Array((weights.length / k) * stride);
  // Starting the sums above zero keeps the first step of each weight from being a full
  // learningRate whatever its gradient (TensorFlow's AdaGrad starts at 0.1 too).
  for (let at = k; at < state.length; at += stride) state.fill(0.1, at, at + k);
  const biasGradSq = new Float64Array(k).fill(0.1);
  const scores = new Float64Array(k);
  const order = xs.map((_, i) => i);
  const random = seededRandom(opts.seed);
  const { learningRate: rate, l2 } = opts;

  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffle(order, random);
    for (const i of order) {
      const { indices, values } = xs[i];
      scores.set(bias);
      for (let t = 0; t < indices.length; t++) {
        const row = indices[t] * stride;
        const v = values[t];
        for (let c = 0; c < k; c++) scores[c] += state[row + c] * v;
      }
      softmaxInPlace(scores);
      scores[ys[i]] -= 1; // now the gradient of the loss with respect to each label's score
      for (let c = 0; c < k; c++) {
        const g = scores[c];
        biasGradSq[c] += g * g;
        bias[c] -= (rate * g) / Math.sqrt(biasGradSq[c]);
      }
      for (let t = 0; t < indices.length; t++) {
        const row = indices[t] * stride;
        const v = values[t];
        for (let c = 0; c < k; c++) {
          const w = row + c;
          const g = scores[c] * v + l2 * state[w];
          state[w + k] += g * g;
          state[w] -= (rate * g) / Math.sqrt(state[w + k]);
        }
      }
    }
  }
  for (let term = 0; term * k < weights.length; term++) {
    weights.set(state.subarray(term * stride, term * stride + k), term * k);
  }
}


function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
}
