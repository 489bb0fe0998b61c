import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/nlu/language.js';

// Each case is checked with both fallbacks, so a detector that just returned the fallback fails.
describe('detectLanguage', () => {
  it('detects Chinese', () => {
    expect(detectLanguage('我的案件处理得怎么样了', 'en')).toBe('zh-CN');
    expect(detectLanguage('谢谢', 'en')).toBe('zh-CN');
  });

  it('treats traditional Chinese as zh-CN', () => {
    expect(detectLanguage('請問我的案件處理得怎麼樣了', 'en')).toBe('zh-CN');
  });

  it('detects English', () => {
    expect(detectLanguage('My landlord has not returned my deposit', 'zh-CN')).toBe('en');
    expect(detectLanguage('help', 'zh-CN')).toBe('en');
    expect(detectLanguage('Ｈｅｌｐ ｍｅ', 'zh-CN')).toBe('en');
  });

  it('weighs Chinese characters against English words in mixed text', () => {
    expect(detectLanguage('我的iPhone坏了', 'en')).toBe('zh-CN');
    expect(detectLanguage('我在Apple Store买的MacBook Pro屏幕坏了', 'en')).toBe('zh-CN');
    // Two Chinese characters weigh less than two English words.
    expect(detectLanguage('Please help 谢谢', 'zh-CN')).toBe('en');
    expect(detectLanguage('Please 谢谢', 'en')).toBe('zh-CN');
    expect(detectLanguage('ok 好的', 'en')).toBe('zh-CN');
  });

  it("keeps the conversation's language for a message in both, and switches only for one mostly in the other", () => {
    for (const mixed of ['asked the station staff 两次, they said 在等配件', 'refund 剩下的课时费, and find the owner', 'FitZone 健身 in Binjiang Times Square 3楼, 上周五 suddenly closed']) {
      expect(detectLanguage(mixed, 'zh-CN'), mixed).toBe('zh-CN');
      expect(detectLanguage(mixed, 'en'), mixed).toBe('en');
    }
    expect(detectLanguage('My landlord has kept my deposit for four months, 押金五千', 'zh-CN')).toBe('en');
    expect(detectLanguage('我们小区的物业乱收费，停车费一个月涨了两百, they charge too much', 'en')).toBe('zh-CN');
  });

  it('returns the fallback when there is nothing to go on', () => {
    for (const text of ['', '   ', '12345', '138-0013-8000', '😀👍', '!!!', 'ok', 'OK', 'hi', 'Ok thanks', 'x']) {
      expect(detectLanguage(text, 'en'), text).toBe('en');
      expect(detectLanguage(text, 'zh-CN'), text).toBe('zh-CN');
    }
  });

  it('ignores links and e-mail addresses', () => {
    for (const text of ['https://example.com/case/123', 'www.example.com', 'someone@example.com']) {
      expect(detectLanguage(text, 'en'), text).toBe('en');
      expect(detectLanguage(text, 'zh-CN'), text).toBe('zh-CN');
    }
    expect(detectLanguage('请看 https://example.com/some/long/english/path', 'en')).toBe('zh-CN');
  });

  it('defaults the fallback to zh-CN', () => {
    expect(detectLanguage('')).toBe('zh-CN');
  });
});
