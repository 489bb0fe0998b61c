import { describe, expect, it, vi } from 'vitest';
import { CategoryClassifier, loadCategoryCorpora, loadLexicon } from '../../src/nlu/category-classifier.js';
import { assessFiling, ThreadRouting, type FilingTexts } from '../../src/nlu/filing-assessment.js';
import { INTENTS_DIR, Nlu } from '../../src/nlu/nlu.js';
import { TEST_MODEL_DIR } from '../helpers/hub.js';

const FILINGS: FilingTexts[] = [
  { routing: '我在宏达电子厂上班,老板已经拖欠我们三个月工资了\n希望尽快发工资', urgency: '老板拖欠工资三个月\n希望尽快发工资', locale: 'zh-CN' },
  { routing: 'There is a strong smell of gas in the stairwell of our building', urgency: 'There is a strong smell of gas in the stairwell and the wall has a crack', locale: 'en' },
  { routing: '小区门口的早市占道经营,救护车进不来', urgency: '救护车进不来', locale: 'zh-CN' },
];

describe('routing and rating a filing on an NLU thread', () => {
  it('gives what the hub thread gives, also after the routing model is reloaded', async () => {
    const categories = CategoryClassifier.create(loadCategoryCorpora(INTENTS_DIR), TEST_MODEL_DIR, loadLexicon(INTENTS_DIR));
    const nlu = await Nlu.load({ intentThreshold: 0.5, modelDir: TEST_MODEL_DIR, intentsDir: INTENTS_DIR, threads: 1 });
    try {
      for (const texts of FILINGS) expect(await nlu.assessFiling(texts)).toEqual(assessFiling(categories, texts));
      expect((await nlu.assessFiling(FILINGS[1])).urgency).toBe('high');
      await nlu.reloadRouting();
      for (const texts of FILINGS) expect(await nlu.assessFiling(texts)).toEqual(assessFiling(categories, texts));
    } finally {
      await nlu.close();
    }
  });

  it('reads the routing model again in the thread when the hub thread has reloaded it', () => {
    const create = vi.spyOn(CategoryClassifier, 'create');
    try {
      const routing = new ThreadRouting({ intentsDir: INTENTS_DIR, modelDir: TEST_MODEL_DIR });
      expect(create).toHaveBeenCalledTimes(1);
      expect(routing.assess(FILINGS[0], 0).generation).toBe(0);
      expect(create).toHaveBeenCalledTimes(1);
      expect(routing.assess(FILINGS[0], 1).generation).toBe(1);
      expect(routing.assess(FILINGS[2], 1).generation).toBe(1);
      expect(create).toHaveBeenCalledTimes(2);
    } finally {
      create.mockRestore();
    }
  });

  it("reads the hub thread's model file instead of the corpora when it is given one", () => {
    const categories = CategoryClassifier.create(loadCategoryCorpora(INTENTS_DIR), TEST_MODEL_DIR, loadLexicon(INTENTS_DIR));
    expect(categories.file).toMatch(/routing-builtin-[0-9a-f]{16}\.v8$/);
    const create = vi.spyOn(CategoryClassifier, 'create');
    try {
      const routing = new ThreadRouting({ intentsDir: INTENTS_DIR, modelDir: TEST_MODEL_DIR, routingFile: categories.file });
      for (const texts of FILINGS) expect(routing.assess(texts, 0, categories.file)).toEqual({ ...assessFiling(categories, texts), generation: 0 });
      expect(routing.assess(FILINGS[0], 1, categories.file).generation).toBe(1);
      expect(create).not.toHaveBeenCalled();
    } finally {
      create.mockRestore();
    }
  });
});
