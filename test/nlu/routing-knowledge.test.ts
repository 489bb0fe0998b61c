import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Lexicon } from '../../src/nlu/lexicon.js';
import { TextClassifier, type TrainingExample } from '../../src/nlu/text-classifier.js';
import { calibrationError, fitTemperature, temperAll, type Scored } from '../../src/nlu/evaluation.js';
import { termCounts } from '../../src/nlu/text-features.js';
import { seededRandom } from '../../src/util/random.js';

const matches = (lexicon: Lexicon, text: string) => {
  const out: string[] = [];
  lexicon.forEachMatch(text, (term, category) => out.push(`${category}:${term}`));
  return out;
};

describe('department lexicon', () => {
  const lexicon = new Lexicon({ urban: ['不动产登记', '登记', '物业'], transport: ['bus', 'bus lane'], labour: ['欠薪'] });

  it('finds every term in a message with its category, overlapping ones too', () => {
    expect(matches(lexicon, '去办不动产登记,物业不配合')).toEqual(['urban:不动产登记', 'urban:登记', 'urban:物业']);
    expect(matches(lexicon, '欠薪欠薪')).toEqual(['labour:欠薪', 'labour:欠薪']);
  });

  it('matches English terms only as whole words', () => {
    expect(matches(lexicon, 'the bus lane is blocked')).toEqual(['transport:bus lane', 'transport:bus']);
    expect(matches(lexicon, 'my business and the busy road')).toEqual([]);
  });

  it('loads lexicon/<locale>/<code>.json files and refuses a malformed one, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lexicon-'));
    mkdirSync(join(dir, 'lexicon', 'zh-CN'), { recursive: true });
    writeFileSync(join(dir, 'lexicon', 'zh-CN', 'labour.json'), JSON.stringify({ code: 'labour', terms: ['欠薪', '社保'] }));
    expect(Lexicon.load(dir).terms).toEqual({ labour: ['欠薪', '社保'] });
    expect(Lexicon.load(join(dir, 'none')).size).toBe(0);
    writeFileSync(join(dir, 'lexicon', 'zh-CN', 'bad.json'), JSON.stringify({ code: 'x', terms: 'not a list' }));
    expect(() => Lexicon.load(dir)).toThrow(/bad\.json/);
  });
});

// Two topics that share no words with the lexicon's terms in training: the lexicon's category feature
// must carry a held-out message whose only topical word is a lexicon term the training never used.
const TRAIN: TrainingExample[] = [
  ...['老板拖欠工资三个月', '工地包工头不发工资', '公司不给交社保', '被辞退没有补偿', '加班没有加班费', '工资一直拖着不发'].map((text) => ({ text, label: 'labour' })),
  ...['公交车总是晚点', '路口红绿灯坏了', '出租车绕路多收钱', '马路上坑太多', '公交站台被拆了', '乱停车堵住路口'].map((text) => ({ text, label: 'transport' })),
];
const LEXICON = new Lexicon({ labour: ['工资', '社保', '补偿', '工伤', '仲裁'], transport: ['公交', '红绿灯', '出租车', '驾校', '车管所'] });

describe('routing with the lexicon', () => {
  it('routes a message by a lexicon term the training examples never used', () => {
    const model = TextClassifier.train(TRAIN, { lexicon: LEXICON });
    expect(model.predict('申请劳动仲裁').label).toBe('labour');
    expect(model.predict('去车管所办事').label).toBe('transport');
  });

  it('keeps its lexicon and temperature through JSON, and still reads a model saved before either existed', () => {
    const model = TextClassifier.train(TRAIN, { lexicon: LEXICON }).withTemperature(0.5);
    const loaded = TextClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    expect(loaded.predict('申请劳动仲裁')).toEqual(model.predict('申请劳动仲裁'));
    expect(loaded.temperature).toBe(0.5);
    const { lexicon: _lexicon, temperature: _temperature, ...old } = TextClassifier.train(TRAIN).toJSON();
    const v1 = TextClassifier.fromJSON({ ...old, format: 'text-classifier/1' });
    expect(v1.predict('老板拖欠工资').label).toBe('labour');
    expect(() => TextClassifier.fromJSON({ ...model.toJSON(), temperature: 0 })).toThrow(/temperature/);
  });

  it('explains a routing by the words that pulled toward it, strongest first, without their fragments', () => {
    const model = TextClassifier.train(TRAIN, { lexicon: LEXICON });
    const why = model.explain('老板拖欠工资,我想申请仲裁', 'labour', 5);
    expect(why.length).toBeGreaterThan(0);
    const terms = why.map((e) => e.term);
    expect(terms.some((t) => t.includes('工资'))).toBe(true);
    expect(terms).toContain('[labour]');
    for (let i = 1; i < why.length; i++) expect(why[i - 1].weight).toBeGreaterThanOrEqual(why[i].weight);
    for (const t of terms) expect(terms.filter((u) => u !== t && u.includes(t))).toEqual([]);
    expect(model.explain('老板拖欠工资', 'nonexistent')).toEqual([]);
  });

  it('weighs the words that tell categories apart above the words every petition uses (naive-Bayes weighting)', () => {
    const framed = TRAIN.map((e) => ({ ...e, text: `情况说明:${e.text}` }));
    const plain = TextClassifier.train(framed, { discriminativeWeight: 0 }).toJSON();
    const weighted = TextClassifier.train(framed, { discriminativeWeight: 1 }).toJSON();
    expect(weighted.terms).toEqual(plain.terms);
    const ratio = (word: string) => {
      const ids = [...termCounts(word).keys()];
      const id = ids[ids.length - 1]; // the whole word (jieba's), after its character n-grams
      const at = plain.terms.indexOf(id);
      expect(at, word).toBeGreaterThanOrEqual(0);
      return weighted.idf[at] / plain.idf[at];
    };
    for (let i = 0; i < plain.idf.length; i++) expect(weighted.idf[i]).toBeGreaterThanOrEqual(plain.idf[i]);
    expect(ratio('工资')).toBeGreaterThan(ratio('情况') + 0.1);
  });

  it('scales confidence with the temperature and keeps the order of the labels', () => {
    const model = TextClassifier.train(TRAIN, { lexicon: LEXICON });
    const sharp = model.withTemperature(0.5).predict('公交车晚点');
    const soft = model.withTemperature(2).predict('公交车晚点');
    expect(sharp.label).toBe(soft.label);
    expect(sharp.score).toBeGreaterThan(soft.score);
  });
});

describe('calibration', () => {
  // Over-confident scores: the model says 0.95 where it is right 70 % of the time.
  const random = seededRandom(7);
  const scored: Scored[] = Array.from({ length: 400 }, () => {
    const right = random() < 0.7;
    const ranking = [
      { label: right ? 'a' : 'b', score: 0.95 },
      { label: right ? 'b' : 'a', score: 0.05 },
    ];
    return { truth: 'a', label: ranking[0].label, score: 0.95, ranking };
  });

  it('fits a temperature that brings confidence to accuracy', () => {
    const t = fitTemperature(scored);
    expect(t).toBeGreaterThan(1);
    const calibrated = temperAll(scored, t);
    expect(calibrationError(calibrated)).toBeLessThan(0.05);
    expect(calibrationError(scored)).toBeGreaterThan(0.2);
    expect(calibrated[0].score).toBeGreaterThan(0.6);
    expect(calibrated[0].score).toBeLessThan(0.8);
  });

  it('is 1 when there is nothing to calibrate on', () => {
    expect(fitTemperature([{ truth: 'a', label: 'a', score: 1 }])).toBe(1);
  });
});
