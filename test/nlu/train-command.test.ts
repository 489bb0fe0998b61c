import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CategoryClassifier, loadCategoryCorpora } from '../../src/nlu/category-classifier.js';
import { chooseThreshold, report } from '../../src/nlu/evaluation.js';
import { readHistory } from '../../src/nlu/history.js';
import { INTENTS_DIR } from '../../src/nlu/nlu.js';
import { ROUTING_MODEL_FILE } from '../../src/nlu/routing-model.js';
import { DEFAULT_ROUTING } from '../../src/cases/routing-defaults.js';

const TAXONOMY = Object.keys(DEFAULT_ROUTING.categories);
const dir = mkdtempSync(join(tmpdir(), 'hub-train-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function train(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, MODEL_DIR: join(dir, 'unused') },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npm run train', () => {
  it('retrains on past cases, reports cross-validated numbers and writes a model the hub loads', () => {
    const modelDir = join(dir, 'models');
    const r = train('--cases', 'test/fixtures/history.csv', '--map', 'test/fixtures/history-mapping.json', '--model-dir', modelDir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/20 from test\/fixtures\/history\.csv \(2 rows skipped: 1 empty text, 1 duplicate text\)/);
    expect(r.out).toMatch(/accuracy \d+\.\d %, macro-F1 0\.\d{3}/);
    expect(r.out).toMatch(/Triage threshold 0\.\d{3}/);
    expect(r.out).toContain('| truth \\ predicted | commerce_tourism |');
    expect(existsSync(join(modelDir, ROUTING_MODEL_FILE))).toBe(true);

    const loaded = CategoryClassifier.create(loadCategoryCorpora(INTENTS_DIR), modelDir, null);
    expect(loaded.source).toBe('trained');
    expect(loaded.threshold).toBeGreaterThan(0);
    expect(loaded.classify('楼下饭店的油烟和噪音太大了').code).toBe('environment');
    // Training on the whole corpus with cross-validation, in a child process: seconds, not milliseconds.
  }, 120_000);

  it('refuses categories outside the taxonomy, naming them, and writes nothing', () => {
    const modelDir = join(dir, 'refused');
    const r = train('--cases', 'test/fixtures/history.csv', '--model-dir', modelDir);
    expect(r.code).toBe(2);
    expect(r.err).toContain('unknown categories: "城建" (5 rows)');
    expect(existsSync(join(modelDir, ROUTING_MODEL_FILE))).toBe(false);
  });

  it('asks for --cases', () => {
    const r = train();
    expect(r.code).toBe(2);
    expect(r.err).toContain('Usage: npm run train -- (--cases');
  });
});

describe('past case files', () => {
  it('reads JSON Lines with taxonomy codes', () => {
    const h = readHistory('test/fixtures/history.jsonl', TAXONOMY);
    expect(h.examples.map((e) => e.label)).toEqual(['urban_construction', 'urban_construction', 'environment', 'environment']);
  });

  it('says which line is broken', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"text":"a","category":"other"}\nnot json\n');
    expect(() => readHistory(bad, TAXONOMY)).toThrow('line 2: not JSON');
    const noHeader = join(dir, 'bad.csv');
    writeFileSync(noHeader, 'words,label\nx,other\n');
    expect(() => readHistory(noHeader, TAXONOMY)).toThrow('the header must name the columns "text" and "category"');
  });

  it('rejects a mapping to a category the taxonomy does not have', () => {
    expect(() => readHistory('test/fixtures/history.jsonl', TAXONOMY, { 城建: 'housing' })).toThrow('"城建" → "housing"');
  });
});

describe('evaluation', () => {
  const scored = [
    { truth: 'a', label: 'a', score: 0.9 },
    { truth: 'a', label: 'a', score: 0.8 },
    { truth: 'b', label: 'a', score: 0.6 },
    { truth: 'b', label: 'b', score: 0.5 },
  ];

  it('computes accuracy, per-category F1 and macro-F1 from a confusion matrix', () => {
    const r = report(scored);
    expect(r.accuracy).toBe(0.75);
    expect(r.confusion).toEqual([
      [2, 0],
      [1, 1],
    ]);
    // a: precision 2/3, recall 1 → 0.8; b: precision 1, recall 1/2 → 2/3.
    expect(r.perClass.map((c) => Number(c.f1.toFixed(4)))).toEqual([0.8, 0.6667]);
    expect(r.macroF1).toBeCloseTo((0.8 + 2 / 3) / 2, 10);
  });

  it('chooses the lowest threshold that keeps routed messages right often enough', () => {
    expect(chooseThreshold(scored, 0.9, 0.25)).toEqual({ threshold: 0.8, coverage: 0.5, accuracy: 1 });
    // Nothing reaches 100 % over half of the messages: route the most confident half anyway.
    expect(chooseThreshold(scored, 1, 0.75)).toEqual({ threshold: 0.6, coverage: 0.75, accuracy: 2 / 3 });
  });
});
