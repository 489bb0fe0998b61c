// Person names, only from explicit self-introduction cues (我叫张三 / my name is John Smith).
import type { Entity } from '../domain.js';
import { scanText } from './detail-text.js';

export interface Found extends Entity {
  start: number;
  end: number;
}

// Common single-character surnames, without characters that are far more often ordinary words at the
// start of a clause (和/于/来/时/成/明/安/平/国/海/花/强 …).
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤穆卓古吉缪简项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆乐冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼闻厉伊萧洪车荀郜戎阙';
const COMPOUND = '欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|司徒|夏侯|长孙|宇文|端木|南宫|呼延';
export const SURNAME_START = new RegExp(`^(?:${COMPOUND}|[${SURNAMES}])`);
const COMPOUND_START = new RegExp(`^(?:${COMPOUND})`);

const BOUNDARY_WORDS =
  /^(?:今年|住|家住|家在|在|是|的|来自|电话|手机|号码|联系|现|目前|男|女|岁|想|要|我|从|因|有|和|跟|反映|投诉|举报|向|今天|身份证|为|家|老家|已|已经|这|那|也|就)/;
const NOT_NAME = /(?:[们的了个这那是在有不没也都就还人员民主]|[村镇乡县市区省路街厂局店司站场所院校馆园楼室部处队组号]$)/;
const COMMON_WORDS = /^(?:马上|高兴|方便|安全|常常|全部|全家|明天|时候|关于|司机|包工头|周末|周围|周边|黄金|金钱|高速|高中|白天|程序|钱包|江湖|万一|龙头|石头|田地|毛病|包工|任何|单位|管理|宁愿|乐意|商量|师傅|关系|应该|华人|谈判)/;

// 叫我 names the petitioner only when they say it (叫我小李就行, 你叫我老陈); 医生叫我再等等 is
// someone telling them to do something.
const STRONG_ZH = /(?:我叫|名字叫|名字是|姓名是|姓名[:：]|名叫|(?:^|(?<=[，。！？,.!?；;\s]|你|您|就|可以|请|都))叫我|联系人[:：是]?)\s*/gm;
const WEAK_ZH = /(?:我是|我就是|本人是|本人)\s*/g;
// 我姓陈 / 免贵姓陈 / 姓陈 at the start: a surname of one's own, not 领头的姓胡 (someone else's).
const SURNAME_ZH = /(?:(?:我|本人)(?:免贵)?|免贵|^)姓\s*/gm;
const TITLE = /^(?:先生|女士|小姐|阿姨|大爷|大姐|师傅|老师)/;

function hanRun(s: string, from: number): string {
  return /^[\u4e00-\u9fff]*/.exec(s.slice(from))?.[0] ?? '';
}

/** The shortest 2–4 character name at `from` that ends where a clause or a known word begins. */
function zhName(s: string, from: number, needSurname: boolean): string | null {
  const run = hanRun(s, from);
  if (needSurname && !SURNAME_START.test(run)) return null;
  const max = COMPOUND_START.test(run) ? 4 : needSurname ? 3 : 4;
  for (let len = 2; len <= Math.min(max, run.length); len++) {
    const cand = run.slice(0, len);
    const rest = s.slice(from + len);
    const boundary = len === run.length || BOUNDARY_WORDS.test(rest);
    if (!boundary) continue;
    if (NOT_NAME.test(cand.slice(1)) || COMMON_WORDS.test(cand)) return null;
    return cand;
  }
  return null;
}

const EN_STRONG = /\b(?:my name is|my name's|name:|call me)\s+/gi;
const EN_WEAK = /\b(?:I'm|I am|this is)\s+/g;
const EN_STOPWORD = /^(?:and|i|from|my|phone|number|here|calling|writing|living|live|work|working|with|the|a|an|to|in|at|of|but|so|is|please|and|or|email|contact|you|me|we)$/i;
const EN_NOT_NAME =
  /^(?:Very|So|Not|Here|From|Writing|Calling|Really|Sorry|A|An|The|In|At|On|Just|Still|Also|Going|Being|Living|Working|Afraid|Tired|Sick|Angry|Desperate|Worried|Scared|Fed|Done|Unable|Trying|Looking|Asking|Reaching|Contacting|Chinese|English|American|British|Happy|Sad|Upset|Okay|Fine|Good|Glad|Sure|Pleased|Concerned|Hoping|Unhappy|Furious|Frustrated|Disappointed|Confused|Responsible|Your|His|Her|Their|Our|My|No|Yes|Now|Again|Only|Exhausted|Elderly|Old|Pregnant|Disabled|Unemployed|Retired|Homeless|Complaining|Reporting|Filing|Hi|Hello|Dear|Mr|Mrs|Ms|Miss|Dr|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September|October|November|December)$/;

function enName(s: string, from: number, strong: boolean): string | null {
  const words: string[] = [];
  for (const m of s.slice(from).matchAll(/[A-Za-z][A-Za-z'.-]*|\S/g)) {
    const w = m[0];
    if (!/^[A-Za-z]/.test(w) || EN_STOPWORD.test(w) || words.length === 3) break;
    if (!strong && !/^[A-Z][a-z'.-]*[a-z]$/.test(w)) break;
    if (!strong && EN_NOT_NAME.test(w) && !(/^(?:Mr|Mrs|Ms|Miss|Dr)$/.test(w) && words.length === 0)) break;
    words.push(w);
    if (s[from + (m.index ?? 0) + w.length] !== ' ') break;
  }
  while (words.length && /^(?:Mr|Mrs|Ms|Miss|Dr)\.?$/.test(words[words.length - 1] ?? '')) words.pop();
  if (!words.length || (words.length === 1 && /^(?:Mr|Mrs|Ms|Miss|Dr)\.?$/.test(words[0] ?? ''))) return null;
  return words.join(' ').replace(/[.,]+$/, '');
}

export interface NameFound extends Found {
  /** 'full' when a whole name was given, 'surname' for 我姓陈. */
  kind: 'full' | 'surname';
}

export function findPersonNames(text: string): NameFound[] {
  const s = scanText(text);
  const out: NameFound[] = [];
  const add = (start: number, value: string | null, kind: NameFound['kind']): void => {
    if (!value) return;
    const end = start + value.length;
    if (out.some((f) => f.start < end && start < f.end)) return;
    out.push({ type: 'personName', value: text.slice(start, end), start, end, kind });
  };
  for (const m of s.matchAll(STRONG_ZH)) {
    const at = (m.index ?? 0) + m[0].length;
    const name = zhName(s, at, false)?.replace(/[吧啊呀哈呢嘛]+$/, '') ?? null;
    // After 叫我 a name reads like one: a surname first, 老/小 and a surname, or 阿 and a given name
    // (叫我再等等 is not).
    const called = m[0].trim().endsWith('叫我');
    add(at, name && (!called || SURNAME_START.test(name) || (/^[老小阿]/.test(name) && SURNAME_START.test(name.slice(1))) || /^阿[\u4e00-\u9fff]{1,2}$/.test(name)) ? name : null, 'full');
  }
  for (const m of s.matchAll(WEAK_ZH)) add((m.index ?? 0) + m[0].length, zhName(s, (m.index ?? 0) + m[0].length, true), 'full');
  for (const m of s.matchAll(SURNAME_ZH)) {
    const at = (m.index ?? 0) + m[0].length;
    const sur = new RegExp(`^(?:${COMPOUND}|[${SURNAMES}])`).exec(s.slice(at))?.[0];
    if (!sur) continue;
    const title = TITLE.exec(s.slice(at + sur.length))?.[0] ?? '';
    add(at, sur + title, 'surname');
  }
  for (const m of s.matchAll(EN_STRONG)) add((m.index ?? 0) + m[0].length, enName(s, (m.index ?? 0) + m[0].length, true), 'full');
  for (const m of s.matchAll(EN_WEAK)) add((m.index ?? 0) + m[0].length, enName(s, (m.index ?? 0) + m[0].length, false), 'full');
  return out.sort((a, b) => a.start - b.start);
}
