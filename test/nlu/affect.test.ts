import { describe, expect, it } from 'vitest';
import type { EmergencyKind, Locale } from '../../src/domain.js';
import { assessAffect, detectEmergency } from '../../src/nlu/affect.js';

const loc = (text: string): Locale => (/[\u4e00-\u9fff]/.test(text) ? 'zh-CN' : 'en');

describe('assessAffect', () => {
  it.each<[string, boolean, boolean]>([
    ['急死了，怎么办啊', true, false],
    ['我真的没办法了', true, false],
    ['走投无路，求求你们帮帮我', true, false],
    ['我很绝望', true, false],
    ['太难了，孩子都哭了', true, false],
    ['我太委屈了', true, false],
    ['实在受不了了', true, false],
    ['气死我了', false, true],
    ['我非常愤怒', false, true],
    ['太过分了，这是欺负人', false, true],
    ['凭什么不给钱？？？', false, true],
    ['忍无可忍', false, true],
    ['工资到底什么时候发！！！', false, true],
    ['I am desperate', true, false],
    ["I can't take it anymore", true, false],
    ['I was crying all night, totally exhausted', true, false],
    ['I am furious', false, true],
    ['This is outrageous and unacceptable', false, true],
    ["I'm fed up with this", false, true],
    ['WHY HAS NOBODY FIXED THIS YET', false, true],
    ['Fix it now!!!', false, true],
    ['我不着急，慢慢来', false, false],
    ['别着急', false, false],
    ['我没有生气，只是想问问', false, false],
    ['I am not angry, just asking', false, false],
    ['I am not desperate', false, false],
    ['你好，我想咨询一下社保的问题', false, false],
    ['My ID and HR number are attached', false, false],
    ['thanks', false, false],
  ])('%j → distressed %s, angry %s', (text, distressed, angry) => {
    const a = assessAffect(text, loc(text));
    expect(a.distressed).toBe(distressed);
    expect(a.angry).toBe(angry);
    if (distressed || angry) expect(a.score).toBeGreaterThan(0);
    else expect(a.score).toBeLessThan(0.5);
  });

  it('scores stronger messages higher, within 0..1', () => {
    const mild = assessAffect('有点着急', 'zh-CN').score;
    const strong = assessAffect('急死了！！！走投无路，求求你们，我真的绝望了', 'zh-CN').score;
    expect(mild).toBeGreaterThan(0);
    expect(strong).toBeGreaterThan(mild);
    expect(strong).toBeLessThanOrEqual(1);
    expect(assessAffect('好的', 'zh-CN').score).toBe(0);
  });
});

describe('detectEmergency', () => {
  it.each<[string, EmergencyKind]>([
    ['我不想活了', 'self_harm'],
    ['再不给钱我就跳楼', 'self_harm'],
    ['活不下去了', 'self_harm'],
    ['我想死', 'self_harm'],
    ['准备喝农药了', 'self_harm'],
    ['我想自杀', 'self_harm'],
    ['大不了一死了之，了结自己', 'self_harm'],
    ['他们逼我跳河', 'self_harm'],
    ['I am going to kill myself', 'self_harm'],
    ['I just want to end my life', 'self_harm'],
    ["I don't want to live anymore", 'self_harm'],
    ['I might hurt myself', 'self_harm'],
    ['有时候半夜站在阳台上就想，我要是跳下去了，是不是就不用再去求人借钱了', 'self_harm'],
    ['真想一了百了', 'self_harm'],
    ['我死了就解脱了，也不想再拖累孩子', 'self_harm'],
    ['我想过去死', 'self_harm'],
    ['sometimes I think my family would be better off without me', 'self_harm'],
    ["I can't go on like this", 'self_harm'],
    ['老孙爬到了十七层高的塔吊顶上，说今天再不给工钱他就跳下去', 'self_harm'],
    ['十几个人把我和我弟按在地上不让动', 'violence'],
    ['我爸刚才在家突发脑溢血，收费处说必须先交押金才能手术', 'danger'],
    ['桥中间的桥面刚才塌下去一块', 'danger'],
    ['there is a chemical fire at the paint factory', 'danger'],
    ['Please send police now', 'danger'],
    ['我要杀了他', 'violence'],
    ['他拿刀在门口', 'violence'],
    ['他正在打我', 'violence'],
    ['他们今天找了几个人堵在我家门口，说要打死我', 'violence'],
    ['包工头放话要弄死我们', 'violence'],
    ['那人喊着要砍我', 'violence'],
    ['老公家暴', 'violence'],
    ['逼急了我就报复社会', 'violence'],
    ['我要去砍人', 'violence'],
    ["I'm going to kill him", 'violence'],
    ['he has a knife', 'violence'],
    ['my husband is beating me', 'violence'],
    ['this is domestic violence', 'violence'],
    ['我们组织了两百多人明天去堵政府大门', 'mass_gathering'],
    ['准备集体上访', 'mass_gathering'],
    ['村民要拉横幅堵路', 'mass_gathering'],
    ['明天上百人去市政府静坐', 'mass_gathering'],
    ['hundreds of us will block the road tomorrow', 'mass_gathering'],
    ['we will march on city hall', 'mass_gathering'],
    ['我们两百多户业主准备下周一起去售楼处讨说法', 'mass_gathering'],
    ['我要炸了他们公司', 'violence'],
  ])('%j → %s', (text, kind) => {
    const e = detectEmergency(text, loc(text));
    expect(e?.kind).toBe(kind);
    expect(e && text.includes(e.cue)).toBe(true);
  });

  it.each([
    ['杀价杀得太狠了'],
    ['砍价砍了半天'],
    ['笑死我了'],
    ['打死我也不会签这个字'],
    ['就是要打死我也不搬'],
    ['今天累死了'],
    ['热死了'],
    ['饿死了'],
    ['气死我了！！！'],
    ['这是个死胡同'],
    ['跳楼价甩卖'],
    ['你打我电话吧'],
    ['急死了，怎么办'],
    ['just killing time'],
    ['this traffic is killing me'],
    ['my phone has a dead battery'],
    ['she beat me to it'],
    ['我想咨询一下工资的问题'],
    ['我肺都要气炸了'],
    ['我要炸了'],
    ['我们三户人家去物业讨说法'],
    ['你去死吧'],
    ['孩子从台阶上跳下来摔伤了'],
    ['站在阳台上就能看到对面的工地'],
    ['我想过去找他们理论'],
    ['活着的人也要讲道理'],
  ])('no emergency in %j', (text) => {
    expect(detectEmergency(text, loc(text))).toBeNull();
  });
});
