import { describe, expect, it } from 'vitest';
import { estimateUrgency } from '../../src/nlu/urgency.js';
import { normalizeText } from '../../src/nlu/normalize.js';

const urgency = (text: string, locale: 'zh-CN' | 'en' = 'zh-CN') => estimateUrgency(normalizeText(text), locale);

describe('urgency', () => {
  it.each([
    ['他站在楼顶说要跳下去', 'emergency'],
    ['楼道里一股很浓的煤气味，墙上还有一道裂缝，越来越宽', 'high'],
    ['孩子下周开学了还上不了学，我们急死了！！！', 'high'],
    ['There is a strong smell of gas in the stairwell and the wall has a crack', 'high'],
    ['小区门口的路灯坏了两个月，晚上很黑', 'normal'],
    ['The bus stop sign was removed and I would like it back', 'normal'],
  ])('%s → %s', (text, expected) => {
    expect(urgency(text, /[a-z]/i.test(text) ? 'en' : 'zh-CN')).toBe(expected);
  });

  it('needs more than one sign of pressing harm unless the petitioner is very distressed', () => {
    expect(urgency('家里停水了')).toBe('normal');
    expect(urgency('家里停水三天了，老人孩子都没水喝，我真的撑不下去了，求求你们了！！！')).toBe('high');
  });
});
