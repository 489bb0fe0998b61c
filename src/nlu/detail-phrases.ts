// Clause-level details that are phrases rather than entities: what the petitioner wants, what they
// have already tried, and who the other side is when it is named by role (房东 / my landlord).
import { type Span, clauses, scanText, sentences, trimPunct, truncate } from './detail-text.js';

const MAX_PHRASE = 200;

// 希望 / 要求 / 请求 … at the start of a clause or after the petitioner (我/我们/强烈 …); not 物业要求我们.
const WANT_ZH =
  /希望|要求|请求|恳请|恳求|诉求是|诉求|想让|想要|只想|就想|请你们|请政府|请领导|请有关部门|请相关部门|请帮|麻烦你们|帮我们|帮帮我|拜托(?:你们|各位)?/g;
const WANT_ZH_BEFORE =
  /(?:^|[，,:：;；\s]|我|我们|本人|强烈|只|就|现在|现|谨|特|故|为此|在此|所以|因此|特此|恳切|迫切|并|还|也|都|真心|非常|特别|衷心|最后)$/;
const WANT_ZH_NOT = /(?:他们|她们|对方|不抱|没有|没|失去)(?:也|还|都|就|只|强烈)?$/;
// "I want to complain" / 我想反映 is the petition itself, not the outcome wanted.
const RAISING_ZH = /^(?:向.{0,8}|跟.{0,8}|给.{0,8})?(?:投诉|反映|举报|咨询|问一下|问问|查询|查一下|补充|上访|信访|说一下|说说|讲一下|报告)/;
const RAISING_EN = /^\s*(?:to\s+)?(?:complain|report|file|raise|make a complaint|lodge|petition|ask about|know|check|talk|speak|tell you)/i;
const WANT_EN =
  /\b(?:(?:I|we)\s+(?:just\s+|really\s+|only\s+|simply\s+)?(?:want|would like|'d like|wish|hope|demand|am asking|are asking|ask|need)|I'd like|we'd like|please\s+(?:make|help|get|ask|tell|have|force|order|ensure|fix|return|pay|stop|give|refund)|my request is|what I want is|all I want is)\b/gi;

/**
 * Where the wish that starts at `at` ends: the sentence's end, except in a message dictated without
 * punctuation ("…我们就想要个公道 按市场价重新评估 这个事情一直拖着…"), where the spaces are its
 * only commas: there it is the cue's piece and the one after it.
 */
function spaceGaps(sentence: string): { start: number; end: number }[] {
  return [...sentence.matchAll(/(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])/g)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function runOnEnd(sentence: string, at: number): number {
  const gaps = spaceGaps(sentence);
  const after = gaps.filter((g) => g.start > at);
  return gaps.length >= 2 && after.length >= 2 ? (after[1] as { start: number }).start : sentence.length;
}

/** In a run-on message, the wish starts at the piece holding its cue, not at the start of the message. */
function runOnStart(sentence: string, at: number): number {
  const gaps = spaceGaps(sentence);
  if (gaps.length < 2) return 0;
  return gaps.filter((g) => g.end <= at).pop()?.end ?? 0;
}

export function findDesiredOutcome(text: string): { value: string; spans: Span[] } | null {
  const s = scanText(text);
  const found: Span[] = [];
  for (const sent of sentences(s)) {
    let at = -1;
    for (const m of sent.text.matchAll(WANT_ZH)) {
      const before = sent.text.slice(0, m.index);
      const after = sent.text.slice(m.index + m[0].length);
      // "我想查一下" raises a matter; "拜托你们查一下" / "请你们查一下" asks for something to be done.
      const asking = /^(?:请|拜托|麻烦|恳请|恳求)/.test(m[0]);
      if (WANT_ZH_BEFORE.test(before) && !WANT_ZH_NOT.test(before) && (asking || !RAISING_ZH.test(after))) {
        at = m.index;
        break;
      }
    }
    const en = [...sent.text.matchAll(WANT_EN)].find((m) => !RAISING_EN.test(sent.text.slice(m.index + m[0].length)));
    if (en && (at < 0 || en.index < at)) at = en.index;
    if (at < 0) continue;
    // Start at the clause holding the cue, so "我们希望…" keeps its subject.
    const own = clauses(sent.text).find((c) => c.start <= at && at < c.end);
    const start = sent.start + Math.max(own ? Math.min(own.start, at) : at, runOnStart(sent.text, at));
    const end = sent.start + runOnEnd(sent.text, at);
    found.push({ text: text.slice(start, end), start, end });
    if (found.length === 2) break;
  }
  if (!found.length) return null;
  const value = truncate(found.map((f) => trimPunct(f.text)).join('；'), MAX_PHRASE);
  return value ? { value, spans: found } : null;
}

const TRIED_ZH = [
  /(?:投诉|反映|举报|报案|上访|信访|求助|咨询|起诉|申诉|申请|协商|沟通|联系)(?:过|了)/,
  /揾过|揾咗|(?:找过|找了|去过|去了|问过|打过|打了|拨打|写过|发过)[^，。！？,.!?]{0,12}(?:局|所|政府|委会|委|办|物业|公司|老板|领导|律师|媒体|记者|部门|热线|电话|(?<![\dA-Za-z])12345(?![\dA-Za-z])|(?<![\dA-Za-z])110(?![\dA-Za-z])|法院|仲裁|街道|社区|派出所|信访|单位|厂|村|镇|校长|院长|店长|厂长|主任|经理|负责人|书记|老师|班主任|医生|管理处|保安|车商|商家|店家|摊主|房东|中介|工头)/,
  /(?<!想|要|打算|准备|还能|能|该|可以)去[^，。！？,.!?谁]{1,10}(?:找|问|查|咨询|申请)(?:了|过|说)?|去(?:找|问)(?:了|过)|跑了(?:[^，。！？,.!?]{0,4})?(?:趟|次)|跑了好(?:几|多)(?:趟|次)|(?:补|找|问|去|跑|打)了(?:[一二三四五六七八九十两几]+|好几|好多)(?:次|趟|回)/,
  /(?:多次|曾|曾经|已|一再|反复|几次|多番)(?:向|找|到|去|给)[^。！？!?]{0,24}(?:反映|反应|投诉|举报|求助|咨询|打电话|写信)/,
  /打(?:了|过)?(?:[一二三四五六七八九十几好多]+(?:次|回|个))?电话(?!号)|电话(?:问|打过|打了)/,
  /报警|报了警|报过警|(?<![\dA-Za-z])12345(?![\dA-Za-z])|市长热线|劳动仲裁|申请仲裁|打官司|走法律程序|法院/,
  /去(?:了)?[^，。！？,.!?\s]{0,8}(?:报案|报警|投诉|反映|举报|上访|讨说法|要说法|讨个说法)|[跟和向给][^，。！？,.!?\s]{1,8}(?:说过|讲过|反映过|提过|讲了|说了(?!有什么用))/,
  /已经(?:向|找|去|跟|和|报|打|投诉|反映|联系|起诉)/,
  /都没用|没有结果|没人理|没人管|推来推去|踢皮球|不了了之/,
];
const TRIED_EN = [
  /\b(?:I|we)(?:'ve|\s+have|\s+had)?\s+(?:already\s+|also\s+)?(?:called|complained|contacted|reported|went to|gone to|filed|written to|wrote to|talked to|spoke to|spoken to|emailed|asked|tried|been to|visited|sued|phoned|raised|sent)\b/i,
  /\b(?:called|contacted|phoned)\s+(?:the\s+)?(?:police|hotline|12345|110)\b/i,
  /\b(?:no one|nobody|no-one)\s+(?:has\s+)?(?:helped|responded|replied|answered|did anything|cares)\b/i,
  /\bevery time (?:i|we) (?:go|went|call|called|ask|asked|visit|visited)\b/i,
];
const FOLLOW_ON =
  /^(?:但|可|结果|都|还是|也|没|却|一直|说|让|推|but|and nobody|and no one|no one|nobody|they said|they told)|说|没用|不管|管不了|没人|没有结果|不予|不受理|推给|让我们|\b(?:said|told|refused|ignored)\b/i;

export function findPriorAttempts(text: string): { value: string; spans: Span[] } | null {
  const s = scanText(text);
  const list = clauses(s);
  const found: Span[] = [];
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (!c || found.some((f) => f.start <= c.start && c.end <= f.end)) continue;
    if (![...TRIED_ZH, ...TRIED_EN].some((re) => re.test(c.text))) continue;
    let end = c.end;
    for (let j = i + 1; j < list.length && j <= i + 2; j++) {
      const next = list[j];
      if (!next || !FOLLOW_ON.test(next.text) || /[。！？!?\n]/.test(s.slice(end, next.start))) break;
      end = next.end;
    }
    found.push({ text: text.slice(c.start, end), start: c.start, end });
    if (found.length === 3) break;
  }
  if (!found.length) return null;
  const value = truncate(found.map((f) => trimPunct(f.text)).join('；'), MAX_PHRASE);
  return value ? { value, spans: found } : null;
}

const ROLE_ZH =
  '包工头|工头|开发商|发展商|房地产公司|老公|丈夫|前夫|前妻|婆婆|公公|继父|继母|房东|二房东|老板|雇主|站点|外卖平台|平台|医保|社保|保险公司|导游|旅行社|用人单位|厂家|商家|卖家|店家|邻居|(?:顶楼|楼上|楼下|隔壁|对门|对面)(?:那户|那家|住户|邻居|人家)|隔篱屋|隔篱邻舍|城管|村委会|居委会|村干部|村支书|村长|物业|管理处|业委会|中介|施工方|施工队|装修队|拆迁办|校方|医院|学校|殡仪馆|火葬场|陵园|公墓|养老院|幼儿园|诊所|药店|健身房|经理|主管|(?<!敬爱的|尊敬的)领导(?![们]?[:：,，\s]*(?:您|你)?好)|司机|快递员|车商|摊主|店主';
const ROLE_NAME = '(?:老|小)[\\u4e00-\\u9fff]|[\\u4e00-\\u9fff](?:某某|某|先生|女士|总|经理|老板|师傅|姓)';
const ROLE_ZH_GLOBAL = new RegExp(`(?:${ROLE_ZH})(?:${ROLE_NAME})?`, 'g');
const ROLE_EN =
  /\b(?:property management|building management|(?:(?:my|our|the|a|an|their|his|her)\s+(?:former\s+|current\s+|new\s+|old\s+|local\s+)?(?:[a-z-]+\s){0,2}?(?:landlord|landlady|employer|boss|manager|supervisor|company|contractor|subcontractor|neighbou?rs?|property management(?: company)?|property manager|developer|school|hospital|doctor|teacher|seller|shop|store|agent|agency|factory|owner|building management|management|driver|restaurant|tea ?house|salon|bar|hotel|clinic|pharmacy|tour guide|guide|travel agency|office|administration|bureau|platform)(?!\s+(?:dog|appointment|bill|bills|visit|bed|card|fees?|records?|hours))(?:\s+(?:called|named))?)|(?:two|three|four|some|several|a group of)\s+(?:[a-z]+\s)?(?:girls?|boys?|men|women|guys|people|persons|workers)|(?:my|her|his|our)\s+(?:[a-z]+'s\s+)?(?:husband|wife|boyfriend|girlfriend|ex-husband|ex-wife|ex|father-in-law|mother-in-law|stepfather|stepmother))\b(?:,?\s+(?:Mr|Mrs|Ms|Dr)\.?\s+[A-Z][a-z]+)?/i;
const ROLE_EN_GLOBAL = new RegExp(ROLE_EN.source, 'gi');

/** The other side named by role: 包工头老王 / 房东 / my landlord, Mr Chen. */
export function findPartyRole(text: string): string | null {
  return findPartyRoles(text)[0] ?? null;
}

/** Every party named by role, in the order they come (省儿童医院的医院, then 医保). */
export function findPartyRoles(text: string): string[] {
  const s = scanText(text);
  const found: { at: number; value: string }[] = [];
  for (const re of [ROLE_ZH_GLOBAL, ROLE_EN_GLOBAL]) {
    for (const m of s.matchAll(re)) found.push({ at: m.index, value: text.slice(m.index, m.index + m[0].length).trim() });
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.value).filter((v, i, all) => v && all.indexOf(v) === i);
}
