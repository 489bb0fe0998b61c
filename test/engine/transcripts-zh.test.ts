import { describe, expect, it } from 'vitest';
import { conversation } from '../helpers/transcript.js';

describe('zh-CN transcripts', () => {
  it('a long first message with most details: only what is missing is asked, then summary and filing', async () => {
    const c = await conversation('zh-CN');
    expect(c.greeting[0].text).toContain('您好');
    const first = await c.say(
      '你好,我叫张桂芳,电话13812345678。我住在杭州市西湖区文三路88号阳光小区,从今年三月开始,小区旁边的建筑工地每天晚上十一点以后还在施工,噪音特别大,我家孩子马上中考,根本睡不好。我已经打过12345投诉两次,也找过物业,都没有用。希望有关部门让工地晚上停工。',
    );
    const d = first.state.details;
    expect(d.contactName).toBe('张桂芳');
    expect(d.contactPhone).toBe('13812345678');
    expect(d.location).toContain('文三路');
    expect(d.priorAttempts).toMatch(/12345/);
    expect(d.desiredOutcome).toMatch(/停工/);
    // Nothing already said is asked for again.
    expect(['issue', 'location', 'contactName', 'contactPhone', 'priorAttempts', 'desiredOutcome']).not.toContain(first.asks);
    let turn = first;
    for (let i = 0; i < 4 && turn.asks !== 'confirm'; i++) turn = await c.say('不太清楚');
    expect(turn.asks).toBe('confirm');
    expect(turn.text).toContain('张桂芳');
    const filed = await c.say('对,没问题');
    expect(filed.replies[0].caseRef).toMatch(/^XF-/);
    expect(filed.text).toContain('15天');
    expect(c.filed()?.routing.category).toBe('environment');
    expect(new Set(c.asked).size).toBe(c.asked.length); // no question asked twice
  });

  it('several short messages, one open question at a time', async () => {
    const c = await conversation('zh-CN');
    const hi = await c.say('你好');
    expect(hi.asks).toBe('issue');
    const want = await c.say('我要投诉');
    expect(want.asks).toBe('issue');
    const story = await c.say('我们单位拖欠工资');
    expect(story.state.details.issue).toBe('我们单位拖欠工资');
    expect(story.replies).toHaveLength(1);
    const answers: Record<string, string> = {
      location: '在宁波市鄞州区',
      time: '上个月开始的',
      parties: '宁波恒信机械有限公司',
      desiredOutcome: '希望把工资发了',
      priorAttempts: '没有',
      contactName: '我姓刘',
      contactPhone: '我的手机是 139-0574-1234',
      listen: '就这些',
    };
    let turn = story;
    while (turn.asks && turn.asks !== 'confirm') turn = await c.say(answers[turn.asks] ?? '不知道');
    expect(turn.state.details).toMatchObject({ parties: '宁波恒信机械有限公司', contactPhone: '13905741234', priorAttempts: '没有' });
    expect(turn.state.details.contactName).toMatch(/刘/);
    const done = await c.say('是的');
    expect(done.state.phase).toBe('filed');
    expect(c.filed()?.routing.category).toBe('labour_social_security');
  });

  it('a correction at the summary is applied and read back', async () => {
    const c = await conversation('zh-CN');
    await c.say('我家楼上天天漏水,物业不管,我叫王明,电话13700001111,在南京市鼓楼区中山路12号,上周开始的,希望物业修好,找过物业三次');
    let turn = await c.say('楼上住户和物业公司');
    while (turn.asks && turn.asks !== 'confirm') turn = await c.say('不方便说');
    expect(turn.asks).toBe('confirm');
    const fixed = await c.say('地址不对,应该是南京市鼓楼区中山北路20号');
    expect(fixed.state.details.location).toBe('南京市鼓楼区中山北路20号');
    expect(fixed.text).toContain('中山北路20号');
    expect(fixed.asks).toBe('confirm');
    const no = await c.say('不对');
    expect(no.asks).toBe('choice');
    const pick = await c.say('contactPhone');
    expect(pick.asks).toBe('contactPhone');
    const back = await c.say('13700002222');
    expect(back.asks).toBe('confirm');
    expect(back.state.details.contactPhone).toBe('13700002222');
    await c.say('对');
    expect(c.filed()?.details.contactPhone).toBe('13700002222');
  });

  it('a declined phone number is respected and never asked again', async () => {
    const c = await conversation('zh-CN');
    let turn = await c.say('小区门口的垃圾站臭气熏天,夏天更严重,希望搬走,我叫陈先生');
    while (turn.asks && turn.asks !== 'contactPhone' && turn.asks !== 'confirm') turn = await c.say('不清楚');
    expect(turn.asks).toBe('contactPhone');
    const declined = await c.say('电话就不留了,不方便');
    expect(declined.text).toMatch(/没关系|不方便/);
    expect(declined.asks).toBe('confirm');
    expect(c.asked.filter((s) => s === 'contactPhone')).toHaveLength(1);
    await c.say('对');
    expect(c.filed()?.details.contactPhone).toBeUndefined();
  });

  it('a distressed petitioner is met with empathy before any question', async () => {
    const c = await conversation('zh-CN');
    const turn = await c.say('我真的走投无路了,儿子在医院被误诊,花了十几万,医院一直推卸责任,我每天都在哭');
    expect(turn.text).toMatch(/难受|着急|不容易|难过/);
    expect(turn.asks).toBeDefined();
    await c.say('在市第二人民医院');
    expect(turn.state.distress).toBeGreaterThan(0);
  });

  it('an emergency stops intake at once, gives emergency contacts and asks only how to reach them', async () => {
    const c = await conversation('zh-CN');
    await c.say('工地欠我工资');
    const turn = await c.say('再不给钱我就从楼上跳下去,不想活了');
    expect(turn.text).toContain('110');
    expect(turn.asks).toBe('contactPhone');
    expect(c.filed()?.urgency).toBe('emergency');
    const phone = await c.say('13912345678');
    expect(phone.effects).toContainEqual(expect.objectContaining({ type: 'complete_details' }));
    const place = await c.say('在工地门口');
    expect(place.replies.at(-1)?.caseRef).toMatch(/^XF-/);
    const after = await c.say('你们什么时候来人');
    expect(after.asks).toBeUndefined();
    expect(after.effects[0]).toMatchObject({ type: 'add_to_case' });
  });

  it('traditional Chinese is understood and answered in simplified Chinese', async () => {
    const c = await conversation('zh-CN');
    const turn = await c.say('您好,我們社區的路燈壞了兩個多月,晚上很危險,希望盡快修好。我叫林志明,電話0912345678不對,手機是13512345678');
    expect(turn.state.locale).toBe('zh-CN');
    expect(turn.state.details.contactPhone).toBe('13512345678');
    expect(turn.state.details.issue).toContain('路燈'); // stored as written
    expect(turn.text).not.toMatch(/[這們給還與]/); // the bot itself writes simplified
  });
});
