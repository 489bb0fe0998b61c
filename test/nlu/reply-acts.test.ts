import { describe, expect, it } from 'vitest';
import { replyActs } from '../../src/nlu/reply-acts.js';
import { normalizeText } from '../../src/nlu/normalize.js';

const acts = (text: string) => replyActs(normalizeText(text), text);

describe('what kind of reply a message is', () => {
  it('takes greetings and opening phrases alone as filler, with no story', () => {
    for (const text of ['在吗', 'hi 在吗', '喂 喺唔喺度', 'hello?', '您好，我想反映个问题']) {
      expect(acts(text), text).toMatchObject({ filler: true, story: null, content: null });
    }
  });

  it('leaves the greetings a message opens with out of the story, and keeps the account as written', () => {
    expect(acts('hello 你好, 我想投诉 a gym').story).toBe('我想投诉 a gym');
    expect(acts('领导您好！我们小区的路灯坏了两个月了').story).toBe('我们小区的路灯坏了两个月了');
    expect(acts('我們這棟樓的外牆，你好，一直掉磚').story).toBe('我們這棟樓的外牆，你好，一直掉磚');
    expect(acts('想 report 一下地铁站的问题').story).toBe('想 report 一下地铁站的问题');
    // Marks are not greetings: hostile markup the petitioner wrote is kept as written (and escaped later).
    expect(acts('<!channel> <@U0BOSS> 老板拖欠我们三个月工资').story).toBe('<!channel> <@U0BOSS> 老板拖欠我们三个月工资');
  });

  it('hears questions back by topic, in Cantonese too, and keeps them out of the story', () => {
    const photos = acts('我影咗相 可唔可以send俾你哋睇？');
    expect(photos.questions).toEqual(['photos']);
    expect(acts('要多久才有结果？').questions).toEqual(['duration']);
    expect(acts('can I stay anonymous?').questions).toEqual(['confidential']);
    const mixed = acts('楼下饭店油烟很大。你们能管吗？');
    expect(mixed.story).toBe('楼下饭店油烟很大。');
    expect(mixed.questions).toEqual(['department']);
  });

  it('tells blame on the office and a cancel from the account', () => {
    expect(acts('你们到底管不管？').officeComplaint).toBe(true);
    expect(acts('算了，不登记了').cancel).toBe(true);
    expect(acts('公交线路取消了，我们出行很不方便').cancel).toBe(false);
  });
});
