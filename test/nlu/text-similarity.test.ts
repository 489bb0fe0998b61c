import { describe, expect, it } from 'vitest';
import { INTENTS_DIR } from '../../src/nlu/nlu.js';
import { loadCategoryCorpora } from '../../src/nlu/category-classifier.js';
import { normalizeText } from '../../src/nlu/normalize.js';
import { PetitionSimilarity, SAME_MATTER } from '../../src/nlu/text-similarity.js';
import { samePlace } from '../../src/cases/case-groups.js';

function model(): PetitionSimilarity {
  const byCategory: Record<string, string[]> = {};
  for (const corpus of Object.values(loadCategoryCorpora(INTENTS_DIR))) {
    for (const c of corpus.categories) (byCategory[c.code] ??= []).push(...c.train.map(normalizeText));
  }
  return new PetitionSimilarity(byCategory);
}

const similarity = model();
const score = (a: string, b: string, category: string) => similarity.similarity(normalizeText(a), normalizeText(b), category);

const WAGES = '我在宏达电子厂上班,老板已经拖欠我们三个月工资了,一共两万三千元。';
const PARKING = '小区物业乱收停车费,每个月涨了两百块';
const BUS = 'The bus route 12 was cancelled without notice';

// The threshold is chosen on these: the same matter retold (what a repeat or a collective petition
// looks like) is above it, a different matter of the same category below.
describe('petition similarity', () => {
  it.each([
    ['labour_social_security', WAGES, '宏达电子厂拖欠我三个月工资,两万多块钱一直不给'],
    ['labour_social_security', WAGES, '宏达电子厂老板欠薪三个月'],
    ['labour_social_security', WAGES, '我在宏达电子厂打工,老板拖欠了三个月的工资,两万三千块'],
    ['labour_social_security', 'My employer at the Hongda electronics factory has not paid my wages for three months.', 'Hongda factory owes me three months of wages'],
    ['transport', BUS, 'Route 12 bus has been cancelled, nobody told us'],
    ['environment', '宏达化工厂每天晚上排放刺鼻的臭气', '宏达化工厂晚上排放臭气,刺鼻难闻'],
    ['urban_construction', PARKING, '小区物业乱收停车费,涨了两百块'],
  ])('takes two tellings of one matter as the same (%s)', (category, a, b) => {
    expect(score(a, b, category)).toBeGreaterThanOrEqual(SAME_MATTER);
  });

  it.each([
    ['labour_social_security', WAGES, '我们公司不给交社保,已经半年了'],
    ['labour_social_security', WAGES, '建筑工地包工头拖欠农民工工资'],
    ['labour_social_security', 'My employer at the Hongda electronics factory has not paid my wages for three months.', 'My boss at the restaurant did not pay overtime'],
    ['urban_construction', PARKING, '小区物业不修电梯,电梯坏了一个月'],
    ['environment', '化工厂每天晚上排放刺鼻的臭气', '工地晚上施工噪音太大'],
    ['transport', BUS, 'The bus drivers on route 5 are rude'],
  ])('keeps different matters of one category apart (%s)', (category, a, b) => {
    expect(score(a, b, category)).toBeLessThan(SAME_MATTER);
  });

  it('gives the same scores after thousands of other petitions have passed through its cache', () => {
    const fresh = model();
    const first = fresh.similarity(normalizeText(WAGES), normalizeText(PARKING), 'other');
    for (let i = 0; i < 5000; i++) fresh.similarity(`第${i}号公交车停运了`, `第${i + 1}路公交车改线`, 'transport');
    expect(fresh.similarity(normalizeText(WAGES), normalizeText(PARKING), 'other')).toBe(first);
    expect(fresh.similarity(normalizeText(WAGES), normalizeText(WAGES), 'labour_social_security')).toBeCloseTo(1, 10);
  });

  it('is symmetric and 1 for the same text', () => {
    expect(score(WAGES, PARKING, 'other')).toBeCloseTo(score(PARKING, WAGES, 'other'), 10);
    expect(score(WAGES, WAGES, 'labour_social_security')).toBeCloseTo(1, 10);
  });
});

describe('same place', () => {
  it.each([
    ['成都市武侯区锦绣花园', '成都市武侯区锦绣花园', true],
    ['锦绣花园小区', '成都市武侯区锦绣花园小区', true],
    ['Fuyong, Bao an district', 'fuyong bao an district', true],
    ['朝阳区', '北京市朝阳区幸福小区', false],
    ['深圳市宝安区福永街道', '深圳市南山区', false],
    [undefined, '朝阳区', false],
  ] as [string | undefined, string, boolean][])('%j and %j: %s', (a, b, same) => {
    expect(samePlace(a, b)).toBe(same);
  });
});
