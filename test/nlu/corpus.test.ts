import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { LOCALES, type Locale } from '../../src/domain.js';
import { Nlu, INTENTS_DIR } from '../../src/nlu/nlu.js';
import { loadIntentCorpora } from '../../src/nlu/intent-classifier.js';
import { loadCategoryCorpora, loadLexicon } from '../../src/nlu/category-classifier.js';
import { TEST_MODEL_DIR } from '../helpers/hub.js';
import { report, type Scored } from '../../src/nlu/evaluation.js';
import { join } from 'node:path';

const intents = loadIntentCorpora(INTENTS_DIR);
const categories = loadCategoryCorpora(INTENTS_DIR);
const traditional = JSON.parse(readFileSync(`${INTENTS_DIR}/zh-TW-tests.json`, 'utf8')) as { tests: { intent: string; utterances: string[] }[] };
const THRESHOLD = 0.5;

let nlu: Nlu;
beforeAll(async () => {
  nlu = await Nlu.load({ intentThreshold: THRESHOLD, modelDir: TEST_MODEL_DIR });
});

// Floors measured on 2026-11-28 (zh 90% right / 1.4% confidently wrong; en 80% / 4.3%), kept a
// little below so that the suite fails on a real regression, not on noise.
const FLOOR: Record<Locale, { right: number; wrong: number }> = {
  'zh-CN': { right: 0.86, wrong: 0.03 },
  en: { right: 0.76, wrong: 0.06 },
};

describe('intent corpora', () => {
  it('keep held-out tests apart from training utterances', () => {
    for (const l of LOCALES) {
      const train = new Set(intents[l].data.flatMap((d) => d.utterances.map((u) => u.trim().toLowerCase())));
      for (const d of intents[l].data) {
        expect(d.utterances.length, `${l} ${d.intent}`).toBeGreaterThanOrEqual(20);
        expect(d.tests?.length ?? 0, `${l} ${d.intent}`).toBeGreaterThanOrEqual(8);
        for (const t of d.tests ?? []) expect(train.has(t.trim().toLowerCase()), `${l} test in training: ${t}`).toBe(false);
      }
    }
  });

  for (const l of LOCALES) {
    it(`${l}: held-out turns are understood, and below the threshold the hub abstains rather than guess`, async () => {
      let right = 0;
      let wrong = 0;
      let total = 0;
      const perIntent = new Map<string, number>();
      for (const d of intents[l].data) {
        for (const text of d.tests ?? []) {
          const u = await nlu.understand(text, l);
          if (d.intent === 'emergency') {
            // Safety does not rest on the classifier: every emergency turn must be caught.
            expect(u.emergency, `emergency missed: ${text}`).not.toBeNull();
            continue;
          }
          total++;
          if (!u.confident) continue;
          if (u.intent.name === d.intent) {
            right++;
            perIntent.set(d.intent, (perIntent.get(d.intent) ?? 0) + 1);
          } else wrong++;
        }
      }
      expect(right / total).toBeGreaterThanOrEqual(FLOOR[l].right);
      expect(wrong / total).toBeLessThanOrEqual(FLOOR[l].wrong);
      // No intent may be learnt so badly that most of its held-out turns are missed.
      for (const d of intents[l].data) {
        if (d.intent === 'emergency') continue;
        expect((perIntent.get(d.intent) ?? 0) / (d.tests?.length ?? 1), `${l} ${d.intent}`).toBeGreaterThanOrEqual(0.5);
      }
    });
  }

  it('understands traditional Chinese as simplified, and answers in zh-CN', async () => {
    let right = 0;
    let total = 0;
    for (const item of traditional.tests) {
      for (const text of item.utterances) {
        total++;
        const u = await nlu.understand(text, 'en');
        expect(u.language).toBe('zh-CN');
        if (item.intent === 'emergency') expect(u.emergency, text).not.toBeNull();
        else if (u.confident && u.intent.name === item.intent) right++;
      }
    }
    expect(right / total).toBeGreaterThanOrEqual(0.8);
  });
});

describe('category corpora', () => {
  it('keep held-out descriptions apart from training ones', () => {
    for (const l of LOCALES) {
      const train = new Set(categories[l].categories.flatMap((c) => c.train));
      for (const c of categories[l].categories) {
        expect(c.test.length).toBeGreaterThanOrEqual(10);
        for (const t of c.test) expect(train.has(t)).toBe(false);
      }
    }
  });

  // Floors from the first measurement (zh 90.6 %, en 79.5 % top-1); jieba words and the larger corpus
  // raised both (bench:nlu: 89.4 % over both languages), the floors stay as the guard.
  const ROUTE_FLOOR: Record<Locale, number> = { 'zh-CN': 0.87, en: 0.75 };
  for (const l of LOCALES) {
    it(`${l}: routes held-out descriptions to the right category`, () => {
      let right = 0;
      let total = 0;
      let confidentlyWrong = 0;
      for (const c of categories[l].categories) {
        for (const text of c.test) {
          total++;
          const guess = nlu.classifyCategory(text);
          if (guess.code === c.code) right++;
          else if (guess.score >= 0.7) confidentlyWrong++;
        }
      }
      expect(right / total).toBeGreaterThanOrEqual(ROUTE_FLOOR[l]);
      expect(confidentlyWrong / total).toBeLessThanOrEqual(0.05);
    });
  }
});

const EVAL_DIR = join(INTENTS_DIR, 'categories', 'eval');
const evalSet = (file: string) => JSON.parse(readFileSync(join(EVAL_DIR, file), 'utf8')) as { messages: { category: string; text: string }[] };

describe('messages never trained on (intents/categories/eval)', () => {
  // Floors a little below what bench:nlu measured on 2026-12-07 (long 0.96, board 0.98, hotline
  // 0.98 macro-F1; no triage), so that the suite fails on a real regression, not on noise. Issue 17
  // asks for ≥ 0.80 on citizens' messages with no more than 10 % to triage.
  const FLOORS: [string, number][] = [
    ['zh-CN-long.json', 0.9],
    ['en-long.json', 0.88],
    ['zh-CN-board.json', 0.9],
    ['zh-CN-hotline.json', 0.9],
  ];
  for (const [file, floor] of FLOORS) {
    it(`${file}: routed with macro-F1 of at least ${floor}, and no more than 10 % to triage`, () => {
      const scored: Scored[] = [];
      let triaged = 0;
      for (const m of evalSet(file).messages) {
        const guess = nlu.classifyCategory(m.text);
        scored.push({ truth: m.category, label: guess.code, score: guess.score });
        if (guess.score < (guess.threshold ?? 0)) triaged++;
      }
      expect(scored.length).toBeGreaterThanOrEqual(70);
      expect(report(scored).macroF1).toBeGreaterThanOrEqual(floor);
      expect(triaged / scored.length).toBeLessThanOrEqual(0.1);
    });
  }

  it('share no more than a quotation with the training corpus', () => {
    // Runs of 16 characters in common: a regulation both quote is fine, a tenth of a message is not
    // (it would have been, in part, trained on).
    const WINDOW = 16;
    const seen = new Set<string>();
    for (const l of LOCALES) {
      for (const c of categories[l].categories) {
        for (const t of c.train) {
          const flat = t.replace(/\s+/g, '');
          for (let i = 0; i + WINDOW <= flat.length; i += 4) seen.add(flat.slice(i, i + WINDOW));
        }
      }
    }
    for (const [file] of FLOORS) {
      for (const m of evalSet(file).messages) {
        const flat = m.text.replace(/\s+/g, '');
        let shared = 0;
        for (let i = 0; i + WINDOW <= flat.length; i++) if (seen.has(flat.slice(i, i + WINDOW))) shared++;
        expect(shared / Math.max(1, flat.length - WINDOW + 1), `${file}: ${m.text.slice(0, 40)}`).toBeLessThan(0.1);
      }
    }
  });
});

describe('department lexicon (intents/categories/lexicon)', () => {
  it('names only categories of the taxonomy, and no term for two of them', () => {
    const lexicon = loadLexicon(INTENTS_DIR);
    const codes = new Set(categories['zh-CN'].categories.map((c) => c.code));
    const owner = new Map<string, string>();
    for (const [code, terms] of Object.entries(lexicon.terms)) {
      expect(codes.has(code), code).toBe(true);
      expect(terms.length, code).toBeGreaterThanOrEqual(100);
      for (const term of terms) {
        const before = owner.get(term);
        expect(before === undefined || before === code, `${term}: ${before} and ${code}`).toBe(true);
        owner.set(term, code);
      }
    }
  });
});
