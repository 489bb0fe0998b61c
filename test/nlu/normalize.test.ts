import { describe, expect, it } from 'vitest';
import { isTraditionalChinese, normalizeText } from '../../src/nlu/normalize.js';

describe('normalizeText', () => {
  it('turns full-width letters, digits and punctuation into ASCII', () => {
    expect(normalizeText('ＡＢＣ１２３！？')).toBe('ABC123!?');
    expect(normalizeText('我住在３号楼，电话１３８')).toBe('我住在3号楼,电话138');
  });

  it('converts traditional Chinese to simplified', () => {
    expect(normalizeText('請問我的案件處理得怎麼樣了')).toBe('请问我的案件处理得怎么样了');
    expect(normalizeText('我們社區的垃圾沒有人清運')).toBe('我们社区的垃圾没有人清运');
  });

  it('converts only the Chinese in mixed text', () => {
    expect(normalizeText('My iPhone 壞了')).toBe('My iPhone 坏了');
  });

  it('leaves simplified Chinese unchanged', () => {
    const text = '我家楼下的饭店油烟直接排到居民楼里,里面的头发、面包和干净的衣服都是油烟味。';
    expect(normalizeText(text)).toBe(text);
  });

  it('collapses whitespace runs, keeping one newline where there was a line break', () => {
    expect(normalizeText('  a \t\t b  ')).toBe('a b');
    expect(normalizeText('第一行  \r\n\r\n   第二行\r第三行')).toBe('第一行\n第二行\n第三行');
    // U+3000 ideographic space and U+00A0 no-break space
    expect(normalizeText('你好\u3000\u3000世界\u00a0!')).toBe('你好 世界 !');
  });

  it('strips zero-width and control characters but not newlines', () => {
    expect(normalizeText('he\u200bl\u200cl\u200do\ufeff')).toBe('hello');
    expect(normalizeText('投\u2060诉\u00ad')).toBe('投诉');
    expect(normalizeText('a\u0007b\u001bc\u0000d\ne')).toBe('abcd\ne');
  });

  it('returns an empty string for blank or invisible-only input', () => {
    expect(normalizeText('')).toBe('');
    expect(normalizeText(' \u200b\t\n ')).toBe('');
  });
});

describe('isTraditionalChinese', () => {
  it('is true for traditional text', () => {
    expect(isTraditionalChinese('請問我的案件處理得怎麼樣了')).toBe(true);
    expect(isTraditionalChinese('謝謝')).toBe(true);
  });

  it('is false for simplified, English and empty text', () => {
    expect(isTraditionalChinese('请问我的案件处理得怎么样了')).toBe(false);
    expect(isTraditionalChinese('Please help me')).toBe(false);
    expect(isTraditionalChinese('')).toBe(false);
  });

  it('is false when a single traditional form sits in a long simplified text', () => {
    expect(isTraditionalChinese('我们小区旁边的工厂每天晚上排放废气居民开窗就闻到臭味孩子经常咳嗽們')).toBe(false);
  });
});
