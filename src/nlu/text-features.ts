// Sparse TF-IDF features for routing documents written in Chinese, English or a mix of both.
// Chinese gives character 1–3-grams and, in addition, jieba's words of two or more characters: the
// n-grams cover names and words jieba does not know, the words carry meaning across n-gram
// boundaries (see docs/benchmarks.md, "Understanding: routing").
import { segment } from './segmenter.js';
import type { Lexicon } from './lexicon.js';

// A word is a run of letters, digits or marks of any script but Han (so "iPhone坏了" splits in two).
const WORD = String.raw`[^\s\p{Script=Han}\p{P}\p{S}\p{C}]+`;
// Clause punctuation is a token of its own so that it can end a bigram. Groups: 1 = Han run, 2 = word.
const TOKEN = new RegExp(String.raw`(\p{Script=Han}+)|(${WORD}(?:['’]${WORD})*)|[.!?;:,。、]`, 'gu');
const DIGITS = /\p{Nd}+/gu;
const MAX_CHAR_GRAM = 3;
/** Changes whenever the terms below change, so that models trained on other terms are not reused. */
export const FEATURES_VERSION = 'terms/3';

// Terms are identified by a 30-bit hash rather than by string: vocabulary lookups, which dominate
// prediction time, measured 3–4× faster with small-integer Map keys than with n-gram strings, and no
// string is built per n-gram. Among a few hundred thousand distinct terms about a hundred pairs
// collide — rare terms, mostly pruned anyway; held-out accuracy on the synthetic benchmark was the
// same as with string keys.
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const HAN_SEED = 0x48; // different seeds keep a Han n-gram and a word with the same code units apart
const WORD_SEED = 0x57;
const HAN_WORD_SEED = 0x4a;
const LEXICON_TERM_SEED = 0x4c;
const LEXICON_CATEGORY_SEED = 0x43;

function step(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME);
}

function hashUnits(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) hash = step(hash, text.charCodeAt(i));
  return hash;
}

/** Avalanche (MurmurHash3's fmix32), then keep 30 bits so that the id is a small integer. */
function finish(hash: number): number {
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 2;
}

/** What a term is: a Han character n-gram, a word (jieba's or a Latin one), a lexicon term, a lexicon category. */
export type TermKind = 'gram' | 'word' | 'lexicon' | 'category';

/** Called once per term occurrence; `name` is the term as text when asked for, else ''. */
export type TermVisitor = (id: number, name: string, kind: TermKind) => void;

/**
 * Calls visit once per term occurrence with the term's id: Han character 1–3-grams within a run of
 * Han characters, lower-cased words with digit runs replaced by '#', and bigrams of words in the
 * same clause. With `named`, also the term's text (for explanations; slower).
 */
export function forEachTerm(text: string, visit: TermVisitor, named = false): void {
  // NFKC makes full-width letters, digits and ，！？；： their ASCII forms.
  const normalised = text.normalize('NFKC');
  const codePoints: number[] = [];
  let previousWord: number | undefined; // hash state after the previous word, to extend into a bigram
  let previousName = '';
  for (const match of normalised.matchAll(TOKEN)) {
    const [, han, word] = match;
    if (han !== undefined) {
      previousWord = undefined;
      codePoints.length = 0;
      for (let i = 0; i < han.length; i++) {
        const cp = han.codePointAt(i) ?? 0;
        codePoints.push(cp);
        if (cp > 0xffff) i++;
      }
      const start = step(FNV_OFFSET, HAN_SEED);
      for (let i = 0; i < codePoints.length; i++) {
        let hash = start;
        for (let n = 0; n < MAX_CHAR_GRAM && i + n < codePoints.length; n++) {
          hash = step(hash, codePoints[i + n]);
          visit(finish(hash), named ? String.fromCodePoint(...codePoints.slice(i, i + n + 1)) : '', 'gram');
        }
      }
      if (codePoints.length > 2) {
        for (const w of segment(han)) if (w.length >= 2) visit(finish(hashUnits(step(FNV_OFFSET, HAN_WORD_SEED), w)), w, 'word');
      }
    } else if (word !== undefined) {
      // House numbers, dates and amounts vary between documents on the same topic.
      const term = word.toLowerCase().replace(DIGITS, '#');
      const hash = hashUnits(step(FNV_OFFSET, WORD_SEED), term);
      visit(finish(hash), term, 'word');
      if (previousWord !== undefined) visit(finish(hashUnits(step(previousWord, 0x20), term)), named ? `${previousName} ${term}` : '', 'word');
      previousWord = hash;
      previousName = term;
    } else {
      previousWord = undefined;
    }
  }
}

/**
 * The terms of forEachTerm and, with a lexicon, one more per lexicon term found (whole, however
 * jieba splits it) and one per category of each such term: "this message speaks the language of
 * labour and social security twice".
 */
export function forEachFeature(text: string, lexicon: Lexicon | null, visit: TermVisitor, named = false): void {
  forEachTerm(text, visit, named);
  if (!lexicon?.size) return;
  lexicon.forEachMatch(text.normalize('NFKC').toLowerCase(), (term, category) => {
    visit(finish(hashUnits(step(FNV_OFFSET, LEXICON_TERM_SEED), term)), named ? term : '', 'lexicon');
    visit(finish(hashUnits(step(FNV_OFFSET, LEXICON_CATEGORY_SEED), category)), named ? `[${category}]` : '', 'category');
  });
}

export function termCounts(text: string, lexicon: Lexicon | null = null): Map<number, number> {
  const counts = new Map<number, number>();
  forEachFeature(text, lexicon, (id) => counts.set(id, (counts.get(id) ?? 0) + 1));
  return counts;
}

export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

export class TfidfVectorizer {
  private readonly index: Map<number, number>;
  // Reused by vectorize() to count by feature index without a Map per call (single-threaded).
  private readonly scratch: Int32Array;

  constructor(
    readonly vocabulary: readonly number[],
    readonly idf: Float64Array,
  ) {
    if (vocabulary.length !== idf.length) throw new Error('TfidfVectorizer: vocabulary and idf differ in length');
    this.index = new Map(vocabulary.map((term, i) => [term, i]));
    if (this.index.size !== vocabulary.length) throw new Error('TfidfVectorizer: duplicate term ids in vocabulary');
    this.scratch = new Int32Array(vocabulary.length);
  }

  get size(): number {
    return this.vocabulary.length;
  }

  /** The feature index of a term id, if it is in the vocabulary. */
  featureOf(term: number): number | undefined {
    return this.index.get(term);
  }

  /**
   * Keeps terms found in at least minDocFreq documents, then the maxFeatures found in most documents
   * (ties broken by term, so the result depends only on the input).
   */
  static fit(documents: readonly Map<number, number>[], minDocFreq: number, maxFeatures: number): TfidfVectorizer {
    // A boxed counter costs one Map operation per term instead of a get and a set.
    const df = new Map<number, { n: number }>();
    for (const counts of documents) {
      for (const term of counts.keys()) {
        const seen = df.get(term);
        if (seen) seen.n++;
        else df.set(term, { n: 1 });
      }
    }
    let kept: [number, number][] = [];
    for (const [term, { n }] of df) if (n >= minDocFreq) kept.push([term, n]);
    if (kept.length > maxFeatures) {
      kept.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      kept = kept.slice(0, maxFeatures);
    }
    const n = documents.length;
    // Smoothed idf, as in scikit-learn: never zero, so a term in every document still counts a little.
    const idf = Float64Array.from(kept, ([, docs]) => Math.log((1 + n) / (1 + docs)) + 1);
    return new TfidfVectorizer(
      kept.map(([term]) => term),
      idf,
    );
  }

  /** Sublinear tf × idf, L2-normalised. Terms outside the vocabulary are dropped. */
  transform(counts: Map<number, number>): SparseVector {
    const indices: number[] = [];
    const tfs: number[] = [];
    for (const [term, count] of counts) {
      const i = this.index.get(term);
      if (i !== undefined) {
        indices.push(i);
        tfs.push(count);
      }
    }
    return this.weigh(indices, tfs);
  }

  /** Same vector as transform(termCounts(text, lexicon)), without building the Map of every term. */
  vectorize(text: string, lexicon: Lexicon | null = null): SparseVector {
    const { index, scratch } = this;
    const indices: number[] = [];
    forEachFeature(text, lexicon, (term) => {
      const i = index.get(term);
      if (i !== undefined && scratch[i]++ === 0) indices.push(i);
    });
    const tfs = indices.map((i) => scratch[i]);
    for (const i of indices) scratch[i] = 0;
    return this.weigh(indices, tfs);
  }

  private weigh(indices: number[], tfs: number[]): SparseVector {
    const values = new Float64Array(indices.length);
    let norm = 0;
    for (let t = 0; t < indices.length; t++) {
      const v = (1 + Math.log(tfs[t])) * this.idf[indices[t]];
      values[t] = v;
      norm += v * v;
    }
    norm = Math.sqrt(norm) || 1;
    for (let t = 0; t < values.length; t++) values[t] /= norm;
    return { indices: new Int32Array(indices), values };
  }
}
