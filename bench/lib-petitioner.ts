/**
 * A scripted petitioner for the web chat benchmark: tells a problem in one long first message, then
 * answers whatever the bot asks (by `expects.slot` / `expects.type`), confirms the summary, and after
 * the case is filed keeps the conversation going with additions, status questions and, now and then,
 * a new matter. Text is picked from pools with a seeded generator, so runs are varied but repeatable.
 */

export type Locale = 'zh-CN' | 'en';

export interface Expects {
  type: string;
  slot?: string;
  options?: { value: string; label: string }[];
}

export interface BotMessage {
  id: string;
  role: string;
  text: string;
  expects?: Expects;
  caseRef?: string;
}

/** What kind of message the petitioner sent, for the per-kind latency breakdown. */
export const KINDS = ['story', 'detail', 'confirm', 'followUp', 'other'] as const;
export type Kind = (typeof KINDS)[number];
export const KIND = { story: 0, detail: 1, confirm: 2, followUp: 3, other: 4 } as const satisfies Record<Kind, number>;

import { seededRandom as rng } from '../src/util/random.js';

export { rng };

interface Story {
  opening: string[];
  problems: string[];
  impact: string[];
  plea: string[];
}

const STORY: Record<Locale, Story> = {
  'zh-CN': {
    opening: ['您好,', '你好,我想反映一个情况。', '麻烦你们帮帮忙,', '我是附近小区的居民,', '打扰了,'],
    problems: [
      '我家楼下的工地每天晚上施工到凌晨一两点,电钻和搅拌机的声音特别大,已经持续快一个月了,',
      '我在一家装修公司干了五个月,老板一直拖欠工资,一共一万两千多块,每次去要都说下个月再给,',
      '我们小区的物业费今年突然涨了一倍,也没有开业主大会,电梯经常坏,垃圾也好几天没人清,',
      '我们村口那条路去年修过以后又塌了好几个大坑,下雨天电动车根本过不去,上周还有老人摔倒了,',
      '我们这栋楼已经停水三天了,自来水公司说是管道检修,但是一直没有通知什么时候恢复,',
      '附近的化工厂晚上偷偷排放废气,味道很刺鼻,孩子晚上咳嗽,窗户都不敢开,',
      '我孩子的学校要求家长每学期交两千元的“资料费”,没有收据,也不说用在哪里,',
      '我租的房子合同到期了,房东一直不退押金,六千块,找各种理由拖着,电话也不接,',
      '医院给我父亲看病的时候多收了好几项检查费,清单上的项目根本没做过,',
      '小区门口的早市占道经营,早上救护车和消防车都进不来,居民出门也很困难,',
    ],
    impact: [
      '家里老人和孩子晚上根本睡不着,',
      '我们一家人的生活受到了很大影响,',
      '我现在连房租都快交不起了,',
      '邻居们意见都很大,',
      '大家都很着急,',
    ],
    plea: [
      '希望有关部门能尽快管一管。',
      '请帮我们解决一下,谢谢。',
      '我不知道该找谁,只好来这里反映。',
      '希望能给个说法。',
      '麻烦你们尽快处理。',
    ],
  },
  en: {
    opening: ['Hello, ', 'Hi, I need to report a problem. ', 'Good evening. ', "I'm a resident nearby and ", 'Sorry to bother you, but '],
    problems: [
      'the construction site next to my building runs jackhammers and concrete mixers until 2am every night, and it has been going on for almost a month. ',
      'I worked five months for a renovation company and the owner still owes me more than 12,000 yuan in wages; every time I ask he says next month. ',
      'our property management company doubled the service fee this year without any owners meeting, the lifts break down all the time and rubbish is left for days. ',
      'the road at the entrance of our village was repaired last year but it has caved in again with several big potholes; last week an elderly man fell off his scooter. ',
      'our building has had no running water for three days; the water company says the pipes are being repaired but nobody tells us when it will be back. ',
      'a chemical plant nearby releases fumes at night, the smell is very strong, my children cough all night and we cannot open the windows. ',
      "my son's school makes parents pay a 2,000 yuan 'materials fee' every term with no receipt and no explanation of what it is for. ",
      "my lease ended two months ago and the landlord still refuses to return my 6,000 yuan deposit; he keeps finding excuses and doesn't answer the phone. ",
      "the hospital charged my father for several tests that were never done; the items on the bill don't match what happened. ",
      'a street market blocks the road at the gate of our estate every morning, so ambulances and fire engines cannot get in. ',
    ],
    impact: [
      'My elderly parents and my kids cannot sleep. ',
      'It is affecting the whole family. ',
      'I can barely pay my rent now. ',
      'All the neighbours are upset about it. ',
      'Everyone here is really worried. ',
    ],
    plea: [
      'Please can someone deal with this.',
      "I don't know who else to ask, so I'm writing here.",
      'I hope the authorities can step in soon.',
      'I would like a proper answer.',
      'Please help us sort this out, thank you.',
    ],
  },
};

const DETAILS: Record<Locale, Record<string, string[]>> = {
  'zh-CN': {
    location: ['海淀区中关村大街12号', '朝阳区阳光花园小区3号楼', '滨江公园东门公交站旁边', '建设路88号502室', '中山路和北京路交叉口', '城南镇李家村村口'],
    time: ['从上个月开始的', '最近两个星期每天晚上都这样', '5月3日上午九点左右', '大概三个月前开始的', '上周五下午', '去年年底到现在'],
    parties: ['小区的物业公司,绿城物业', '建商场的那家建筑公司', '我的老板,恒达装饰公司', '房东王先生', '区自来水公司', '学校的财务处'],
    desiredOutcome: ['希望晚上停止施工', '希望把拖欠的工资一万两千元结清', '希望尽快把路修好', '希望退钱并且道歉', '希望派人来查一查,把问题解决', '希望给个书面答复'],
    priorAttempts: ['打过两次12345热线,没有结果', '上个月找过物业办公室', '没有,这是第一次反映', '给公司写过信,一直没人回', '去过街道办,让我等通知'],
    contactName: ['李伟', '张敏', '不想说', '陈静', '王芳', '刘先生'],
    contactPhone: ['13800138000', '139 1234 5678', '不方便留', '186-0000-1234', '15012345678'],
    other: ['就是这些情况。', '我说的都是真的,有照片。', '嗯,对。'],
  },
  en: {
    location: ['No. 12 Maple Street, Haidian District', 'Building 3, Sunshine Garden estate, Chaoyang', 'the bus stop outside the east gate of Riverside Park', 'Flat 502, 88 Jianshe Road', 'the crossing of Zhongshan Road and Beijing Road', 'the entrance of Lijia village, Chengnan town'],
    time: ['since last month', 'every night for the past two weeks', 'on 3 May, around 9 in the morning', 'it started about three months ago', 'last Friday afternoon', 'since the end of last year'],
    parties: ['the property management company, Greenfield Services', 'the company building the new mall', 'my employer, Hengda Decoration Co.', 'the landlord, Mr Wang', 'the district water company', "the school's finance office"],
    desiredOutcome: ['I want the work stopped at night', 'I want my unpaid wages of 12,000 yuan paid', 'please get the road repaired soon', "I'd like a refund and an apology", 'please send someone to inspect it and fix it', 'I would like a written answer'],
    priorAttempts: ['I called the 12345 hotline twice, nothing happened', 'I complained to the property office last month', 'no, this is the first time', 'I wrote to the company but they never replied', 'I went to the sub-district office and they told me to wait'],
    contactName: ['Li Wei', 'Zhang Min', 'prefer not to say', 'Chen Jing', 'Wang Fang', 'Mr Liu'],
    contactPhone: ['13800138000', '139 1234 5678', "I'd rather not", '186-0000-1234', '15012345678'],
    other: ["That's everything, really.", 'It is all true, I have photos.', 'Yes, that is right.'],
  },
};

const FOLLOW_UPS: Record<Locale, string[]> = {
  'zh-CN': [
    '补充一下:昨天晚上又施工到凌晨两点,我录了视频。',
    '补充一下:我手里有照片和收据,需要的话可以提供。',
    '我的案子现在怎么样了?',
    '请问我反映的问题处理到哪一步了?',
    '补充一下:隔壁几户邻居也愿意作证。',
    '有进展了吗?',
    '谢谢你们',
    '补充一下:对方今天又打电话来催我了。',
  ],
  en: [
    'One more thing: they were at it again until 2am last night, I filmed it.',
    'Just to add: I have photos and receipts if the officer needs them.',
    "What's the status of my case?",
    'Is there any progress on my complaint?',
    'Also, three of my neighbours are willing to confirm all this.',
    'Has anyone looked at my petition yet?',
    'thank you',
    'I forgot to mention that they called me again today.',
  ],
};

const NEW_MATTER: Record<Locale, string[]> = {
  'zh-CN': ['我还有另一件事要反映', '我想再投诉一件事'],
  en: ['I have another problem to report', 'I want to file another complaint'],
};

/** One petitioner in one conversation. */
export class Petitioner {
  filed = 0;
  private followUps = 0;
  private readonly rand: () => number;

  constructor(readonly locale: Locale, seed: number) {
    this.rand = rng(seed);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)];
  }

  story(): string {
    const s = STORY[this.locale];
    const problem = this.pick(s.problems);
    // Sometimes the story already says where or since when, as people often do.
    const extra = this.rand() < 0.4 ? (this.locale === 'en' ? `It is at ${this.pick(DETAILS.en.location)}. ` : `地点在${this.pick(DETAILS['zh-CN'].location)},`) : '';
    return this.pick(s.opening) + problem + extra + this.pick(s.impact) + this.pick(s.plea);
  }

  /** The next message, given the bot's replies to the previous one (or the greeting). */
  next(replies: readonly BotMessage[]): { text: string; kind: number } {
    let expects: Expects | undefined;
    for (let i = replies.length - 1; i >= 0; i--) {
      if (replies[i].caseRef) {
        this.filed++;
        this.followUps = 0;
      }
      if (!expects && replies[i].expects) expects = replies[i].expects;
    }
    if (expects) {
      switch (expects.type) {
        case 'text': {
          const slot = expects.slot ?? 'other';
          if (slot === 'issue') return { text: this.story(), kind: KIND.story };
          const pool = DETAILS[this.locale][slot] ?? DETAILS[this.locale].other;
          return { text: this.pick(pool), kind: KIND.detail };
        }
        case 'confirm':
          return { text: 'yes', kind: KIND.confirm };
        case 'rating':
          return { text: this.pick(['3', '4', '5', '5']), kind: KIND.other };
        case 'choice': {
          const options = expects.options ?? [];
          const go = options.find((o) => o.value === 'continue') ?? options[0];
          return { text: go ? go.value : 'yes', kind: KIND.other };
        }
      }
    }
    if (this.filed > 0) {
      this.followUps++;
      // After a handful of follow-ups, a new matter: the bot asks for its story again.
      if (this.followUps > 5 && this.rand() < 0.3) return { text: this.pick(NEW_MATTER[this.locale]), kind: KIND.followUp };
      return { text: this.pick(FOLLOW_UPS[this.locale]), kind: KIND.followUp };
    }
    return { text: this.pick(DETAILS[this.locale].other), kind: KIND.other };
  }
}
