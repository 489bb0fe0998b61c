// Judging a reply before it is stored: does it answer the question the bot asked? Each detail has a
// check of what an answer can look like — a place, a time expression, an organisation or person, a
// wish, an attempt, a name, a phone number — built on the entity extractors and jieba's parts of
// speech. A reply that is a feeling, more of the story, a question back or a complaint about the
// office is not an answer, whatever question came before it.
import type { Slot } from '../domain.js';
import { findPersonNames, SURNAME_START } from './detail-names.js';
import { findPhones } from './detail-pii.js';
import { AUTHORITY, findLocations, findOrganizations } from './detail-places.js';
import { isOnlyPunctuation, trimPunct, truncate } from './detail-text.js';
import { findTimes, isDateLike } from './detail-time.js';
import { isNoneAnswer } from './detail-decline.js';
import { findPartyRole, findPriorAttempts } from './detail-phrases.js';
import { tagWords } from './segmenter.js';
import type { ReplyActs } from './reply-acts.js';

const HAN = /[\u4e00-\u9fff]/;
const MAX = 500;

/** A bare yes / no / ok: it answers a yes-no question, never a question for a detail. */
const BARE_REPLY =
  /^(?:对|对的|是|是的|嗯|嗯嗯|好|好的|行|可以|没错|没问题|对的没问题|不是|不对|没有|ok|okay|yes|yeah|yep|no|nope|sure|right|correct|that is right|that's right|yes,? that is right)[\s,，。.!！~]*(?:没问题|是的|对的|thanks|thank you)?[\s,，。.!！~]*$/i;

// Words of an account (what someone did) rather than a description of a place or a party.
const NARRATIVE_EN =
  /\b(?:i|we|he|she|they|it|my \w+|our \w+|the (?:driver|boss|manager|owner|landlord|shop|company))\s+(?:\w+ly\s+)?(?:\w+ed|fell|went|came|got|did|had|kept|took|threw|said|told|broke|began|ran|left|made|gave|won't|can't|didn't|never)\b/i;
const SPEECH_ZH = /说|骂|讲|问|告诉|回复|答复/;
const PLACE_VERBS = new Set(['在', '住', '位于', '就在', '是', '叫', '到', '往', '去']);

function verbsOutside(text: string, spans: { start: number; end: number }[]): string[] {
  return tagWords(text)
    .filter((w) => w.tag.startsWith('v') && !PLACE_VERBS.has(w.word))
    .filter((w) => !spans.some((sp) => sp.start <= w.start && w.end <= sp.end))
    .map((w) => w.word);
}

/** An account of events: several verbs outside the named things, speech, or a subject doing something (en). */
function isNarrative(text: string, spans: { start: number; end: number }[] = []): boolean {
  if (NARRATIVE_EN.test(text)) return true;
  if (!HAN.test(text)) return false;
  const verbs = verbsOutside(text, spans);
  return verbs.length >= 2 || (verbs.length === 1 && (SPEECH_ZH.test(verbs[0] ?? '') || /了|过/.test(text) && /[我他她]/.test(text)));
}

// Places that are not proper names but answer "where": landmarks, kinds of site, relative positions —
// as whole words (街坊, 村民, 号码 are not places).
const PLACE_WORD_ZH =
  /(?:门口|楼下|楼上|对面|旁边|附近|路口|交叉口|市场|工地|车站|站|站台|广场|公园|村|小区|社区|院子|楼|栋|幢|单元|号|店|厂|学校|医院|卫生院|诊所|银行|超市|商场|饭店|酒店|宾馆|餐馆|公司|家里|后山|山上|河边|江边|湖边|桥下|桥|停车场|车库|仓库|码头|机场|街|路|巷|弄|大道|镇|乡|县|区|市|省|窗口|大厅|办公室|宿舍|食堂|操场|教室|泳池|游泳馆|体育馆|中心|园区|景区|农场|养殖场)$/;

function hasPlaceWord(s: string): boolean {
  if (PLACE_NOUN_EN.test(s) || /\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)+\b/.test(s)) return true;
  return HAN.test(s) && tagWords(s).some((w) => PLACE_WORD_ZH.test(w.word) && !/^[vdpcru]/.test(w.tag));
}
const PLACE_NOUN_EN =
  /\b(?:floor|building|block|tower|plaza|mall|market|station|airport|terminal|gate|warehouse|park|street|st|road|rd|avenue|ave|lane|boulevard|highway|village|district|county|town|city|estate|compound|community|neighbou?rhood|shop|store|restaurant|hotel|school|university|college|hospital|clinic|factory|site|office|centre|center|square|bridge|river|lake|beach|port|harbou?r|corner|apartment|flat|room|unit|near|outside|opposite|behind|next to|across from|in front of)\b/i;

function placeAnswer(s: string): string | null {
  const named = [...findLocations(s), ...findOrganizations(s)];
  const strong = named.length > 0 || tagWords(s).some((w) => (w.tag === 'ns' || w.tag === 'nt') && w.word.length >= 2);
  const weak = hasPlaceWord(s);
  if (!strong && !weak) return null;
  if (isNarrative(s, named)) return null;
  // A place noun alone ("往楼上飘") needs the reply to be about where: short, with no other story in it.
  if (!strong && (HAN.test(s) ? s.replace(/[^\u4e00-\u9fff]/g, '').length > 16 : s.split(/\s+/).length > 12)) return null;
  const trimmed = trimPunct(s.replace(/^(?:就是|就在|是在|在|位于|地址是|地点是|地方是|就|是)\s*/, '').replace(/(?:那里|那边|那儿|这里|这边|这儿|那块|那一块)?[\s,，。.!！]*$/, ''));
  return trimmed || s;
}

/** Rough answers to "when": 一直 / 好多年了 / for years. */
const VAGUE_WHEN = /一直|很久|好久|好多年|好几年|老早|多年|长期|每年|每次|从小|always|for years|a long time|ages|ever since/i;

/**
 * An answer to "when": it opens with a date ("上个月中旬买的", "last Sunday around 11 pm"), or is
 * short and says a time. An account of events that mentions a day ("my daughter fell in it
 * yesterday …") is story; the time is taken from it as from any account (extractDetails).
 */
function timeAnswer(s: string): string | null {
  const times = findTimes(s);
  if (!times.length && !VAGUE_WHEN.test(s)) return null;
  // The reply opens with when: the time starts the first clause or is most of it.
  const firstClause = s.split(/[,，;；。.!！]/)[0] ?? s;
  const opening = findTimes(firstClause).some((t) => isDateLike(t.value) && (t.start <= 3 || (t.end - t.start) * 2 >= firstClause.trim().length));
  if (opening || VAGUE_WHEN.test(firstClause)) return s;
  const short = HAN.test(s) ? s.replace(/[^\u4e00-\u9fff\d]/g, '').length <= 12 : s.split(/\s+/).length <= 8;
  // A time of day in a longer account ("晚上睡觉都要关窗") says when it hurts, not when it happened.
  return short && !isNarrative(s) ? s : null;
}

// Who: roles, kinds of organisation and people, as a description rather than an account.
const PARTY_WORD_ZH =
  /老板|老板娘|工头|包工头|公交|车牌|车主|出租车|老总|主任|书记|干部|镇长|乡长|村长|局长|科长|所长|站长|院长|店长|厂长|校长|组长|队长|班长|保安|门卫|店员|员工|档主|档口|摊位|摊子|经理|主管|领导|负责人|司机|师傅|房东|中介|物业|业委会|开发商|商家|店家|店主|摊主|卖家|厂家|公司|工厂|厂|单位|学校|老师|班主任|校长|医院|医生|护士|城管|村委|村干部|村支书|村长|街道|社区|居委会|派出所|民警|警察|政府|部门|局|站|工地|施工队|装修队|邻居|住户|业主|楼上|楼下|那家|这家|他们|那个人|一个人|外地人|老乡|承包|个体户/;
const PARTY_WORD_EN =
  /\b(?:boss|manager|supervisor|owner|landlord|landlady|agent|agency|company|firm|factory|shop|store|restaurant|hotel|school|teacher|principal|hospital|doctor|nurse|clinic|driver|drivers|police|officer|department|bureau|office|government|council|committee|contractor|developer|property|management|neighbou?rs?|people|men|guys|trucks?|seller|vendor|they|them|someone|somebody|nobody|no one|staff|workers?)\b/i;

function partiesAnswer(s: string): string | null {
  if (findOrganizations(s).length || findPersonNames(s).length) return s;
  if (tagWords(s).some((w) => (w.tag === 'nr' || w.tag === 'nt' || w.tag === 'nz') && w.word.length >= 2)) return s;
  if (PARTY_WORD_ZH.test(s) || PARTY_WORD_EN.test(s) || /\b[A-Z][a-z]+\b/.test(s.replace(/^\s*\S+/, ''))) return s;
  return null;
}

// A wish: what should be done, for whom, by whom. Explicit wish words settle it; the verbs of a
// demand (把…关了, 退钱, fix it) do unless the reply tells what someone else did.
// With the Cantonese of a wish: 快啲 (尽快), 唔该 (请), 整返/修返/赔返/退返 (… back).
const WISH_EXPLICIT_ZH = /希望|要求|请求|恳请|请|想要|想让|要|应该|必须|别再|不要再|不准|不能再|不许|禁止|尽快|赶紧|早点|说法|公道|快啲|早啲|唔该|(?:整|修|赔|退|还|搞)返/;
const WISH_ZH =
  /让|把|给我|给个|给我们|赔|退|还给|还钱|还我|修好|修一修|修一下|维修|修理|修复|查一下|查清|查处|查查|调查|处理|解决|管一管|管管|取缔|关掉|关了|停工|停止|停业|停下|恢复|道歉|公开|追回|立案|整改|拆掉|拆除|搬走|搬迁|清理|更换|换掉|补偿|补发|发下来|发给|结清|按规定|按标准|负责|监管|处罚|罚款|多开|增加|减少|降价|降低|开门|介入|督促|复工|交楼|整治|保障|落实|协调|帮忙|帮助|回复|答复|取消|撤销|退还|安排|解释|核实|装上|安装|疏通/;
const WISH_EN =
  /\b(?:want|wants|would like|'d like|wish|hope|please|should|must|need|demand|ask|refund|repair|fix|return|pay|punish|apolog(?:y|ise|ize)|catch|clean|inspect|investigate|stop|remove|compensat\w*|give|make|get|close|shut|replace|check|fill|test|fine|ban|reopen|reduce|lower|enforce|order|force|deal with|take action|look into|money back|back|move|put up|turn off|install|provide|build|allow|let|keep|tell|explain|decision|answer|reply|warn|enforce|protect|help)\b/i;
const OTHERS_DID = /(?:[他她]|他们|她们|老板|司机|对方|工头|物业|店家|商家).{0,12}[了过]/;

// What the other side wants or said is not the petitioner's wish ("they want another 8000 to fix it").
const THEIR_WORDS = /\b(?:they|he|she|the \w+)\s+(?:\w+\s+){0,2}?(?:want|wants|wanted|need|needs|asked|asks|said|says|told|charge|charged|demand|demanded)\b[^,.;!?]*|(?:他们|他|她|对方|老板|店家)(?:说|要|让)[^，。；！？,.;!?]*/gi;

/** No wish but resignation or a feeling: 还能要求什么呢 / 不敢奢望什么 / 没什么要求. */
const NO_WISH = /(?:还|又)?能(?:要求|求|指望|奢望)(?:些)?(?:什么|啥)|不敢(?:要求|奢望|指望)|没(?:有)?(?:什么|啥)(?:要求|指望|想法)|\b(?:what (?:else )?can (?:i|we) (?:ask|hope) for|i don'?t expect anything)\b/i;
/** 要 of having to, not of wanting: 每次都要我背她上去 / 还要自己垫钱. */
const HAVING_TO = /(?:都|还|又|就|得|需|总)要(?=我|我们|自己|他|她|[一二三四五六七八九十两几\d])/g;

function wishAnswer(text: string): string | null {
  if (NO_WISH.test(text)) return null;
  const s = text.replace(THEIR_WORDS, ' ').replace(HAVING_TO, ' ');
  if (WISH_EXPLICIT_ZH.test(s) || WISH_EN.test(s)) return text;
  if (WISH_ZH.test(s) && !OTHERS_DID.test(s)) return text;
  // Neither a wish word nor an account of what happened: a short demand in other words ("多开几个窗口"),
  // if it says something (two words at least).
  const words = (text.match(/[\u4e00-\u9fff]/g)?.length ?? 0) / 2 + (text.match(/[A-Za-z]+/g)?.length ?? 0);
  return isNarrative(text) || s !== text || text.length > 80 || words < 2 ? null : text;
}

const ATTEMPT_ZH =
  /找[^，。！？,.!?]{1,10}(?:要过|要了|问过|问了|谈过|谈了|说过|说了|反映|理论)|(?:他|她|他们|她们|对方|那边|人家|经理|老板|物业|客服|工作人员|窗口|领导)(?:就|只|都|也)?(?:说|讲|回复|答复|回答|推说)|找过|找了|去过|去了|问过|问了|打过|打了|说过|讲过|讲了|提过|提了|反映过|反映了|投诉过|举报过|报案|报警|报过|联系过|求助|上访|信访|12345|热线|起诉|仲裁|写过|写了|发过|敲门|理论|协商|沟通过|去找|找到|找物业|找老板|打电话|留言|没找|没有找|没去|还没|没敢|不敢|第一次|头一次|没人管|都没用|没用|推给|要说法|讨说法|讨个说法|[跟和向给].{1,8}(?:说|讲|提|反映|反应|投诉|打电话)|去.{1,8}(?:找|问|要|讨|说|投诉|反映|报)/;
const ATTEMPT_EN =
  /\b(?:(?:i|we) (?:call|go|ask|tell|report|complain|write|talk|speak|visit|try|send|contact)|called|phoned|rang|went|gone|go back|going back|go there|visited|refused|ignored|said|replied|responded|promised|reported|complained|contacted|asked|wrote|emailed|messaged|spoke|talked|told|tried|sued|filed|raised|posted|none|nothing|nobody|no one|not yet|first time|haven'?t|never|didn'?t|dares?|afraid)\b/i;

/** What they tried names a step (找过 / called / went back) or that there was none (没有 / not yet). */
function attemptAnswer(s: string): string | null {
  return ATTEMPT_ZH.test(s) || ATTEMPT_EN.test(s) || isNoneAnswer(s) ? s : null;
}

// 张先生 / 李女士 / 陈阿姨 / 王师傅 / 關生 (Cantonese) …: a surname with a title is a name.
const TITLES =
  '先生|女士|小姐|阿姨|大爷|大妈|大娘|大姐|大哥|大叔|大伯|姐|哥|叔|伯|婶|嫂|姨|师傅|老师|生|太|太太|婆婆|奶奶|爷爷|老太|老伯|总|工|老板|大夫|医生|律师|同学';
const NAME_PREFIX = /^(?:我叫|叫我|你就叫我|就叫我|称呼我|我是|本人|我姓|免贵姓|姓|名字叫|名字是|我的名字是|联系人是?|联系人[:：])\s*/;
const NAME_SUFFIX = /(?:就行了?|就好了?|就可以了?|即可|吧|啊|呀|哈|的|了)+$/;
const NOT_NAME_ZH = /[不没想说吗呢么我你他她们要给这那个有在谁什么为啥匿名保密随便算]|知道|清楚/;
const EN_NAME_STOP =
  /^(?:no|not|none|don't|dont|prefer|rather|skip|i|you|why|what|say|want|yes|ok|okay|sure|hello|hi|thanks|thank|anonymous|later|please|the|is|my|name|it|that|this|nothing|private|secret|pass|of|course|unknown|none|sorry|idk|dunno|whatever|instead|same|number|phone|wife|husband|also|just|here|there|again|thanks|hi|hello)$/i;

function zhName(text: string): string | null {
  const t = trimPunct(text).replace(NAME_PREFIX, '').replace(NAME_SUFFIX, '').trim();
  if (!/^[\u4e00-\u9fff]{1,5}$/.test(t) || NOT_NAME_ZH.test(t)) return null;
  const titled = new RegExp(`^(?:[老小阿])?(.{1,2}?)(?:${TITLES})$`).exec(t);
  if (titled && SURNAME_START.test(titled[1] ?? '')) return t;
  if (/^[老小阿]/.test(t) && t.length <= 3 && SURNAME_START.test(t.slice(1))) return t;
  if (t.length === 1) return SURNAME_START.test(t) ? t : null;
  if (t.length <= 4 && SURNAME_START.test(t)) return t;
  return null;
}

/** A name in a reply that says more ("Mei Su. Same phone number.", "是俞晓玫，玫瑰的玫"): the first piece that is one. */
export function nameIn(text: string): string | null {
  for (const piece of text.split(/[,，。.!！?？;；:：]\s*|\s+(?=[\u4e00-\u9fff])/)) {
    const t = piece.replace(/^(?:是|应该是|叫|名字是|改成|改为)/, '').trim();
    // Inside a longer reply an English name is capitalised ("Mei Su"), unlike the words around it.
    if (t && t !== text && (/[\u4e00-\u9fff]/.test(t) || /^[A-Z]/.test(t))) {
      const name = nameAnswer(t);
      if (name) return name;
    }
  }
  return null;
}

/** Words that make a capitalised run a business or a place ("Red Lantern Hotpot"), not a person. */
const BUSINESS_WORD =
  /^(?:hotpot|restaurant|cafe|café|shop|store|salon|clinic|pharmacy|bar|hotel|inn|company|co|ltd|realty|agency|electronics|logistics|trading|construction|group|bank|school|hospital|centre|center|mall|plaza|market|tower|street|road|avenue|park|garden|gardens|district|station|airport|office|bureau|department|apartments|community|library|academy|university|college|factory|studio|gym|club|services?|management|properties)$/i;

function nameAnswer(text: string): string | null {
  const found = findPersonNames(text);
  const cued = found.find((n) => n.kind === 'full') ?? found[0];
  if (cued && trimPunct(text).length <= cued.value.length + 12) return cued.value;
  const zh = zhName(text);
  if (zh) return zh;
  const t = trimPunct(text).replace(/^(?:my name is|my name's|i'm|i am|it's|it is|this is|call me|name:)\s*/i, '').replace(/[.!]+$/, '');
  const words = t.split(/\s+/);
  if (words.length > 4 || !words.every((w) => /^[A-Za-z][A-Za-z'.-]*$/.test(w))) return /[,，。.;；]/.test(text) && text.length < 60 ? nameIn(text) : null;
  if (words.some((w) => EN_NAME_STOP.test(w) || BUSINESS_WORD.test(w))) return null;
  return t;
}

/**
 * The value this reply gives for the detail asked, judged by what an answer to it can look like;
 * null when it does not answer it (declines and "don't know" are told apart by the caller). The
 * value is in the petitioner's own wording where it can be (acts.written).
 * @param text the normalised reply; @param acts what else it does (questions, filler …).
 */
export function judgeAnswer(slot: Slot, text: string, acts: ReplyActs): string | null {
  if (slot === 'contactPhone') {
    const phones = findPhones(text);
    return (phones.find((p) => !p.value.includes('-')) ?? phones[0])?.value ?? null;
  }
  // What can answer: the reply without its filler, questions and complaints about the office.
  // "没有了" to "have you tried anything": an answer (none), though it adds nothing to the story.
  if ((slot === 'priorAttempts' || slot === 'parties') && isNoneAnswer(text)) return trimPunct(text);
  // A bare surname ("陈") is too short to be anything but filler elsewhere; asked for a name, it is one.
  const content = acts.content ?? (slot === 'contactName' && /^[\u4e00-\u9fff]$/.test(trimPunct(text)) ? trimPunct(text) : null);
  if (!content || isOnlyPunctuation(content) || BARE_REPLY.test(content.trim())) return null;
  const judged = JUDGES[slot]?.(content);
  if (!judged) return null;
  return truncate(asWritten(judged, content, acts.written ?? content).trim(), MAX);
}

/** The part `judged` of `content`, taken from the same place in the written form when the two line up. */
function asWritten(judged: string, content: string, written: string): string {
  if (written.length !== content.length) return judged;
  const at = content.indexOf(judged);
  return at < 0 ? judged : written.slice(at, at + judged.length);
}

const JUDGES: Partial<Record<Slot, (content: string) => string | null>> = {
  location: placeAnswer,
  time: timeAnswer,
  parties: partiesAnswer,
  desiredOutcome: wishAnswer,
  priorAttempts: attemptAnswer,
  contactName: nameAnswer,
};

export { isNarrative };

// Without a question asked, only evidence that leaves little doubt names the detail a reply gives.
const STRICT_PARTY_ZH =
  /老板|老板娘|工头|包工头|老总|经理|主管|负责人|司机|房东|中介|物业|业委会|开发商|商家|店家|店主|摊主|卖家|厂家|公司|工厂|单位|学校|班主任|校长|医院|医生|城管|村委|村干部|村支书|村长|居委会|派出所|民警|施工队|装修队|邻居|承包|站点|平台|医保|社保/;
const STRICT_PARTY_EN =
  /\b(?:company|shop|store|factory|boss|manager|landlord|driver|agency|owner|contractor|department|bureau|office|police|platform|guide|school|hospital|clinic|hotel|restaurant)\b/i;
// Who runs or answers for it: "the street office runs it", 这块归街道管, 是物业负责的.
const IN_CHARGE = /\b(?:runs?|manages?|owns?|operates?|in charge|responsible)\b|负责|归.{1,10}管|是.{1,10}管的/i;

/** The party named in a reply, as a name or role rather than the whole sentence. */
// Who they are rather than what they did: a name, a kind of business, where they come from.
const IDENTITY = /叫|姓|名字|是谁|承包|开的|办的|不晓得|不知道|不清楚|外地|本地|个体|私人|就是|是个|是一家|是那家|\b(?:called|named|owned by|run by|it'?s|is a|are)\b/i;

function strictParties(s: string): string | null {
  if (s.length > 80) return null;
  // A short answer about who is kept in the petitioner's words ("外地来的一个老板承包的，叫啥不晓得"); an
  // account of what someone did ("那个医生根本没有行医资格证") is story.
  const short = HAN.test(s) ? s.length <= 30 : s.split(/\s+/).length <= 12;
  const who = STRICT_PARTY_ZH.test(s) || STRICT_PARTY_EN.test(s) || findOrganizations(s).length > 0 || Boolean(findPartyRole(s));
  if (short && who && (IDENTITY.test(s) || !isNarrative(s))) return s;
  if (isNarrative(s) && !IDENTITY.test(s)) return null;
  const orgs = findOrganizations(s).map((o) => o.value);
  if (orgs.length) return orgs.slice(0, 2).join(HAN.test(s) ? '、' : ', ');
  const role = findPartyRole(s);
  if (role) return role;
  if (findPersonNames(s).length) return s;
  // A longer reply that only mentions a kind of party in passing is story, not an answer about who.
  return short && (STRICT_PARTY_ZH.test(s) || (STRICT_PARTY_EN.test(s) && !NARRATIVE_EN.test(s))) ? s : null;
}

// First-person wishes and requests put as an order: in English, "they want to charge me" is not a wish.
const STRICT_WISH_EN =
  /\b(?:i|we)\s+(?:just\s+|only\s+|really\s+)?(?:want|would like|'d like|wish|hope|need|demand|ask)\b|^(?:please\s+)?(?:refund|repair|fix|return|pay|punish|catch|clean|inspect|investigate|stop|remove|compensate|give|make them|close|shut|replace|check|fill|test|fine|ban|reopen|reduce|lower|move|put|turn|install|provide|build|tell|explain|enforce)\b|\b(?:should|must) be\b/i;

// Remedies named as nouns: "an investigation, a proper apology, and more staff on the night shift".
const REMEDY_EN =
  /\b(?:apology|apologise|investigation|refund|compensation|repairs?|inspection|punishment|penalty|fine|explanation|written answer|decision|money back|full refund|more staff|accountability|justice)\b/i;

// Told without being asked, a wish has to be put as one: 要 alone ("每次都要我背她") is not enough.
const STRICT_WISH_ZH = /希望|要求|请求|恳请|请(?!假|客|问)|想要|想让|应该|必须|别再|不要再|不准|不能再|不许|禁止|尽快|赶紧|早点|说法|公道|快啲|早啲|唔该|(?:我|我们)(?:就|只|一定)?要(?!是|不然|我)|要(?:他们|对方|你们|政府|物业|老板|学校|医院|公司|厂里|商家)/;

function strictWish(s: string): string | null {
  if (NO_WISH.test(s)) return null;
  if (!HAN.test(s)) return STRICT_WISH_EN.test(s) || (REMEDY_EN.test(s) && !NARRATIVE_EN.test(s)) ? s : null;
  const t = s.replace(HAVING_TO, ' ');
  return STRICT_WISH_ZH.test(t) || (WISH_ZH.test(t) && !OTHERS_DID.test(t) && !/我.{0,6}[了过]/.test(t)) ? s : null;
}

function bareName(s: string): string | null {
  const t = trimPunct(s);
  if (/[\u4e00-\u9fff]/.test(t) ? t.length > 6 : t.split(/\s+/).length > 3) return null;
  return nameAnswer(t);
}

/** Words that may stand around a time without telling anything else (大概 / 开始的 / about). */
const AROUND_TIME = /[大概约就是在从到起开始以来左右的了吧啊呢,，。.\s]|\b(?:about|around|roughly|since|from|it|was|started|began|ago)\b/gi;

/** "上个月中旬" alone is the time; "教师节让家长群里每家交200块" has a time in an account. */
function timeOnly(s: string): string | null {
  if (!timeAnswer(s)) return null;
  const times = findTimes(s).filter((t) => isDateLike(t.value));
  let rest = s;
  for (const t of times) rest = rest.replace(t.value, '');
  return rest.replace(AROUND_TIME, '').length <= 3 ? s : (times[0]?.value ?? null);
}

/**
 * A business named alone ("Red Lantern Hotpot", 鸿运石材加工厂) is whom the petition is about; with
 * its street or district ("… on Plum Blossom Road", 樟木乡卫生院) it is where.
 */
function businessAlone(s: string): string | null {
  if (findLocations(s).length) return null;
  const words = s.trim().split(/\s+/);
  const last = words[words.length - 1]?.replace(/[.,]$/, '') ?? '';
  if (/^[A-Z]/.test(s.trim()) && words.length <= 5 && BUSINESS_WORD.test(last)) return s.trim();
  const orgs = findOrganizations(s);
  const org = orgs.length === 1 ? orgs[0] : undefined;
  const alone = org && org.value.length >= s.replace(/^(?:就是|是|那家|这家)/, '').trim().length - 2;
  return alone && !AUTHORITY.test(org.value) ? org.value : null;
}

/** A reply that is a place and little else: what is left once the places are taken out is short. */
const PLACE_FILLER = /十字路口|交叉口|路口|门口|附近|旁边|对面|楼下|楼上|后面|前面|里面|边上|那里|这里|那边|这边|[的和与在就是]/g;

function compactPlace(s: string): boolean {
  let rest = s;
  for (const f of [...findLocations(s), ...findOrganizations(s)]) rest = rest.replace(f.value, ' ');
  rest = rest.replace(PLACE_FILLER, ' ');
  const han = rest.replace(/[^\u4e00-\u9fff]/g, '').length;
  const words = rest.replace(/[\u4e00-\u9fff]/g, ' ').split(/\s+/).filter((w) => /[a-z]/i.test(w)).length;
  return han <= 10 && words <= 6;
}

/**
 * A reply that is a place and little else; or one that opens with the place and goes on
 * ("柘林镇下坝村东边的小河，上游两里路就是那个印染厂"), of which the place is the opening clause.
 */
function placeOnly(s: string): string | null {
  const place = placeAnswer(s);
  if (place && compactPlace(s)) return place;
  const first = s.split(/[,，;；。]/)[0] ?? '';
  if (first === s || !findLocations(first).some((l) => l.start <= 2)) return null;
  return placeAnswer(first) && compactPlace(first) ? (placeAnswer(first) as string) : null;
}

/**
 * The order in which an unprompted reply is tried, the most recognisable shapes first, and whether
 * the detail is the whole reply or the reply tells more (then it is story as well).
 */
const VOLUNTEERED: [Slot, (content: string) => string | null, 'whole' | 'part'][] = [
  ['contactName', bareName, 'whole'],
  ['parties', (content) => (IN_CHARGE.test(content) ? strictParties(content) : null), 'whole'],
  ['parties', businessAlone, 'whole'],
  ['time', timeOnly, 'whole'],
  ['location', placeOnly, 'whole'],
  ['priorAttempts', (content) => (findPriorAttempts(content) || isNoneAnswer(content) ? content : null), 'part'],
  ['desiredOutcome', strictWish, 'whole'],
  ['parties', strictParties, 'whole'],
];

/**
 * A reply to no question in particular (after "您接着说"): the detail it gives, when its shape
 * leaves little doubt, and whether the reply tells more than that detail (`more`: it is story too);
 * null when it is more of the story.
 */
export function volunteeredAnswer(text: string, acts: ReplyActs): { slot: Slot; value: string; more: boolean } | null {
  const content = acts.content;
  if (!content || acts.filler || BARE_REPLY.test(content.trim()) || findPhones(text).length) return null;
  for (const [slot, judge, kind] of VOLUNTEERED) {
    const judged = judge(content);
    if (!judged) continue;
    // Shorter than the reply, or an account in itself ("自来水公司说表没问题…"): the reply is story too.
    const more = kind === 'part' || judged.length < content.length * 0.8 || (slot === 'parties' && isNarrative(content));
    return { slot, value: truncate(asWritten(judged, content, acts.written ?? content).trim(), MAX), more };
  }
  return null;
}
