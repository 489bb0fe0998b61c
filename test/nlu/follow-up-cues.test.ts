import { describe, expect, it } from 'vitest';
import { isReviewRequest, parseCaseQuery, parseRating, parseSolved } from '../../src/nlu/follow-up-cues.js';
import { normalizeText } from '../../src/nlu/normalize.js';
import { detectLanguage } from '../../src/nlu/language.js';

const n = normalizeText;

describe('follow-up cues', () => {
  it.each([
    ['4', 4],
    ['5分', 5],
    ['给3分吧', 3],
    ['五星', 5],
    ['两星', 2],
    ['满分', 5],
    ['1 Very poor', 1],
    ['two', 2],
    ['4 stars', 4],
    ['４', 4],
  ])('reads the rating in %j', (text, rating) => {
    expect(parseRating(n(text))).toBe(rating);
  });

  it.each(['6', '0', '谢谢', '我打了12345这个电话', 'one more thing', '10分'])('finds no rating in %j', (text) => {
    expect(parseRating(n(text))).toBeNull();
  });

  it.each([
    ['解决了', true],
    ['已经解决了,谢谢你们', true],
    ['Yes, it is solved', true],
    ['没有解决', false],
    ['还没解决,厂里只发了一半', false],
    ['只解决了一部分', false],
    ['部分解决', false],
    ['问题依旧', false],
    ['not solved at all', false],
    ["It hasn't been fixed", false],
    ['解决了吗', null],
    ['谢谢', null],
  ] as [string, boolean | null][])('reads whether %j says the problem was solved', (text, solved) => {
    expect(parseSolved(n(text))).toBe(solved);
  });

  it.each([
    ['我要申请复查', true],
    ['请重新处理', true],
    ['I want a review of this decision', true],
    ['please reopen my case', true],
    ['谢谢你们', false],
    ['the street view is blocked', false],
  ] as [string, boolean][])('tells a review request in %j', (text, wanted) => {
    expect(isReviewRequest(n(text))).toBe(wanted);
  });

  it('finds the tracking number and the query code, with or without a cue word, in either language', () => {
    expect(parseCaseQuery(n('查询 XF-260302-ABCDE 验证码 7KQ2MX'), false)).toEqual({ trackingNumber: 'XF-260302-ABCDE', code: '7KQ2MX', asks: 'status' });
    expect(parseCaseQuery(n('查询XF-260302-ABCDE验证码7kq2mx'), false)).toEqual({ trackingNumber: 'XF-260302-ABCDE', code: '7KQ2MX', asks: 'status' });
    expect(parseCaseQuery(n('status of xf-260302-abcde code 7KQ2MX'), false)).toEqual({ trackingNumber: 'XF-260302-ABCDE', code: '7KQ2MX', asks: 'status' });
    expect(parseCaseQuery(n('XF-260302-ABCDE 7KQ2MX'), false)).toEqual({ trackingNumber: 'XF-260302-ABCDE', code: '7KQ2MX', asks: 'status' });
    expect(parseCaseQuery(n('查询码:ＡＢＣＤＥＦ,编号XF-260302-ABCDE'), false)).toEqual({ trackingNumber: 'XF-260302-ABCDE', code: 'ABCDEF', asks: 'status' });
  });

  it.each([
    ['我想查阅一下 XF-260302-ABCDE 里你们保存的我的个人信息，验证码 7KQ2MX', 'copy', '7KQ2MX'],
    ['你们保存了我哪些信息？XF-260302-ABCDE', 'copy', null],
    ['请删除案件 XF-260302-ABCDE 中我的个人信息 验证码 7KQ2MX', 'erase', '7KQ2MX'],
    ['please delete my personal data in XF-260302-ABCDE code 7KQ2MX', 'erase', '7KQ2MX'],
    ['I want a copy of my data for XF-260302-ABCDE, code 7KQ2MX', 'copy', '7KQ2MX'],
    ['查询 XF-260302-ABCDE 验证码 7KQ2MX', 'status', '7KQ2MX'],
  ])('tells a request about personal data from a status query: %j', (text, asks, code) => {
    expect(parseCaseQuery(n(text), false)).toEqual({ trackingNumber: 'XF-260302-ABCDE', code, asks });
  });

  it('takes a number without a code as a query only when the message is one', () => {
    expect(parseCaseQuery(n('查一下XF-260302-ABCDE'), false)).toEqual({ trackingNumber: 'XF-260302-ABCDE', code: null, asks: 'status' });
    expect(parseCaseQuery(n('status of XF-260302-ABCDE please'), false)).toEqual({ trackingNumber: 'XF-260302-ABCDE', code: null, asks: 'status' });
    // A story that quotes an earlier case is a story, not a query; a plain word is no code.
    expect(parseCaseQuery(n('上次反映的XF-260302-ABCDE还没处理,现在楼上又开始漏水了,把我家天花板都泡坏了'), false)).toBeNull();
    expect(parseCaseQuery(n('what is the status of XF-260302-ABCDE please'), false)?.code).toBeNull();
    expect(parseCaseQuery(n('我的问题解决了吗'), true)).toBeNull();
  });

  it('leaves tracking numbers and codes out of the language: their letters are not English', () => {
    for (const code of ['7KQ2MX', 'PQ2RSX', 'AB2CDE']) {
      expect(detectLanguage(`查询 XF-260302-PQRST 验证码 ${code}`, 'en')).toBe('zh-CN');
      expect(detectLanguage(`查一下 XF-260302-${code.slice(1)}`, 'en')).toBe('zh-CN');
    }
    expect(detectLanguage('status of XF-260302-PQRST code 7KQ2MX', 'zh-CN')).toBe('en');
    // The value of the "no suggestions" button keeps the conversation's language.
    expect(detectLanguage('none', 'zh-CN')).toBe('zh-CN');
  });
});
