// Corrections at the summary step: which detail is wrong and, when given, its new value.
import type { Locale, Slot } from '../domain.js';
import { findPersonNames } from './detail-names.js';
import { findDesiredOutcome, findPriorAttempts } from './detail-phrases.js';
import { findPhones } from './detail-pii.js';
import { findLocations, findOrganizations } from './detail-places.js';
import { findTimes } from './detail-time.js';
import { clauses, scanText, trimPunct, truncate } from './detail-text.js';
import { nameIn } from './answer-check.js';

const KEYWORDS: [Slot, RegExp][] = [
  ['contactPhone', /电话|手机|号码|联系方式|\b(?:phone|mobile|cell|number|contact)\b/gi],
  ['contactName', /名字|姓名|称呼|\bname\b/gi],
  ['location', /地址|地点|位置|住址|地方|在哪|\b(?:address|place|location|where|street)\b/gi],
  ['time', /时间|日期|什么时候|哪天|年份|月份|\b(?:date|time|when|day|month|year)\b/gi],
  ['parties', /对方|单位|公司|被投诉|涉及的人|老板|房东|物业|\b(?:company|employer|landlord|who|other party|organi[sz]ation|department|boss)\b/gi],
  ['desiredOutcome', /要求|诉求|希望|想要|\b(?:want|outcome|request|demand|asking for)\b/gi],
  ['priorAttempts', /找过|之前做过|已经做过|尝试|\b(?:tried|already done|attempts?)\b/gi],
  ['issue', /问题|事情|事件|经过|内容|\b(?:issue|problem|what happened|story|description)\b/gi],
];
// "没问题" / "地址是对的" confirm rather than correct; blanked out before keywords are looked for.
const AFFIRMED = /没(?:有)?问题|没错|是对的|正确|\b(?:no problem|is fine|is correct|is right|looks good)\b/i;

const MARKERS_ZH = /应该是|应该在|应该为|应为|应是|改成|改为|换成|更正为|更改为|正确的是|其实是|实际上是|实际是|是在|是/g;
const MARKERS_EN =
  /\b(?:should be|should say|should read|is actually|was actually|actually|change (?:it )?to|changed to|correct (?:one|date|address|number|name) is|it's|it is|it was|is|was)\b/gi;
const NOT_A_COPULA = /(?:不|但|可|还|就|只|要|于|总|或|凡|真|也|都|算|像|倒)$/;
const EVALUATIVE = /^(?:错|不对|不正确|有误|错误|写错|搞错|弄错|不准|wrong|incorrect|not right|not correct|off|mistaken|a mistake|an error|bad|not)/i;
const CUT_ALTERNATIVE = /(?:[,，]\s*(?:不是|而不是)|[,，]\s*not\b|[,，]?\s*而不是).*$/i;
const TAIL = /(?:才对|才是|吧|的|哦|啊|呢|了)+$/;

function valueFrom(rest: string): string | null {
  let best: string | null = null;
  for (const re of [MARKERS_ZH, MARKERS_EN]) {
    for (const m of rest.matchAll(re)) {
      if (m[0] === '是' && NOT_A_COPULA.test(rest.slice(0, m.index))) continue;
      const after = rest.slice(m.index + m[0].length).split(/[。！？!?\n；;]|\.(?=\s|$)/)[0] ?? '';
      const v = trimPunct(trimPunct(after).replace(CUT_ALTERNATIVE, '')).replace(TAIL, '');
      if (v && !EVALUATIVE.test(v)) best = v;
    }
  }
  return best ? truncate(best, 200) : null;
}

function entityValue(slot: Slot, text: string): string | null {
  const pick = (list: { value: string }[]): string | null => list[list.length - 1]?.value ?? null;
  switch (slot) {
    case 'contactPhone':
      return pick(findPhones(text));
    case 'contactName':
      return pick(findPersonNames(text));
    case 'location':
      return pick(findLocations(text));
    case 'time':
      return pick(findTimes(text));
    case 'parties':
      return pick(findOrganizations(text));
    default:
      return null;
  }
}

const CORRECTION_MARK = /不对|错了|写错|搞错|弄错|说错|打错|记错|有误|不准确|应该是|应该在|改成|改为|更正|\b(?:wrong|incorrect|should be|not right|mistake)\b/i;
// Said of something told earlier: "其实是…", "actually it was …", "I mean …", "sorry, it's …".
const SELF_CORRECTION = /其实是|实际上是|准确地说|我是说|\b(?:actually|i mean|sorry,? (?:it'?s|it was|the)|to be exact|correction)\b/i;

/** The message says outright that something told before was wrong; only then is a detail changed outside the summary. */
export function isCorrectionMarked(text: string): boolean {
  const s = scanText(text);
  return CORRECTION_MARK.test(s) || SELF_CORRECTION.test(s);
}

export function detectCorrection(text: string, locale: Locale): { slot: Slot; value: string | null } | null {
  void locale;
  // A clause that confirms something ("地址没问题") names a detail that is *not* being corrected.
  let s = scanText(text);
  for (const c of clauses(s)) {
    if (AFFIRMED.test(c.text) && !CORRECTION_MARK.test(c.text)) s = s.slice(0, c.start) + ' '.repeat(c.end - c.start) + s.slice(c.end);
  }
  let slot: Slot | null = null;
  let at = Infinity;
  let keyEnd = 0;
  for (const [name, re] of KEYWORDS) {
    for (const m of s.matchAll(re)) {
      if (m.index < at) {
        slot = name;
        at = m.index;
        keyEnd = m.index + m[0].length;
      }
      break;
    }
  }
  if (!slot) {
    // A bare new phone number, or "应该是去年三月" / "应该是朝阳区" with a recognisable value.
    const phone = entityValue('contactPhone', text);
    if (phone) return { slot: 'contactPhone', value: phone };
    if (!CORRECTION_MARK.test(s) && !SELF_CORRECTION.test(s)) return null;
    for (const guess of ['location', 'time'] as const) {
      const v = entityValue(guess, text);
      if (v) return { slot: guess, value: v };
    }
    return null;
  }
  const rest = text.slice(keyEnd);
  const typed = entityValue(slot, rest) ?? entityValue(slot, text) ?? (slot === 'contactName' ? nameIn(rest) : null);
  if (slot === 'contactPhone' || slot === 'contactName') {
    if (typed) return { slot, value: typed };
    if (slot === 'contactPhone') return { slot, value: null };
  }
  const marked =
    valueFrom(scanText(rest)) ??
    (slot === 'desiredOutcome' ? findDesiredOutcome(text)?.value : undefined) ??
    (slot === 'priorAttempts' ? findPriorAttempts(text)?.value : undefined) ??
    null;
  const value = marked ?? (slot === 'location' || slot === 'time' || slot === 'parties' ? typed : null);
  return { slot, value: value && value.length > 0 ? value : null };
}
