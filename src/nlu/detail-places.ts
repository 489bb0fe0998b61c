// Places and organisations. Chinese names are bounded by function words (我/在/的/是 …), which a
// place or organisation name almost never contains; English ones by capitalisation and a suffix.
import type { Entity } from '../domain.js';
import { scanText } from './detail-text.js';
import { type TaggedWord, tagWords } from './segmenter.js';

export interface Found extends Entity {
  start: number;
  end: number;
}

// With the function words of Cantonese as people write it (我哋係…嘅業主, 喺新華區).
const STOP = '我在住的是到去从于往与跟及或被把给向对了着过说就也还又很让叫请帮找你他她它们这那哪个些有没不要想会能可但而且并因为所以如果每来自该此哋嘅咗喺嗰冇唔佢咁啲嚟系';
const N = `(?:(?![${STOP}])[\\u4e00-\\u9fff])`;

const LOC_STRONG =
  '特别行政区|自治区|自治州|自治县|经济开发区|开发区|工业园区|工业园|高新区|新区|新城|街道|小区|社区|新村|花园|家园|名苑|花苑|苑|公寓|大厦|山庄|大道|大街|广场|公园|火车站|高铁站|汽车站|客运站|地铁站|公交站|[东南西北]站|机场|码头|省|市|州|县|区|镇|乡|村';
const LOC_WEAK = '路|街|巷|弄|胡同|湾(?![路街巷道区村镇])|站(?![长台点务])';
const LOC_NUM = '(?:\\d+|[A-Za-z]|[一二三四五六七八九十]+)(?:号楼|号院|号|栋|幢|座|单元|楼|层|室)';
const LOC_AFTER = '(?![场民长委政值面级容别域分块间城钱得心力定静压痛亲里])';
// 路上 stays a place (柳湾路上的路灯): a road needs two characters of name before it, which 马路 / 一路 lack.
const WEAK_AFTER = '(?![过费线灯况人由子途面])';
const LOCATION_ZH = new RegExp(
  `${N}{2,10}?(?:(?:${LOC_STRONG})${LOC_AFTER}|(?:${LOC_WEAK})${WEAK_AFTER})` +
    `(?:${N}{1,10}?(?:(?:${LOC_STRONG})${LOC_AFTER}|(?:${LOC_WEAK})${WEAK_AFTER})|${LOC_NUM})*`,
  'g',
);
const LOC_PREFIX = /^(?:一下|这个|那个|某个|老家|我家|家住|家在|地址|地点|位置|位于|就是|附近|隔壁|对面|旁边|楼下|楼上|一直|现在|目前|当时|今年|去年|前年|以前|之前|上班|工作|生活|居住|举报|投诉|反映|路过|经过|途经|咨询|状告|起诉|控告)+/;
const LOC_BAD = /(?:城市|走投无路|无路可走|新农村)$|^(?:十字路|马路|公路|道路|铁路|小路|大路|山路|水路)$|^[省市县区镇乡村城]里/;
const METRO_STATION = /(?:\d{1,2}|[一二三四五六七八九十]{1,3})号线(?:地铁)?[\u4e00-\u9fff]{2,6}?站(?![长台点务])/g;
const LOC_CUE_BEFORE = /(?:在|住|到|去|于|往|经|址|是|叫|:|：)\s*$/;

const ORG_SUF =
  '有限责任公司|股份有限公司|有限公司|分公司|子公司|集团|物业公司|物业服务中心|公司|物业|加工厂|工厂|厂|人民政府|政府|街道办事处|办事处|街道办|管委会|村委会|居委会|委员会|派出所|公安局|分局|局|法院|检察院|人民医院|医院|卫生院|诊所|小学|中学|大学|学院|学校|幼儿园|银行|支行|分行|超市|商场|酒店|宾馆|饭店|餐厅|服务中心|中心|大队|支队|信访办|拆迁办|管理处|研究所|事务所|合作社|药店|药房|专卖店|门店|美容院|美发店|理发店|地产|置业|教育|养老院|福利院|殡仪馆|火葬场|公墓|陵园|体育馆|图书馆|博物馆|纪念馆|电影院|健身房|培训班|培训机构|网吧|餐饮|店(?![里内外面员主家铺])';
const ORG_ZH = new RegExp(`${N}{1,12}?(?:${ORG_SUF})(?:${N}{0,8}?(?:${ORG_SUF}))*`, 'g');
const ORG_BAD = /^(?:[市城镇县]?中心|重中心|学校|医院|公司|工厂|政府|物业|银行)$|^(?:义务|素质|职业|学前|家庭|继续|高等|基础|思想|安全|法制|特殊|九年|学校)教育$/;
const MEASURE = /^(?:[一两几某这那]|[0-9]+)?[家个所间座]/;
// Time words that run straight into a name (上周五物业 / 去年公司).
const LEAD_TIME = /^(?:(?:上|这|本|下)个?(?:周|星期|礼拜)[一二三四五六日天末]?|(?:上|这|本|下)个?月|大前天|前天|昨天|今天|昨晚|今早|去年|前年|今年|年底|年初|当时|现在|目前|以前|之前|后来|最近|当地|附近|隔壁|对面|旁边|楼下|楼上)+/;

const EN_STOP = new Set(
  'The A An My Our Their His Her Your At In On From To With By For And Or I We They He She It This That Last Yesterday Today When Since After Before Then So But Dear Hello Hi Please Also Because Mr Mrs Ms Dr Local'.split(' '),
);
const ORG_EN_SUF =
  "Ltd\\.?|Limited|Inc\\.?|Incorporated|Corp\\.?|Corporation|Company|Co\\.(?:,? Ltd\\.?)?|LLC|PLC|Group|Hospital|Clinic|School|Academy|University|College|Bank|Hotel|Supermarket|Factory|Bureau|Department|Council|Committee|Agency|Authority|Center|Centre|Police Station|Restaurant|Store|Mall|Properties|Property Management|Realty|Estates";
const ORG_EN = new RegExp(`\\b((?:[A-Z][A-Za-z0-9&'-]*\\s){1,4})(?:${ORG_EN_SUF})(?![A-Za-z])`, 'g');
const ORG_EN_LOWER =
  /\bthe\s((?:[A-Za-z]+\s){1,3})(?:bureau|department|council|authority|agency|police station|committee|hospital|school|company|factory|office|administration)\b/gi;
const GENERIC_MOD = /^(?:same|other|whole|entire|next|first|last|new|old|right|wrong|big|small|only|said|above|relevant|responsible)$/i;

// A named place: capitalised words and a kind of place, then maybe "on Harbour Street" (where it is).
const PLACE_KIND_EN =
  'Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Boulevard|Blvd|Drive|Way|Place|Square|Court|Highway|Terrace|Crescent|Close|Park|Estate|Gardens?|Plaza|Mall|Tower|Building|Village|District|Town|Airport|Station|Terminal|Market|Lake|River|Bay|Hill|Bridge|Centre|Center|Industrial Park|New Town|Inn|Hotel|Resort|Hostel|Scenic Area|Community|Apartments|Residence|Compound|Campus|Stadium|Library';
const STREET_EN = new RegExp(
  `\\b(?:\\d+[A-Za-z]?\\s)?(?:[A-Z][a-z]+\\s){1,3}(?:${PLACE_KIND_EN})\\b\\.?(?:\\s(?:on|in|at|near|off)\\s(?:[A-Z][a-z]+\\s){1,3}(?:${PLACE_KIND_EN})\\b)?`,
  'g',
);
// "in Jade Bay", "near Drum Tower" — not "from": where someone comes from is not where it happened.
const PREP_EN = /\b(?:in|at|near|around|outside|inside|behind|opposite)\s((?:[A-Z][a-z]+)(?:\s[A-Z][a-z]+){0,2})\b/g;
const NOT_PLACE =
  /^(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|English|Chinese|Mandarin|Christmas|Easter|God|Mr|Mrs|Ms|Miss|Dr|My|Your|His|Her|Our|Their|This|That|The|First|Last|Hell|Court)\b/;

function push(out: Found[], type: string, text: string, start: number, end: number): void {
  const value = text.slice(start, end).trim();
  if (value) out.push({ type, value, start, end });
}

const KINDS_OF_PLACE = new RegExp(`(?:${LOC_STRONG}|${LOC_WEAK})`, 'g');

// Words for an area that name none (学区 / 城区 / 景区): with one character before them (划学区), no place.
const AREA_WORDS = /学区|校区|城区|市区|郊区|景区|园区|辖区|片区|山区|矿区|库区|牧区|灾区|老区/g;

/** 小区广场 / 街道社区 are kinds of place, not a place: something must be left once the kinds are taken out. */
function namesSomewhere(value: string): boolean {
  return /\d/.test(value) || value.replace(AREA_WORDS, '').replace(KINDS_OF_PLACE, '').length >= 2;
}

// Parts of speech that never open a place name: a verb, adverb, pronoun, conjunction or preposition
// that the character rules above took in (举报镇上 → 镇上, 经常去的路口).
const NOT_PLACE_START = /^(?:v|vn|vd|d|r|c|p|u)/;

/** Moves `start` past words jieba says cannot open a place name, as long as a name is left. */
function pastLeadingVerbs(words: TaggedWord[], start: number, end: number): number {
  let at = start;
  for (const w of words) {
    if (w.end <= at) continue;
    if (w.start > at || w.end >= end - 1 || w.word.length < 2 || !NOT_PLACE_START.test(w.tag)) break;
    at = w.end;
  }
  return at;
}

export function findLocations(text: string): Found[] {
  const s = scanText(text);
  const out: Found[] = [];
  let words: TaggedWord[] | undefined;
  // A metro station by its line: 3号线金鸡桥站.
  for (const m of s.matchAll(METRO_STATION)) push(out, 'location', text, m.index ?? 0, (m.index ?? 0) + m[0].length);
  for (const m of s.matchAll(LOCATION_ZH)) {
    let start = m.index ?? 0;
    const end = start + m[0].length;
    start += LOC_PREFIX.exec(m[0])?.[0].length ?? 0;
    start += LEAD_TIME.exec(s.slice(start, end))?.[0].length ?? 0;
    start = pastLeadingVerbs((words ??= tagWords(s)), start, end);
    const value = s.slice(start, end);
    if (value.length < 3 || LOC_BAD.test(value) || !namesSomewhere(value) || out.some((f) => f.start < end && start < f.end)) continue;
    const units = value.match(new RegExp(`(?:${LOC_STRONG})|\\d`, 'g'));
    const weakOnly = !units;
    // A road named at a crossing (建设路和学府路的十字路口) is a place without a word like 在 before it.
    const crossing = /^(?:和|与|跟|、)?[^，。！？,.!?]{0,12}(?:十字路口|交叉口|路口)/.test(s.slice(end));
    if (weakOnly && !LOC_CUE_BEFORE.test(s.slice(Math.max(0, start - 3), start)) && !/^[口边旁]/.test(s.slice(end)) && !crossing) continue;
    push(out, 'location', text, start, end);
  }
  for (const m of s.matchAll(STREET_EN)) {
    let start = m.index ?? 0;
    const end = start + m[0].replace(/\.$/, '').length;
    const words = m[0].split(' ');
    let i = 0;
    while (i < words.length - 1 && EN_STOP.has(words[i] ?? '')) start += (words[i++] ?? '').length + 1;
    if (i < words.length - 1) push(out, 'location', text, start, end);
  }
  for (const m of s.matchAll(PREP_EN)) {
    const name = m[1] ?? '';
    if (NOT_PLACE.test(name)) continue;
    const start = (m.index ?? 0) + m[0].length - name.length;
    if (!out.some((f) => f.start < start + name.length && start < f.end)) push(out, 'location', text, start, start + name.length);
  }
  return joinEnglishPlaces(text, out.sort((a, b) => a.start - b.start));
}

// "Room 1508, Zhongxin Tower, Binjiang District" / "Smile Plus 口腔 on Jiefang Road": the pieces of one
// address, from the most precise to the widest, are one place.
const BETWEEN_PARTS = /^(?:,\s*|\s+(?:on|in|at|off|near)\s+|\s+[\u4e00-\u9fff]{1,4}\s+(?:on|in|at|off|near)\s+)$/;
const UNIT_BEFORE = /\b(?:Room|Flat|Unit|Apartment|Apt|Suite|Block|Building|No\.?)\s*[\w-]+,?\s*$/;

function joinEnglishPlaces(text: string, found: Found[]): Found[] {
  const out: Found[] = [];
  for (const f of found) {
    const last = out[out.length - 1];
    const english = /^[A-Za-z0-9]/.test(f.value);
    if (last && english && /^[A-Za-z0-9]/.test(last.value) && BETWEEN_PARTS.test(text.slice(last.end, f.start))) {
      last.end = f.end;
      last.value = text.slice(last.start, last.end).trim();
      continue;
    }
    out.push({ ...f });
  }
  for (const f of out) {
    const unit = /^[A-Za-z0-9]/.test(f.value) ? UNIT_BEFORE.exec(text.slice(Math.max(0, f.start - 24), f.start)) : null;
    if (unit) {
      f.start -= unit[0].length;
      f.value = text.slice(f.start, f.end).trim();
    }
  }
  return out;
}

const ENDS_AS_ORG = new RegExp(`(?:${ORG_SUF})$`);

/**
 * Where a verb between two names starts a new clause (政府督促酒店 → 政府): the first name ends
 * before it. A verb inside one name (嘉陵区实验中学, 华晟建设) is part of it.
 */
function beforeInnerVerb(s: string, words: TaggedWord[], start: number, end: number): number {
  for (const w of words) {
    if (w.start <= start || w.start >= end) continue;
    if (w.word.length >= 2 && /^v/.test(w.tag) && !ORG_VERB_OK.test(w.word) && ENDS_AS_ORG.test(s.slice(start, w.start))) return w.start;
  }
  return end;
}
// Verbs that are part of many organisation names (华晟建设, 城市管理, 物业服务).
const ORG_VERB_OK = /建设|管理|服务|发展|投资|开发|经营|运输|装饰|装修|设计|制造|加工|培训|教育|检测|维修|建筑|执法|监察|监督|保障|治理|规划|咨询|贸易|生产|销售|物流|出行|租赁|保洁|绿化|养护/;
// 一家叫金禾餐饮的公司 / a shop called …: the name given, with the kind of place it is.
const CALLED_ZH = /(?:叫|名叫|叫做|名字叫)([\u4e00-\u9fffA-Za-z0-9]{2,10}?)的(公司|店|厂|工厂|饭店|酒店|超市|中介|机构|培训班|培训机构|学校|诊所|药店|餐馆|作坊|工地|车行|门店)/g;

export function findOrganizations(text: string): Found[] {
  const s = scanText(text);
  const out: Found[] = [];
  let words: TaggedWord[] | undefined;
  for (const m of s.matchAll(CALLED_ZH)) {
    const start = (m.index ?? 0) + m[0].indexOf(m[1] ?? '');
    push(out, 'organization', text, start, start + (m[1] ?? '').length);
  }
  for (const m of s.matchAll(ORG_ZH)) {
    let start = m.index ?? 0;
    let end = start + m[0].length;
    start += LEAD_TIME.exec(s.slice(start, end))?.[0].length ?? 0;
    words ??= tagWords(s);
    start = pastLeadingVerbs(words, start, end);
    end = beforeInnerVerb(s, words, start, end);
    if (out.some((f) => f.start < end && start < f.end)) continue;
    // 这家公司 / 那个厂 / 一家公司: a measure word after a numeral or demonstrative is not part of the name.
    const measure = MEASURE.exec(s.slice(start, end))?.[0] ?? '';
    if (measure.length > 1 || (measure && /[这那一哪某两几\d]$/.test(s.slice(0, start)))) start += measure.length;
    const value = s.slice(start, end);
    if (value.length < 3 || ORG_BAD.test(value)) continue;
    push(out, 'organization', text, start, end);
  }
  for (const m of s.matchAll(ORG_EN)) {
    const base = m.index ?? 0;
    const words = [...(m[1] ?? '').matchAll(/\S+/g)];
    // The name starts after the last function word (At / The / My …) inside the capitalised run.
    let first = 0;
    words.forEach((w, j) => {
      if (EN_STOP.has(w[0].replace(/[.']+$/, ''))) first = j + 1;
    });
    const w = words[first];
    if (!w) continue;
    push(out, 'organization', text, base + (w.index ?? 0), base + m[0].length);
  }
  for (const m of s.matchAll(ORG_EN_LOWER)) {
    const mods = (m[1] ?? '').trim().split(/\s+/);
    if (mods.every((w) => GENERIC_MOD.test(w))) continue;
    const start = m.index ?? 0;
    if (!out.some((f) => f.start < start + m[0].length && start < f.end)) push(out, 'organization', text, start, start + m[0].length);
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Suffixes that name a government body, a court or a hotline: where people complain, not whom about. */
export const AUTHORITY = /(?:局|派出所|政府|法院|检察院|委员会|管委会|大队|支队|信访办|办事处|街道办|仲裁|热线|bureau|department|police|council|authority|agency|court|administration|hotline)$/i;
