// What each department is responsible for, as the words of its domain (拆迁, 征收, 物业 … for urban
// construction; 欠薪, 社保, 工伤 … for labour): intents/categories/lexicon/<locale>/<code>.json, written
// by hand from the departments' statutory responsibilities. The router takes every term found in a
// message as a feature of its own and every category's count of them as another, so a message in a
// register the training corpus never saw still carries its domain's vocabulary to the model.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Category code → its terms. */
export type LexiconTerms = Record<string, string[]>;

interface Entry {
  term: string;
  category: string;
  /** A term of letters (English) only matches whole words: "bus" is not in "business". */
  wordOnly: boolean;
}

const LETTER = /[\p{L}\p{N}]/u;
const LATIN = /^[\p{Script=Latin}\p{N}' -]+$/u;

export class Lexicon {
  private readonly byFirst = new Map<string, Entry[]>();

  constructor(readonly terms: LexiconTerms) {
    for (const [category, list] of Object.entries(terms)) {
      for (const raw of list) {
        const term = raw.normalize('NFKC').toLowerCase().trim();
        if (term.length < 2) continue;
        const entries = this.byFirst.get(term[0]) ?? this.byFirst.set(term[0], []).get(term[0]) ?? [];
        entries.push({ term, category, wordOnly: LATIN.test(term) });
      }
    }
    // Longest first, so that a message's 不动产登记 is seen before its 登记 from the same position.
    for (const entries of this.byFirst.values()) entries.sort((a, b) => b.term.length - a.term.length);
  }

  get size(): number {
    let n = 0;
    for (const entries of this.byFirst.values()) n += entries.length;
    return n;
  }

  /** Every term of the lexicon in `text` (NFKC, lower-cased), once per occurrence, with its category. */
  forEachMatch(text: string, visit: (term: string, category: string) => void): void {
    for (let i = 0; i < text.length; i++) {
      const entries = this.byFirst.get(text[i]);
      if (!entries) continue;
      for (const e of entries) {
        if (!text.startsWith(e.term, i)) continue;
        if (e.wordOnly && (LETTER.test(text[i - 1] ?? '') || LETTER.test(text[i + e.term.length] ?? ''))) continue;
        visit(e.term, e.category);
      }
    }
  }

  /** intents/categories/lexicon/<locale>/<code>.json for every locale there; empty when there is none. */
  static load(categoriesDir: string): Lexicon {
    const root = join(categoriesDir, 'lexicon');
    const terms: LexiconTerms = {};
    if (!existsSync(root)) return new Lexicon(terms);
    for (const locale of readdirSync(root).sort()) {
      for (const file of readdirSync(join(root, locale)).filter((f) => f.endsWith('.json')).sort()) {
        const data = JSON.parse(readFileSync(join(root, locale, file), 'utf8')) as { code?: unknown; terms?: unknown };
        if (typeof data.code !== 'string' || !Array.isArray(data.terms) || !data.terms.every((t) => typeof t === 'string')) {
          throw new Error(`${join(root, locale, file)}: expected {"code": string, "terms": string[]}`);
        }
        (terms[data.code] ??= []).push(...(data.terms as string[]));
      }
    }
    return new Lexicon(terms);
  }
}
