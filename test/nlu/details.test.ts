import { describe, expect, it } from 'vitest';
import type { Locale, Slot } from '../../src/domain.js';
import { answerForSlot, detectCorrection, detectDecline, extractDetails } from '../../src/nlu/details.js';

describe('extractDetails: a long first message (zh)', () => {
  const text =
    '你好，我叫张三，电话13812345678。我在杭州市西湖区文三路128号的华星科技有限公司工地干活，包工头老王从去年年底开始拖欠我们30多个工人的工资，一共两万三千元。我们已经打过12345，也去劳动局投诉过，但是一直没人管。希望你们尽快帮我们把工资要回来。';
  const d = extractDetails(text, 'zh-CN');

  it.each<[Slot, string]>([
    ['location', '杭州市西湖区文三路128号'],
    ['time', '从去年年底开始'],
    ['parties', '华星科技有限公司、包工头老王'],
    ['desiredOutcome', '希望你们尽快帮我们把工资要回来'],
    ['priorAttempts', '我们已经打过12345，也去劳动局投诉过，但是一直没人管'],
    ['contactName', '张三'],
    ['contactPhone', '13812345678'],
  ])('%s', (slot, value) => {
    expect(d[slot]).toBe(value);
  });

  it('never fills issue', () => {
    expect(d.issue).toBeUndefined();
  });
});

describe('extractDetails: a long first message (en)', () => {
  const text =
    'Hi, my name is John Smith and my number is 139 0000 1111. I rent a flat at 12 Baker Road in Springfield. Since March my landlord, Mr Chen, has refused to fix the broken heating. I already called the city housing bureau twice but nobody helped. I want the heating fixed and my rent reduced for those months.';
  const d = extractDetails(text, 'en');

  it.each<[Slot, string]>([
    ['location', '12 Baker Road in Springfield'],
    ['time', 'Since March'],
    ['parties', 'my landlord, Mr Chen'],
    ['desiredOutcome', 'I want the heating fixed and my rent reduced for those months'],
    ['priorAttempts', 'I already called the city housing bureau twice but nobody helped'],
    ['contactName', 'John Smith'],
    ['contactPhone', '13900001111'],
  ])('%s', (slot, value) => {
    expect(d[slot]).toBe(value);
  });

  it('never fills issue', () => {
    expect(d.issue).toBeUndefined();
  });
});

describe('extractDetails: single details and what must stay empty', () => {
  it.each<[string, Locale, Slot, string | undefined]>([
    ['房东不退押金5000块', 'zh-CN', 'parties', '房东'],
    ['包工头老王跑了', 'zh-CN', 'parties', '包工头老王'],
    ['My employer has not paid me for two months', 'en', 'parties', 'My employer'],
    ['我已经向劳动局投诉过华星公司', 'zh-CN', 'parties', '华星公司'],
    ['我已经向劳动局投诉过，没人理', 'zh-CN', 'parties', undefined],
    ['物业要求我们交钱', 'zh-CN', 'desiredOutcome', undefined],
    ['对他们已经不抱希望了', 'zh-CN', 'desiredOutcome', undefined],
    ['我们强烈要求赔偿损失！', 'zh-CN', 'desiredOutcome', '我们强烈要求赔偿损失'],
    ['请你们帮忙协调一下。', 'zh-CN', 'desiredOutcome', '请你们帮忙协调一下'],
    ['please make them return my deposit', 'en', 'desiredOutcome', 'please make them return my deposit'],
    ['已经三个月了', 'zh-CN', 'priorAttempts', undefined],
    ['他打了我一顿', 'zh-CN', 'priorAttempts', undefined],
    ['我报过警，警察说管不了', 'zh-CN', 'priorAttempts', '我报过警，警察说管不了'],
    // A licence plate or an order number is not the 12345 hotline or 110.
    ['老板的车牌号是浙A12345，我们都可以作证', 'zh-CN', 'priorAttempts', undefined],
    ['投诉电话是12345', 'zh-CN', 'priorAttempts', '投诉电话是12345'],
    ["I've complained to the school twice.", 'en', 'priorAttempts', "I've complained to the school twice"],
    ['希望下周五之前解决', 'zh-CN', 'time', undefined],
    ['上周五停的水，希望明天之前恢复', 'zh-CN', 'time', '上周五'],
    ['座机0571-87654321，手机13912345678', 'zh-CN', 'contactPhone', '13912345678'],
    ['座机0571-87654321', 'zh-CN', 'contactPhone', '0571-87654321'],
    ['订单号1381234567890123一直没发货', 'zh-CN', 'contactPhone', undefined],
    ['我是业主，小区停水了', 'zh-CN', 'contactName', undefined],
    ['我姓陈', 'zh-CN', 'contactName', '陈'],
    // 叫我 as "told me to" is not a name; said by the petitioner, it is.
    ['医生只会说这是正常恢复期，叫我再等等', 'zh-CN', 'contactName', undefined],
    ['你叫我老陈吧', 'zh-CN', 'contactName', '老陈'],
    ['John Smith cheated me', 'en', 'contactName', undefined],
    ['我们这里很吵', 'zh-CN', 'location', undefined],
    // Words that look like places and are not: a verb before an area word, "in the county", "a bit".
    ['今年划学区把我们整个锦屏新城划出去了', 'zh-CN', 'location', '锦屏新城'],
    ['我们村出去就一条路，县里修路从七月份封到现在', 'zh-CN', 'location', undefined],
    ['想 report 一下地铁站的问题', 'zh-CN', 'location', undefined],
    ['这是城北新区翠澜湾的工地', 'zh-CN', 'location', '城北新区翠澜湾'],
    ['一个是柳湾路上的路灯坏了一个多月了', 'zh-CN', 'location', '柳湾路'],
    ['3号线金鸡桥站 Jinji Bridge station, B出口的 elevator 坏了', 'zh-CN', 'location', '3号线金鸡桥站'],
    ['在安远县殡仪馆办的后事 殡仪馆的人说骨灰盒最便宜的都要六千八', 'zh-CN', 'parties', '殡仪馆'],
    ['去社保局查缴费年限，社保局说要原单位出证明', 'zh-CN', 'priorAttempts', '去社保局查缴费年限，社保局说要原单位出证明'],
    // An office gone to for something is where they tried, not where it happened.
    ['去社保局查缴费年限，没有记录', 'zh-CN', 'location', undefined],
  ])('%s → %s = %s', (text, locale, slot, value) => {
    expect(extractDetails(text, locale)[slot]).toBe(value);
  });

  it.each([[''], ['   '], ['你好'], ['hello']])('nothing from %j', (text) => {
    expect(extractDetails(text, /[a-z]/.test(text) ? 'en' : 'zh-CN')).toEqual({});
  });
});

describe('answerForSlot', () => {
  it.each<[Slot, string, Locale, string | null]>([
    ['contactPhone', '13800138000', 'zh-CN', '13800138000'],
    ['contactPhone', '我的手机是138 0013 8000', 'zh-CN', '13800138000'],
    ['contactPhone', '１３８００１３８０００', 'zh-CN', '13800138000'],
    ['contactPhone', '不想留', 'zh-CN', null],
    ['contactPhone', '等会儿再说', 'zh-CN', null],
    ['contactPhone', 'my number is +86 139-0000-1111', 'en', '13900001111'],
    ['contactName', '张三', 'zh-CN', '张三'],
    ['contactName', '我叫王小明', 'zh-CN', '王小明'],
    ['contactName', '陈先生', 'zh-CN', '陈先生'],
    ['contactName', '免贵姓陈', 'zh-CN', '陈'],
    ['contactName', '不想说', 'zh-CN', null],
    ['contactName', '为什么要名字', 'zh-CN', null],
    ['contactName', '13800138000', 'zh-CN', null],
    ['contactName', 'John Smith', 'en', 'John Smith'],
    ['contactName', "I'd rather not say", 'en', null],
    ['contactName', 'no thanks', 'en', null],
    ['priorAttempts', '没有', 'zh-CN', '没有'],
    ['priorAttempts', '还没有。', 'zh-CN', '没有'],
    ['priorAttempts', 'none', 'en', 'none'],
    ['priorAttempts', 'No.', 'en', 'none'],
    ['parties', '没有', 'zh-CN', '没有'],
    ['priorAttempts', '不知道', 'zh-CN', null],
    ['priorAttempts', '打过12345，没用', 'zh-CN', '打过12345，没用'],
    ['desiredOutcome', '没有', 'zh-CN', '没有'],
    ['location', '  朝阳区幸福小区  ', 'zh-CN', '朝阳区幸福小区'],
    ['location', '。。。', 'zh-CN', null],
    ['location', '', 'zh-CN', null],
    ['location', '保密', 'zh-CN', null],
    ['time', '不记得了', 'zh-CN', null],
    ['time', '不记得了，大概是去年三月', 'zh-CN', '不记得了，大概是去年三月'],
    ['time', 'last Friday', 'en', 'last Friday'],
    ['issue', ' 楼上漏水 ', 'zh-CN', '楼上漏水'],
  ])('%s ← %j (%s) → %j', (slot, text, locale, value) => {
    expect(answerForSlot(slot, text, locale)).toBe(value);
  });

  it('caps time answers at 200 and other answers at 500 characters', () => {
    const long = '很'.repeat(800);
    expect(answerForSlot('time', long, 'zh-CN')?.length).toBe(200);
    expect(answerForSlot('issue', long, 'zh-CN')?.length).toBe(500);
  });
});

describe('detectDecline', () => {
  it.each<[string, Locale, boolean]>([
    ['不方便', 'zh-CN', true],
    ['不想说', 'zh-CN', true],
    ['电话就不留了吧', 'zh-CN', true],
    ['不愿意透露', 'zh-CN', true],
    ['保密', 'zh-CN', true],
    ['算了不说了', 'zh-CN', true],
    ['跳过', 'zh-CN', true],
    ['不知道', 'zh-CN', true],
    ['记不清了', 'zh-CN', true],
    ['我不知道他们公司叫什么名字', 'zh-CN', true],
    ['没有', 'zh-CN', false],
    ['没', 'zh-CN', false],
    ['不知道，大概是去年三月', 'zh-CN', false],
    ['朝阳区幸福小区', 'zh-CN', false],
    ['我不知道怎么办，公司欠了我三个月的工资一直不给', 'zh-CN', false],
    ["I'd rather not", 'en', true],
    ['prefer not to say', 'en', true],
    ['skip', 'en', true],
    ['no comment', 'en', true],
    ["I don't want to give my number", 'en', true],
    ["I don't know", 'en', true],
    ["can't remember", 'en', true],
    ['no', 'en', false],
    ['none', 'en', false],
    ['not sure, maybe last March', 'en', false],
    ['12 Baker Road', 'en', false],
  ])('%j → %s', (text, locale, declined) => {
    expect(detectDecline(text, locale)).toBe(declined);
  });
});

describe('detectCorrection', () => {
  it.each<[string, Locale, { slot: Slot; value: string | null } | null]>([
    ['地址不对,应该是朝阳区幸福小区', 'zh-CN', { slot: 'location', value: '朝阳区幸福小区' }],
    ['地址不对，是朝阳区幸福小区3栋', 'zh-CN', { slot: 'location', value: '朝阳区幸福小区3栋' }],
    ['地点写错了', 'zh-CN', { slot: 'location', value: null }],
    ['电话是13900001111', 'zh-CN', { slot: 'contactPhone', value: '13900001111' }],
    ['手机号码不对', 'zh-CN', { slot: 'contactPhone', value: null }],
    ['13900001111', 'zh-CN', { slot: 'contactPhone', value: '13900001111' }],
    ['时间写错了', 'zh-CN', { slot: 'time', value: null }],
    ['时间不对，应该是去年三月', 'zh-CN', { slot: 'time', value: '去年三月' }],
    ['名字不是张三，是李四', 'zh-CN', { slot: 'contactName', value: '李四' }],
    ['对方公司名字错了，应该是华星科技有限公司', 'zh-CN', { slot: 'parties', value: '华星科技有限公司' }],
    ['诉求不对，我希望的是赔偿损失', 'zh-CN', { slot: 'desiredOutcome', value: '赔偿损失' }],
    ['事情经过不对', 'zh-CN', { slot: 'issue', value: null }],
    ['地址没问题，时间不对', 'zh-CN', { slot: 'time', value: null }],
    ['没问题', 'zh-CN', null],
    ['好的', 'zh-CN', null],
    ['the date is wrong', 'en', { slot: 'time', value: null }],
    ['The address should be 12 Baker Road', 'en', { slot: 'location', value: '12 Baker Road' }],
    ['my phone number is wrong, it is 13900001111', 'en', { slot: 'contactPhone', value: '13900001111' }],
    ['wrong name', 'en', { slot: 'contactName', value: null }],
    ['the company is wrong, it was Acme Ltd', 'en', { slot: 'parties', value: 'Acme Ltd' }],
    ['I want compensation, not an apology', 'en', { slot: 'desiredOutcome', value: 'I want compensation, not an apology' }],
    ['yes', 'en', null],
  ])('%j', (text, locale, expected) => {
    expect(detectCorrection(text, locale)).toEqual(expected);
  });
});

describe('raising a petition is not the outcome wanted', () => {
  it.each([
    ['我想反映一下我们小区的问题', 'zh-CN'],
    ['我要投诉楼下的饭店', 'zh-CN'],
    ['I want to complain about my landlord', 'en'],
    ['I would like to report a broken streetlight', 'en'],
  ] as const)('%j has no desiredOutcome', (text, locale) => {
    expect(extractDetails(text, locale).desiredOutcome).toBeUndefined();
  });

  it('still finds the outcome later in the same message', () => {
    expect(extractDetails('I want to complain about my landlord. I want my deposit back.', 'en').desiredOutcome).toMatch(/deposit back/);
  });
});
