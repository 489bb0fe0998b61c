import { createRequire } from 'node:module';

/** The CC-CEDICT dictionary object @nlpjs/lang-zh's stemmer shares (a module singleton). */
interface CedictDictionary {
  cedict?: string;
  start(): void;
}

const require = createRequire(import.meta.url);
let built = false;

/**
 * Builds nlp.js's Chinese dictionary if it is not built yet: only to make the stem table from it,
 * in a thread of its own (zh-stems.ts); the hub's stemmer never needs it. nlp.js announces the build
 * with console.log, a line outside the hub's JSON log stream that would break whoever parses it;
 * building it here, with that announcement swallowed, leaves nothing for nlp.js to print. Cheap
 * after the first call.
 */
export function buildChineseDictionary(): void {
  if (built) return;
  const dictionary = require('@nlpjs/lang-zh/src/dictionary.js') as CedictDictionary;
  if (!dictionary.cedict) {
    const log = console.log;
    console.log = () => {};
    try {
      dictionary.start();
    } finally {
      console.log = log;
    }
  }
  built = true;
}
