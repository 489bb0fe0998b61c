import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Container } from '@nlpjs/core';
import { writeFileAtomic } from '../util/atomic-file.js';
import { ThreadCalls } from '../util/thread-rpc.js';
import { buildChineseDictionary } from './cedict.js';

/**
 * nlp.js's Chinese stemmer (stemmer-zh) segments a text by longest match in CC-CEDICT and turns each
 * word into its pinyin. To do that it compiles the whole dictionary, every definition of 120,000
 * entries as objects: about 100 MB of heap in each thread that understands Chinese, kept for
 * good. What the stemmer makes of a word depends on the word alone, so this keeps only that, one
 * string per dictionary word (about 15 MB), worked out once by nlp.js's own code and cached in
 * MODEL_DIR. test/nlu/zh-stems.test.ts checks that both stem alike.
 */

const require = createRequire(import.meta.url);
/** The table is nlp.js's work: a new version of @nlpjs/lang-zh may stem otherwise, so it is part of the file's name. */
const LANG_ZH_VERSION = (require('@nlpjs/lang-zh/package.json') as { version: string }).version;
const FORMAT = 'zh-stems/1';
// By its path: in an NLU thread, tsx gives this module's URL a query (?tsx-namespace=…).
const WORKER = new URL(`./zh-stems-worker${new URL(import.meta.url).pathname.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/** The file: dictionary words, and for each the index of its stem in `stems` (-1: the stemmer drops the word, a particle). */
export interface ZhStemFile {
  format: typeof FORMAT;
  words: string[];
  stemOf: number[];
  stems: string[];
}

/** A word's stem; null for a word the stemmer drops. Words not in the dictionary are absent. */
export type ZhStems = ReadonlyMap<string, string | null>;

/** What nlp.js's StemmerZh offers subclasses (@nlpjs/lang-zh/src/stemmer-zh.js). */
interface NlpStemmerZh {
  name: string;
  translate: { isChineseChar(text: string): boolean };
  translateToEnglish(token: string): string | undefined;
  getSegments(text: string): string[];
  stem(text: string): Promise<string[]>;
}
type NlpStemmerZhClass = new (container?: Container) => NlpStemmerZh;

const StemmerZh = require('@nlpjs/lang-zh/src/stemmer-zh.js') as NlpStemmerZhClass;
/** nlp.js compares at most this many characters when it looks for the longest word (dictionary.js getLongestMatch). */
const LONGEST_WORD = 8;

/**
 * StemmerZh with the dictionary lookups answered from the table; the rest (clearing, joining,
 * lower-casing) is nlp.js's own code, inherited. Registered under the same name after LangZh.
 */
export class CompactStemmerZh extends StemmerZh {
  constructor(
    container: Container | undefined,
    private readonly stems: ZhStems,
  ) {
    super(container);
  }

  /** As nlp.js: a word not in the dictionary stays as it is; a particle is dropped; others become pinyin. */
  override translateToEnglish(token: string): string | undefined {
    const stem = this.stems.get(token);
    return stem === undefined ? token : (stem ?? undefined);
  }

  /** nlp.js's getSegments, over dictionary.segment (longest match first, else one character). */
  override getSegments(text: string): string[] {
    const result: string[] = [];
    let chars = '';
    let rest = text;
    while (rest) {
      const segment = this.longestMatch(rest) || rest.slice(0, 1);
      rest = rest.slice(segment.length);
      if (this.translate.isChineseChar(segment)) {
        if (chars) result.push(chars);
        chars = '';
        result.push(segment);
      } else {
        chars += segment;
      }
    }
    if (chars) result.push(chars);
    return result;
  }

  private longestMatch(text: string): string | undefined {
    for (let i = Math.min(LONGEST_WORD, text.length); i > 0; i--) {
      const slice = text.slice(0, i);
      if (this.stems.has(slice)) return slice;
    }
    return undefined;
  }
}

/**
 * The table, made with nlp.js's dictionary and stemmer in this thread: call it where the dictionary
 * may be thrown away afterwards (zh-stems-worker.ts), since nlp.js keeps it in a module of its own.
 */
export function buildZhStemFile(): ZhStemFile {
  buildChineseDictionary();
  const dictionary = require('@nlpjs/lang-zh/src/dictionary.js') as { simplified: Record<string, unknown>; traditional: Record<string, unknown> };
  const stemmer = new StemmerZh();
  const words = [...new Set([...Object.keys(dictionary.simplified), ...Object.keys(dictionary.traditional)])];
  const ids = new Map<string, number>();
  const stems: string[] = [];
  const stemOf = words.map((word) => {
    const stem = stemmer.translateToEnglish(word);
    if (stem === undefined) return -1;
    let id = ids.get(stem);
    if (id === undefined) ids.set(stem, (id = stems.push(stem) - 1));
    return id;
  });
  return { format: FORMAT, words, stemOf, stems };
}

export function zhStemsFromFile(file: ZhStemFile): ZhStems {
  if (file.format !== FORMAT || file.words.length !== file.stemOf.length) throw new Error('not a zh-stems/1 table');
  const table = new Map<string, string | null>();
  file.words.forEach((word, i) => table.set(word, file.stemOf[i] < 0 ? null : file.stems[file.stemOf[i]]));
  return table;
}

/** Made in a thread of its own, which takes nlp.js's 100 MB dictionary with it when it ends. */
async function buildInThread(): Promise<ZhStemFile> {
  const thread = new ThreadCalls<null, ZhStemFile>(WORKER, null, () => undefined);
  try {
    await thread.started;
    return await thread.call(null);
  } finally {
    await thread.stop();
  }
}

let loading: Promise<ZhStems> | undefined;

/**
 * This thread's table: read from MODEL_DIR, or made (about 3 s) and saved there. One per thread,
 * shared by every nlp.js container in it.
 */
export function loadZhStems(modelDir?: string): Promise<ZhStems> {
  return (loading ??= (async () => {
    const path = modelDir ? join(modelDir, `zh-stems-${LANG_ZH_VERSION}.json`) : null;
    if (path && existsSync(path)) return zhStemsFromFile(JSON.parse(readFileSync(path, 'utf8')) as ZhStemFile);
    const file = await buildInThread();
    if (path && modelDir) {
      mkdirSync(modelDir, { recursive: true });
      writeFileAtomic(path, JSON.stringify(file));
    }
    return zhStemsFromFile(file);
  })().catch((err: unknown) => {
    loading = undefined;
    throw err;
  }));
}
