import { LruMap } from '../util/lru-map.js';

/**
 * Whether two petitions tell of the same matter: the cosine of TF-IDF vectors over Han character
 * bigrams and words. The idf is learnt per category from the petition corpora and squared, because
 * petitions are only ever compared within one category, where its everyday words (小区, 物业, wages)
 * say nothing about which matter it is; a term the corpora never saw (a place, a company, a bus
 * route) is as specific as a term can be. Bigrams alone did better than with unigrams and trigrams on
 * the examples in test/nlu/text-similarity.test.ts: unigrams match everything, trigrams dilute.
 */

/** At or above this, two issue texts are taken to be the same matter (chosen on the test's examples). */
export const SAME_MATTER = 0.3;

const STOP_WORDS = new Set(
  'the a an and or of to in on at for is are was were be been has have had i my me we our us you your it its this that they them their with by from as not no do does did but so if about there here what when who which will would can could just very'.split(' '),
);

type Features = Map<string, number>;

/** Han bigrams and words (crudely stemmed, digits kept: route 12 is not route 5). Text is normalised. */
export function features(text: string): Features {
  const counts: Features = new Map();
  const add = (f: string) => counts.set(f, (counts.get(f) ?? 0) + 1);
  const lower = text.toLowerCase();
  for (const run of lower.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1]);
  }
  for (const word of lower.match(/[\p{L}\p{N}]+(?:'\p{L}+)?/gu) ?? []) {
    if (/\p{Script=Han}/u.test(word) || STOP_WORDS.has(word)) continue;
    add(`w:${word.replace(/(?:ing|ed|es|s)$/, '')}`);
  }
  return counts;
}

/**
 * Document frequencies of the terms of a corpus, by the terms' hashes (as the vectors below keep
 * them), sorted for a binary search: a Map of the term strings took 17 MB of heap for the built-in
 * corpora (every bigram a string, nine times over), these arrays about 3 MB.
 */
interface Frequencies {
  docs: number;
  terms: Uint32Array;
  counts: Uint32Array;
}

function frequencies(documents: readonly string[]): Frequencies {
  const df = new Map<number, number>();
  for (const doc of documents) for (const f of features(doc).keys()) df.set(hash(f), (df.get(hash(f)) ?? 0) + 1);
  const terms = Uint32Array.from(df.keys()).sort();
  return { docs: documents.length, terms, counts: Uint32Array.from(terms, (t) => df.get(t) ?? 0) };
}

function documentFrequency({ terms, counts }: Frequencies, term: number): number {
  let lo = 0;
  let hi = terms.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (terms[mid] < term) lo = mid + 1;
    else if (terms[mid] > term) hi = mid - 1;
    else return counts[mid];
  }
  return 0;
}

/**
 * A petition as its weighted terms, each term a 32-bit hash, sorted: a few kilobytes less than a
 * Map per petition, and a dot product is one merge. Two terms hashing alike would count as one;
 * among the few thousand terms of one category that is too rare to move a score.
 */
interface Vector {
  keys: Uint32Array;
  weights: Float64Array;
}

/** Vectors kept: a new petition is compared with up to a couple of hundred recent ones, again and again. */
const CACHED_VECTORS = 4096;

export class PetitionSimilarity {
  private readonly byCategory: Map<string, Frequencies>;
  private readonly all: Frequencies;
  private readonly vectors = new LruMap<string, Vector>(CACHED_VECTORS);

  /**
   * @param corpora example petitions per category code, in the form `prepare` gives.
   * @param prepare how a text is normalised before its terms are taken (run once per cached text).
   */
  constructor(
    corpora: Record<string, readonly string[]>,
    private readonly prepare: (text: string) => string = (text) => text,
  ) {
    this.byCategory = new Map(Object.entries(corpora).map(([code, docs]) => [code, frequencies(docs)]));
    this.all = frequencies(Object.values(corpora).flat());
  }

  /** 0 (nothing specific in common) to 1; `category` picks the idf. */
  similarity(a: string, b: string, category?: string): number {
    const freq = (category && this.byCategory.get(category)) || this.all;
    const key = freq === this.all ? '' : (category as string);
    return Math.min(1, dot(this.vectorOf(a, key, freq), this.vectorOf(b, key, freq)));
  }

  private vectorOf(text: string, category: string, freq: Frequencies): Vector {
    const key = `${category}\u0000${text}`;
    let v = this.vectors.get(key);
    if (!v) this.vectors.set(key, (v = vector(features(this.prepare(text)), freq)));
    return v;
  }
}

function vector(counts: Features, freq: Frequencies): Vector {
  const terms: [number, number][] = [];
  let norm = 0;
  for (const [f, count] of counts) {
    const h = hash(f);
    const idf = Math.log((1 + freq.docs) / (1 + documentFrequency(freq, h))) + 1;
    const w = (1 + Math.log(count)) * idf * idf;
    terms.push([h, w]);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  terms.sort((x, y) => x[0] - y[0]);
  const keys: number[] = [];
  const weights: number[] = [];
  for (const [k, w] of terms) {
    if (keys.at(-1) === k) weights[weights.length - 1] += w / norm;
    else {
      keys.push(k);
      weights.push(w / norm);
    }
  }
  return { keys: Uint32Array.from(keys), weights: Float64Array.from(weights) };
}

function dot(a: Vector, b: Vector): number {
  let sum = 0;
  for (let i = 0, j = 0; i < a.keys.length && j < b.keys.length; ) {
    if (a.keys[i] < b.keys[j]) i++;
    else if (a.keys[i] > b.keys[j]) j++;
    else sum += a.weights[i++] * b.weights[j++];
  }
  return sum;
}

/** FNV-1a over UTF-16 code units. */
function hash(term: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
