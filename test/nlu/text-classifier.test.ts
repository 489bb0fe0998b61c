import { describe, expect, it } from 'vitest';
import { normalizeText } from '../../src/nlu/normalize.js';
import { TextClassifier, type TrainingExample } from '../../src/nlu/text-classifier.js';
import { TfidfVectorizer, termCounts } from '../../src/nlu/text-features.js';

// Four routing topics, Chinese and English, written for this test. The held-out sentences share
// topic words with the training ones but are not copies of them.
const TRAIN: Record<string, string[]> = {
  environment: [
    '小区旁边的化工厂每天晚上排放刺鼻的废气,居民开窗就闻到臭味,孩子经常咳嗽,希望环保部门来检测。',
    '我家楼下的饭店油烟直接排到居民楼里,整栋楼都是油烟味,找过物业也没用。',
    '工地每天夜里十二点以后还在施工,噪音特别大,我们已经连续一个月睡不好觉了。',
    '河边的造纸厂把污水直接排进河里,河水发黑发臭,鱼都死了。',
    '村口的垃圾堆已经堆了半年没人清理,夏天苍蝇蚊子特别多,气味难闻。',
    '附近的采石场非法开采,整天放炮,粉尘很大,房子墙壁都震裂了。',
    '广场舞音响声音太大,每天晚上吵到十点,老人和学生都没法休息。',
    '养猪场的粪便污水乱排,周围的农田和水井都被污染了。',
    '工厂烟囱冒黑烟,空气质量很差,晾在外面的衣服都变黑了。',
    '街道上的垃圾桶满了也不清运,垃圾散落一地,臭气熏天。',
    'The factory next to our estate releases smelly fumes every night and the air is hard to breathe.',
    'Construction noise continues past midnight and nobody in our building can sleep.',
    'A paper mill is dumping waste water into the river, which now stinks, and the fish have died.',
    'Rubbish has piled up by the road for weeks and nobody collects it; the smell is terrible.',
    'The restaurant downstairs vents its kitchen smoke straight into our windows.',
  ],
  labour: [
    '我在建筑工地干了八个月,老板一直拖欠工资,一共欠我三万多元,找他就说没钱。',
    '公司突然把我辞退了,没有提前通知,也不给经济补偿。',
    '单位三年没给我交社保,现在我生病了才发现医保用不了。',
    '我们二十多个工人的工资被包工头卷走了,年底了还拿不到钱回家。',
    '退休以后养老金一直没有按时发放,打电话去社保局也没人接。',
    '工厂每天让我们加班到晚上十一点,加班费一分钱都没有。',
    '签了劳动合同,公司却不按合同发工资,每个月都少发一千块。',
    '我在工作时受了工伤,手指被机器压断,老板不给认定工伤也不赔钱。',
    '公司裁员只给了半个月的工资做补偿,这不符合劳动法。',
    '失业以后申请失业保险金,材料交了两个月还没有结果。',
    'My employer has not paid my wages for four months and keeps saying the company has no money.',
    'I was dismissed without notice and the company refuses to pay any severance compensation.',
    'The company never paid my social insurance contributions, so I cannot use medical insurance.',
    'We work overtime every day until eleven at night without any overtime pay.',
    'My pension has not been paid on time since I retired.',
  ],
  transport: [
    '我们村通往镇上的公路坑坑洼洼,下雨天全是积水,车辆经常陷进去。',
    '十二路公交车经常晚点,有时候等一个小时都不来,上班总是迟到。',
    '路口的红绿灯坏了一个星期了,早晚高峰特别堵,还差点出车祸。',
    '出租车司机拒载,还故意绕路多收钱,投诉了也没人管。',
    '小区门口的马路上乱停车,救护车和消防车都开不进来。',
    '高速公路收费站多收了我的过路费,找他们退钱一直推脱。',
    '新修的道路才通车半年就开裂了,质量有问题。',
    '学校门口没有斑马线和减速带,车开得很快,孩子过马路很危险。',
    '公交线路调整以后我们小区附近没有车站了,老人出行很不方便。',
    '大货车超载运输,把我们村的桥压坏了,现在车辆都过不去。',
    'The road to our village is full of potholes and floods every time it rains.',
    'The number 12 bus is always late and sometimes does not come for an hour.',
    'The traffic lights at the crossing have been broken for a week and the traffic jams are terrible.',
    'A taxi driver refused to use the meter and took a long detour to charge me more.',
    'Cars park illegally on the street so ambulances cannot get through.',
  ],
  education: [
    '孩子所在的小学乱收费,除了学费还要交资料费、补课费,一学期多收了两千元。',
    '老师在课堂上体罚学生,我家孩子被打了以后不敢去上学。',
    '我们小区划片的学校太远了,孩子入学要坐一个小时的车。',
    '幼儿园突然关门,交的学费不退,家长们找不到负责人。',
    '学校食堂的饭菜质量很差,学生吃了经常拉肚子。',
    '班主任私下办补习班,要求学生必须参加,不去就被区别对待。',
    '外地户口的孩子在这里上不了公办学校,只能读很贵的私立学校。',
    '学校操场和体育设施年久失修,学生上体育课很不安全。',
    '高考报名的时候学校没有及时通知,孩子错过了报名时间。',
    '校车超载,一辆车挤了三十多个孩子,家长都很担心。',
    'The primary school charges extra fees for materials and tutoring on top of tuition.',
    'A teacher hit my child in class and now he is afraid to go to school.',
    'Our children cannot enrol in a public school because we are not local residents.',
    'The kindergarten closed suddenly and refuses to refund the tuition fees we paid.',
    'The school bus is overloaded with too many pupils every morning.',
  ],
};

const HELD_OUT: Record<string, string[]> = {
  environment: [
    '楼下的烧烤店油烟和噪音扰民,晚上闻着烟味根本睡不着。',
    '附近工厂偷偷往河里排放废水,河水变成黑色还有臭味。',
    '小区的垃圾好几天没人清运了,天气热臭味很大。',
    'The chemical plant keeps releasing fumes and the whole neighbourhood smells of smoke.',
    'Loud construction noise at night again; the site ignores the rules and nobody can sleep.',
  ],
  labour: [
    '老板拖欠我们半年的工资,工人们多次讨薪都没有结果。',
    '公司不给员工交社保,辞退我的时候也没有任何补偿。',
    '我的养老金已经三个月没有发放了。',
    'The contractor still owes us our wages for last year and will not answer our calls.',
    'I was laid off without compensation and my employer never paid social insurance.',
  ],
  transport: [
    '这条公路到处是坑,车辆经过很危险,希望尽快修路。',
    '公交车总是不按时到站,等车要等很久。',
    '路口没有红绿灯,车辆乱开,经常堵车。',
    'The bus route was cancelled and now there is no bus stop near us.',
    'Huge potholes on the main road damaged my car, please repair the road.',
  ],
  education: [
    '学校额外收取补课费和资料费,家长负担很重。',
    '孩子的老师经常骂学生,还体罚孩子。',
    '外地孩子入学难,公办学校不收。',
    'The teacher forces students to join paid tutoring classes after school.',
    'The school refused to let my daughter enrol and the fees are too high.',
  ],
};

const toExamples = (data: Record<string, string[]>): TrainingExample[] =>
  Object.entries(data).flatMap(([label, texts]) => texts.map((text) => ({ text, label })));

const trainingSet = toExamples(TRAIN);
const heldOut = toExamples(HELD_OUT);
const model = TextClassifier.train(trainingSet);

function accuracy(classifier: TextClassifier, examples: TrainingExample[]): number {
  return examples.filter((ex) => classifier.predict(ex.text).label === ex.label).length / examples.length;
}

describe('TextClassifier', () => {
  it('routes held-out petitions to the right topic', () => {
    expect(accuracy(model, heldOut)).toBeGreaterThanOrEqual(0.85);
    // Far above the 0.25 of guessing, and the training set is learnt.
    expect(accuracy(model, trainingSet)).toBe(1);
  });

  it('routes traditional Chinese once normalised', () => {
    const prediction = model.predict(normalizeText('老闆拖欠我們半年的工資,工人們多次討薪都沒有結果。'));
    expect(prediction.label).toBe('labour');
  });

  it('returns a probability distribution over every label, best first', () => {
    for (const { text } of heldOut) {
      const { label, score, ranking } = model.predict(text);
      expect(ranking.map((r) => r.label).sort()).toEqual(['education', 'environment', 'labour', 'transport']);
      expect(ranking.reduce((sum, r) => sum + r.score, 0)).toBeCloseTo(1, 9);
      expect(ranking[0]).toEqual({ label, score });
      for (let i = 1; i < ranking.length; i++) expect(ranking[i - 1].score).toBeGreaterThanOrEqual(ranking[i].score);
      expect(score).toBeGreaterThan(0.25);
    }
  });

  it('is deterministic: the same data and options give the same model', () => {
    expect(TextClassifier.train(trainingSet).toJSON()).toEqual(model.toJSON());
    // The seed does matter, so the equality above is not trivially true.
    expect(TextClassifier.train(trainingSet, { seed: 2 }).toJSON().weights).not.toEqual(model.toJSON().weights);
  });

  it('predicts identically after a JSON round trip', () => {
    const loaded = TextClassifier.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
    for (const { text } of [...heldOut, { text: '' }]) expect(loaded.predict(text)).toEqual(model.predict(text));
  });

  it('rejects malformed serialised models', () => {
    const data = model.toJSON();
    expect(() => TextClassifier.fromJSON({ ...data, weights: data.weights.slice(1) })).toThrow(/weights/);
    expect(() => TextClassifier.fromJSON({ ...data, labels: ['only'] })).toThrow(/2 labels/);
    expect(() => TextClassifier.fromJSON({ ...data, bias: data.bias.map(() => Number.NaN) })).toThrow(/non-finite/);
  });

  it('refuses to train on fewer than 2 labels or on empty texts', () => {
    expect(() => TextClassifier.train([])).toThrow(/at least 2 labels/);
    expect(() => TextClassifier.train(TRAIN.labour.map((text) => ({ text, label: 'labour' })))).toThrow(/at least 2 labels/);
    const withBlank = [...trainingSet.slice(0, 3), { text: '   ', label: 'labour' }, ...trainingSet.slice(-3)];
    expect(() => TextClassifier.train(withBlank)).toThrow(/example 3 has an empty text/);
    expect(() => TextClassifier.train([...trainingSet, { text: 'x', label: '' }])).toThrow(/empty label/);
  });

  it('answers the label prior for text with no known term', () => {
    const skewed = TextClassifier.train([
      ...TRAIN.labour.map((text) => ({ text, label: 'labour' })),
      ...TRAIN.transport.slice(0, 4).map((text) => ({ text, label: 'transport' })),
    ]);
    for (const text of ['', '   ', '🙂🙂', 'zzqx']) {
      const prediction = skewed.predict(text);
      expect(prediction.label, text).toBe('labour');
      expect(prediction.score).toBeGreaterThan(0.5);
      expect(prediction.score).toBeLessThan(1);
      expect(prediction.ranking).toHaveLength(2);
    }
  });

  it('prunes terms seen in fewer than minDocFreq documents once the corpus is large enough', () => {
    const size = (options: Parameters<typeof TextClassifier.train>[1]) =>
      TextClassifier.train(trainingSet, options).toJSON().terms.length;
    const all = size({});
    expect(size({ minDocsForPruning: trainingSet.length + 1, minDocFreq: 2 })).toBe(all);
    const pruned = size({ minDocsForPruning: trainingSet.length, minDocFreq: 2 });
    expect(pruned).toBeGreaterThan(0);
    expect(pruned).toBeLessThan(all / 2);
    expect(size({ maxFeatures: 50 })).toBe(50);
  });
});

describe('text features', () => {
  const sortedCounts = (text: string) => [...termCounts(text).values()].sort();

  it('takes character 1–3-grams of Han runs', () => {
    expect(sortedCounts('垃圾')).toEqual([1, 1, 1]);
    expect(termCounts('垃圾臭').size).toBe(7); // six n-grams, and jieba's word 垃圾
    expect(termCounts('垃圾,臭').size).toBe(4); // n-grams do not cross punctuation
  });

  it('adds jieba words of two or more characters, with the petitions dictionary', () => {
    // 欠薪讨薪: 8 distinct n-grams (薪 twice), and the dictionary words 欠薪 and 讨薪 (jieba alone splits 讨/薪).
    expect(termCounts('欠薪讨薪').size).toBe(10);
    // Two characters: only n-grams (a word would repeat the bigram).
    expect(termCounts('欠薪').size).toBe(3);
  });

  it('takes lower-cased words and bigrams within a clause, digits collapsed', () => {
    // room ×2, # ×2, "room #" ×2, "# room" ×1
    expect(sortedCounts('Room 302 room 415')).toEqual([1, 2, 2, 2]);
    expect(termCounts('noise, noise').size).toBe(1);
    expect(termCounts('NOISE').keys().next().value).toBe(termCounts('noise').keys().next().value);
  });

  it('splits Latin words from Chinese characters', () => {
    expect(termCounts('iPhone坏了').size).toBe(4); // iphone, 坏, 了, 坏了
  });

  it('weighs terms by sublinear tf × idf, L2-normalised', () => {
    const vectorizer = new TfidfVectorizer([7, 9], Float64Array.from([1, 2]));
    const { indices, values } = vectorizer.transform(new Map([[7, 1], [9, 3], [11, 5]]));
    const raw = [1, (1 + Math.log(3)) * 2];
    const norm = Math.hypot(...raw);
    expect(Array.from(indices)).toEqual([0, 1]);
    expect(values[0]).toBeCloseTo(raw[0] / norm, 12);
    expect(values[1]).toBeCloseTo(raw[1] / norm, 12);
  });
});
