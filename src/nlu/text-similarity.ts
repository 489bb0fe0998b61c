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

interface Frequencies {
  docs: number;
  df: Map<string, number>;
}

function frequencies(documents: readonly string[]): Frequencies {
  const df = new Map<string, number>();
  for (const doc of documents) for (const f of features(doc).keys()) df.set(f, (df.get(f) ?? 0) + 1);
  return { docs: documents.length, df };
}

export class PetitionSimilarity {
  private readonly byCategory: Map<string, Frequencies>;
  private readonly all: Frequencies;
  /** The last first argument's vector: a new petition is compared with many in a row. */
  private last: { text: string; freq: Frequencies; vector: Features } | undefined;

  /** @param corpora normalised example petitions per category code. */
  constructor(corpora: Record<string, readonly string[]>) {
    this.byCategory = new Map(Object.entries(corpora).map(([code, docs]) => [code, frequencies(docs)]));
    this.all = frequencies(Object.values(corpora).flat());
  }

  /** 0 (nothing specific in common) to 1. Texts must be normalised; `category` picks the idf. */
  similarity(a: string, b: string, category?: string): number {
    const freq = (category && this.byCategory.get(category)) || this.all;
    if (this.last?.text !== a || this.last.freq !== freq) this.last = { text: a, freq, vector: vector(features(a), freq) };
    const va = this.last.vector;
    const vb = vector(features(b), freq);
    let dot = 0;
    for (const [f, w] of va) dot += w * (vb.get(f) ?? 0);
    return Math.min(1, dot);
  }
}

function vector(counts: Features, { docs, df }: Frequencies): Features {
  const v: Features = new Map();
  let norm = 0;
  for (const [f, count] of counts) {
    const idf = Math.log((1 + docs) / (1 + (df.get(f) ?? 0))) + 1;
    const w = (1 + Math.log(count)) * idf * idf;
    v.set(f, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm) || 1;
  for (const [f, w] of v) v.set(f, w / norm);
  return v;
}
