// Lexicons for distress and anger. Weight 1 = enough on its own; lower weights need company.

export type Cue = [pattern: string, weight: number];

export const DISTRESS_ZH: Cue[] = [
  ['急死了', 1], ['急死人', 1], ['急得', 0.8], ['着急', 0.7], ['焦急', 0.8], ['焦虑', 0.8], ['心急', 0.7],
  ['没办法了', 1], ['没有办法了', 1], ['实在没办法', 1], ['不知道怎么办', 1], ['怎么办啊', 1], ['该怎么办', 0.7],
  ['走投无路', 1.2], ['绝望', 1.2], ['无助', 1], ['无路可走', 1.2], ['没有活路', 1.2], ['没活路', 1.2],
  ['太难了', 1], ['好难', 0.7], ['难受', 0.7], ['痛苦', 1], ['崩溃', 1.2], ['撑不下去', 1.2], ['熬不下去', 1.2],
  ['日子过不下去', 1.2], ['过不下去了', 1.2], ['心力交瘁', 1.2], ['睡不着', 0.8], ['吃不下', 0.7],
  ['哭', 1], ['眼泪', 1], ['委屈', 1], ['受不了', 1], ['承受不了', 1], ['害怕', 0.8], ['担心', 0.5], ['担惊受怕', 1],
  ['求求你们', 1.2], ['求求你', 1.2], ['求你们了', 1.2], ['救救', 1.2], ['帮帮我', 1], ['帮帮我们', 1], ['可怜', 0.7],
  ['没钱吃饭', 1], ['揭不开锅', 1.2], ['孩子还小', 0.6], ['上有老下有小', 0.8], ['身体不好', 0.4], ['生病', 0.4],
  ['压力太大', 1], ['压力很大', 0.8], ['快疯了', 1], ['要疯了', 1],
  // Quiet distress: money trouble, illness, a child, nowhere left to turn — said plainly, not shouted.
  ['不知道该怎么办', 1], ['不知道还能', 1], ['不知道找谁', 1], ['不知道该找谁', 1], ['不知道去找谁', 1], ['求助无门', 1.2],
  ['真的没办法', 1], ['没有办法', 0.6], ['急着用钱', 1], ['急用钱', 1], ['交不起', 0.8], ['付不起', 0.8], ['看不起病', 1],
  ['借了', 0.3], ['借钱', 0.5], ['欠了一屁股', 1], ['住院', 0.4], ['药费', 0.5], ['医药费', 0.5], ['学费', 0.3], ['生活费', 0.4],
  ['睡不好', 0.6], ['整夜', 0.5], ['心里难受', 1], ['心里不好受', 1], ['伤心', 1], ['难过', 1], ['心寒', 1], ['寒心', 1], ['无奈', 0.7],
  ['一家老小', 0.5], ['一家人', 0.2], ['老人', 0.2], ['孩子', 0.2], ['可怎么活', 1.2], ['怎么活', 0.8],
  ['交不上', 1], ['交不起房租', 1], ['借遍了', 1.2], ['能借的都借', 1.2], ['全靠', 0.4], ['打零工', 0.3], ['低保', 0.3],
  ['脑瘫', 0.8], ['残疾', 0.6], ['瘫痪', 0.8], ['癌', 0.6], ['化疗', 0.8], ['重病', 0.8], ['绝症', 1], ['白血病', 0.8], ['不敢出门', 0.8],
  ['一个人带', 0.5], ['撑多久', 1], ['还能撑', 1],
  ['提心吊胆', 1], ['太吓人', 0.8], ['吓人', 0.6], ['真怕', 0.8], ['怕哪天', 0.8], ['心惊胆战', 1], ['不敢', 0.3],
  // Cantonese, as people in Guangdong and Hong Kong write it.
  ['唔知点算', 1], ['点算好', 0.8], ['好惨', 0.8], ['顶唔顺', 1.2], ['捱唔落去', 1.2], ['瞓唔着', 0.8], ['喊', 0.5], ['惊', 0.4],
];

export const ANGER_ZH: Cue[] = [
  ['气死', 1.2], ['气愤', 1], ['愤怒', 1.2], ['生气', 1], ['恼火', 1], ['火大', 1], ['气炸', 1.2],
  ['太过分', 1.2], ['过分', 0.7], ['欺负人', 1.2], ['欺人太甚', 1.2], ['凭什么', 1], ['忍无可忍', 1.5],
  ['岂有此理', 1.2], ['无法无天', 1.2], ['不像话', 1], ['黑心', 1], ['无良', 1], ['骗子', 1],
  ['混蛋', 1.2], ['王八蛋', 1.2], ['他妈的', 1.2], ['妈的', 1], ['什么玩意', 1], ['搞什么', 0.8],
  ['敷衍', 0.8], ['踢皮球', 0.8], ['不作为', 0.8], ['推来推去', 0.7], ['没人管', 0.6], ['投诉无门', 0.8],
  ['可恶', 1], ['恶心', 0.8], ['谴责', 1], ['官官相护', 1], ['腐败', 0.8], ['耍流氓', 1.2], ['流氓', 0.8],
  ['强烈不满', 1.2], ['非常不满', 1], ['不满', 0.6], ['太气人', 1.2], ['气人', 1], ['丧尽天良', 1.5],
  ['太夸张', 1], ['很夸张', 0.8], ['夸张耶', 0.8], ['太离谱', 1.2], ['离谱', 0.8], ['什么啦', 0.5], ['有没有搞错', 1], ['搞错没有', 1],
  ['没天理', 1.2], ['没有天理', 1.2], ['冇天理', 1.2], ['干什么吃的', 1.2], ['干啥吃的', 1.2], ['嬲', 1], ['激气', 1], ['好过分', 1],
];

export const DISTRESS_EN: Cue[] = [
  ['desperate', 1.2], ['desperation', 1.2], ["can't take it", 1.2], ['cannot take it', 1.2], ["can't cope", 1.2],
  ['hopeless', 1.2], ['helpless', 1], ["wit's end", 1.2], ["don't know what to do", 1], ['do not know what to do', 1],
  ['crying', 1], ['in tears', 1], ['tears', 0.7], ['exhausted', 0.8], ['overwhelmed', 1],
  ['terrified', 1.2], ['begging', 1.2], ['please help', 0.8], ['breaking down', 1.2], ['devastated', 1.2],
  ['struggling', 0.7], ["can't sleep", 0.8], ['anxious', 0.8], ['worried sick', 1.2], ['worried', 0.5],
  ['losing my mind', 1.2], ['nowhere to turn', 1.2], ['last resort', 1], ['no way out', 1.2], ['falling apart', 1.2],
  ['heartbroken', 1.2], ['miserable', 1], ['suffering', 0.8], ['panic', 1], ['afraid', 0.7],
  ['upset', 1], ['so sad', 1], ['sad', 0.7], ['scared', 1], ['lose my mind', 1.2], ['going crazy', 1], ['driving me crazy', 1],
  ['drives me crazy', 1], ['asthma', 0.5], ['coughing', 0.5], ['terrible', 0.5], ['nightmare', 0.8], ['petrified', 1.2], ['stressed', 0.8], ['stress', 0.5], ['depressed', 1.2], ["don't know who else", 1.2],
  ["don't know where to turn", 1.2], ['who else to ask', 1], ["can't afford", 0.8], ['cannot afford', 0.8], ['medical bills', 0.5],
  ['in hospital', 0.4], ['in the hospital', 0.4], ["haven't slept", 0.8], ['not slept', 0.8], ['sleepless', 0.8], ['no money', 0.7],
  ['my kids', 0.2], ['my children', 0.2], ['my daughter', 0.2], ['my son', 0.2], ['my child', 0.2], ['hurt', 0.4], ['stitches', 0.5],
];

export const ANGER_EN: Cue[] = [
  ['furious', 1.2], ['outrageous', 1.2], ['outraged', 1.2], ['unacceptable', 1], ['fed up', 1.2], ['angry', 1],
  ['livid', 1.2], ['disgusting', 1], ['disgusted', 1], ['ridiculous', 0.8], ['sick of', 1], ['sick and tired', 1.2],
  ['how dare', 1.2], ['scam', 0.8], ['scammers', 1], ['cheated', 0.8], ['liars', 1], ['incompetent', 1],
  ['useless', 0.8], ['pissed', 1.2], ['damn', 0.8], ['wtf', 1.2], ['bullshit', 1.2], ['enraged', 1.2],
  ['infuriating', 1.2], ['infuriated', 1.2], ['absurd', 0.8], ['shameful', 1], ['disgrace', 1], ['mad at', 1],
  ['so mad', 1], ['annoyed', 0.7], ['frustrated', 0.7], ['frustrating', 0.7], ['unbelievable', 0.7],
];

/** Negators looked for just before a cue, within the same clause. */
export const NEGATION_ZH = /(?:不|没|没有|别|并不|并没有|不是|不太|不怎么|不用|无需|不必)(?:很|太|那么|特别|怎么|是)?$/;
export const NEGATION_EN = /(?:\bnot|n't|\bnever|\bno|\bhardly|\bwithout)\s+(?:\w+\s+)?$/i;

/** What weighs on a distressed petitioner, for acknowledging it in their terms; first match wins. */
export type Concern = 'money' | 'health' | 'child' | 'despair' | 'sleep';

export const CONCERNS: [Concern, RegExp][] = [
  ['despair', /走投无路|绝望|没活路|不知道(?:该|还能)?(?:怎么办|找谁|去找谁)|求助无门|没办法了|撑不下去|熬不下去|过不下去|怎么活|hopeless|desperate|nowhere to turn|don't know (?:what to do|who else|where to turn)|can't take it|at my wit's end/i],
  ['health', /住院|看病|生病|病了|病重|手术|医药费|药费|医院|脑瘫|残疾|瘫痪|癌|化疗|靶向药|伤口|感染|受伤|缝了|stitches|hospital|surgery|sick|\bill\b|injur|hurt|medical/i],
  ['child', /孩子|儿子|女儿|小孩|娃|学生|上学|学费|中考|高考|\b(?:child|children|kids?|son|daughter|school)\b/i],
  ['money', /钱|工资|工钱|欠薪|学费|交不起|付不起|借了|借钱|欠债|补偿款|押金|\b(?:money|wages?|salary|pay|rent|deposit|afford|debt|bills?)\b/i],
  ['sleep', /睡不着|睡不好|失眠|整夜|补觉|\b(?:sleep|slept|insomnia)\b/i],
];
