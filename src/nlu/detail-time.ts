// Dates and relative times, Chinese and English. Adjacent pieces (去年 + 年底, 上周五 + 晚上) merge.
import type { Entity } from '../domain.js';
import { scanText } from './detail-text.js';

export interface Found extends Entity {
  start: number;
  end: number;
}

const ZN = '[一二三四五六七八九十两几半]|十[一二三四五六七八九]|[二三四五六七八九]十[一二三四五六七八九]?|\\d{1,3}';
const MONTH_ZH = '(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])月(?:份)?';
const DAY_ZH = '(?:3[01]|[12]\\d|0?[1-9]|[一二]?十[一二三四五六七八九]?|三十[一]?|[一二三四五六七八九])[日号](?![楼栋幢室门线院])';
const YEAR_ZH = '(?:(?:19|20)\\d{2}|[一二][〇零○九][〇零○一二三四五六七八九]{2})年';
const REL_YEAR = '(?:大前年|前年|去年|今年|明年)';
const PART = '(?:年底|年初|年中|年末|上半年|下半年|月底|月初|月中|月末|上旬|中旬|下旬|初|底|中旬)';
const DAYPART = '(?:早上|早晨|上午|中午|下午|傍晚|晚上|夜里|半夜|凌晨|深夜|当晚|当天)';
const CLOCK = `(?:\\d{1,2}|十[一二]|[一两二三四五六七八九十])[点时](?:半|\\d{1,2}分|[一二三四五]十分|多|左右)?`;
// 周一 but not 一起 / 一直 / 一样 (下周一起去 = "together next week").
const WEEKDAY = '(?:[一二三四五六日天1-7](?![起直样定些下点般切共致边])|末)';

const ZH: RegExp[] = [
  new RegExp(`${YEAR_ZH}(?:${MONTH_ZH}(?:${DAY_ZH})?)?`, 'g'),
  new RegExp(`(?<![\\d个])${MONTH_ZH}(?:${DAY_ZH})?`, 'g'),
  new RegExp(`(?:${REL_YEAR}|上个?月|这个?月|呢个?月|本月|下个?月)(?:${MONTH_ZH})?(?:${DAY_ZH})?`, 'g'),
  new RegExp(`(?:上个?|这个?|本|下个?)?(?:周|星期|礼拜)${WEEKDAY}`, 'g'),
  new RegExp(`(?<![个几])(?:上个?|这个?|本|下个?)(?:周|星期|礼拜)`, 'g'),
  /(?:大前天|前天|昨天|今天|明天|昨晚|今晚|今早|昨夜|前晚|前几天|这几天|那几天|当天|那天|近日|最近|近期|刚才|年前|年后)/g,
  new RegExp(`(?<!\\d)(?:${ZN}|好几|十几|几十|多)(?:个)?(?:多)?(?:天|周|星期|礼拜|月|年|小时)(?:多)?(?:前|以前|之前|以来|来|了|多了)`, 'g'),
  /(?:春节|过年|国庆|中秋|元旦|清明|端午|五一|十一|教师节|儿童节|暑假|寒假|开学|放假)(?:前|后|期间|前后|的时候|以来|以后|那天|当天)?/g,
  // 这学期 / 上学期开学 / 今年夏天 / 去年冬天
  /(?:这|本|上|下|上个|这个)学期(?:开学)?(?:以来|开始|以后)?|(?:今年|去年|前年)?(?:春天|夏天|秋天|冬天)/g,
  // 干了半年 / 已经三个月 / 好几年没: how long it has gone on
  // (not 买了三个月 / 住了两年: how long something was owned or lived in, not how long the matter has gone on)
  new RegExp(`(?<=(?<![买用开住租养学读报订签办交])了|已经|已|有|快|都|这)(?:${ZN}|好几|十几|几十)(?:个)?(?:多)?(?:天|周|星期|月|年)(?:多)?`, 'g'),
  new RegExp(`(?:好几|十几|几十|${ZN})(?:个)?(?:多)?(?:年|月)(?=没|都没|一直|以来)`, 'g'),
  new RegExp(`(?:${PART})(?![子部线])`, 'g'),
  new RegExp(`${DAYPART}(?:${CLOCK})?`, 'g'),
  /(?<![第\d.])\d{1,2}[点时](?:半|\d{1,2}分|多|左右)?/g,
  /(?<!\d)(?:19|20)\d{2}[-/.](?:1[0-2]|0?[1-9])[-/.](?:3[01]|[12]\d|0?[1-9])(?!\d)/g,
];

const MONTHS = 'January|February|March|April|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec';
const MONTH_EN = `(?:${MONTHS}|(?<=\\b(?:[Ii]n|[Ss]ince|of|[Ll]ast|[Ee]arly|[Ll]ate|[Mm]id|[Uu]ntil|[Tt]ill|[Ff]rom|[Bb]y)\\s)May|May(?=\\s\\d))`;
const MONTH_FULL = `(?:January|February|March|April|June|July|August|September|October|November|December|(?<=\\b(?:[Ii]n|[Ss]ince|of|[Ll]ast|[Ee]arly|[Ll]ate|[Mm]id|[Uu]ntil|[Tt]ill|[Ff]rom|[Bb]y)\\s)May|May(?=\\s\\d))`;
const DAYS = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday';
const COUNT_EN = '\\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|several|many|a couple of';
const ORD = '(?:\\d{1,2}(?:st|nd|rd|th)?)';

const EN: RegExp[] = [
  new RegExp(`\\b${MONTH_EN}\\.?\\s${ORD}(?:,?\\s(?:19|20)\\d{2})?\\b`, 'g'),
  new RegExp(`\\b(?:the\\s)?${ORD}\\s(?:of\\s)?${MONTH_EN}(?:,?\\s(?:19|20)\\d{2})?\\b`, 'g'),
  new RegExp(`\\b(?:(?:[Ss]ince|[Ii]n|[Uu]ntil|[Tt]ill|[Ff]rom|[Ee]arly|[Ll]ate|[Mm]id-?|[Ll]ast)\\s)?${MONTH_FULL}(?:\\s(?:19|20)\\d{2})?\\b`, 'g'),
  new RegExp(`\\b(?:(?:on|last|this|next|since)\\s)?(?:${DAYS})(?:\\s(?:morning|afternoon|evening|night))?\\b`, 'gi'),
  /\b(?:the day before yesterday|yesterday|today|tonight|last night|this morning|this afternoon|this evening|recently|earlier today)\b/gi,
  /\b(?:(?:since|until)\s)?(?:last|this|past)\s(?:week|month|year|weekend|spring|summer|autumn|fall|winter|semester|term)\b/gi,
  /\b(?:since|after|before)\s(?:the\s)?(?:summer|spring|autumn|fall|winter|holidays?|new year|national day|spring festival|october holiday)\b/gi,
  new RegExp(`\\b(?:${COUNT_EN})\\s(?:days?|weeks?|months?|years?|hours?)\\sago\\b`, 'gi'),
  new RegExp(`\\b(?:for|over|since)\\s(?:the\\s(?:past|last)\\s)?(?:(?:about|around|nearly|almost|over|more than)\\s)?(?:${COUNT_EN})\\s(?:days?|weeks?|months?|years?)\\b`, 'gi'),
  /\b(?:the\s)?(?:end|beginning|start|middle)\sof\s(?:last\s|this\s)?(?:week|month|year)\b/gi,
  /\b(?:since|in|during)\s(?:19|20)\d{2}\b/g,
  /\b(?:19|20)\d{2}-(?:1[0-2]|0[1-9])-(?:3[01]|[12]\d|0[1-9])\b/g,
  /\b(?:[12]\d|3[01]|0?[1-9])\/(?:[12]\d|3[01]|0?[1-9])\/(?:19|20)?\d{2}\b/g,
  /\b(?:at\s)?(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?(?:am|pm|a\.m\.|p\.m\.)/gi,
];

/** A time that says when in the calendar (a date, a day, a month, "三个月前", "last week"), not only a time of day. */
const DATE_LIKE =
  /[年月日号周]|星期|礼拜|[昨今前明]天|[昨今]晚|今早|以来|之前|以前|[多几]天|学期|开学|春节|过年|国庆|中秋|元旦|清明|端午|五一|十一|教师节|暑假|寒假|春天|夏天|秋天|冬天|最近|近期|近日|\b(?:ago|since|last|this|yesterday|today|tonight|week|weekend|month|year|semester|term|january|february|march|april|may|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d{4})\b|\d{1,2}\/\d{1,2}/i;
const FUTURE = /明天|后天|明年|下个?月|下个?(?:周|星期|礼拜)|下学期|\b(?:tomorrow|next (?:week|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b/i;

/** Times that recur rather than say when (周末也不停 / every day). */
const RECURRING = /^(?:每个?)?(?:周末|礼拜天|星期天|每天|每周|每晚|天天|平时)$/;

export function isDateLike(value: string): boolean {
  return DATE_LIKE.test(value) && !RECURRING.test(value.trim());
}

/** Still to come (明天 / next week): the time of a threat or a plan, not of what happened. */
export function isFuture(value: string): boolean {
  return FUTURE.test(value);
}

/** Words that say "some time" without saying when; a detail prefers anything more precise. */
export const VAGUE_TIME = /^(?:最近|近期|刚才|近日|recently|today)$/i;

export function findTimes(text: string): Found[] {
  const s = scanText(text);
  const spans: { start: number; end: number }[] = [];
  for (const re of [...ZH, ...EN]) {
    for (const m of s.matchAll(re)) {
      if (!m[0].trim()) continue;
      const start = m.index ?? 0;
      spans.push({ start, end: start + m[0].length });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { start: number; end: number }[] = [];
  for (const sp of spans) {
    const last = merged[merged.length - 1];
    const gap = last ? s.slice(last.end, sp.start) : '';
    if (last && sp.start <= last.end) last.end = Math.max(last.end, sp.end);
    else if (last && /^(?:\s|的|,\s)?$/.test(gap) && joinable(s, last, sp)) last.end = sp.end;
    else merged.push({ ...sp });
  }
  return merged
    .map((sp) => {
      const lead = /^(?:on|at|in|during)\s+/i.exec(s.slice(sp.start, sp.end))?.[0].length ?? 0;
      const start = sp.start + lead;
      return { type: 'time', value: text.slice(start, sp.end).trim(), start, end: sp.end };
    })
    .filter((f) => f.value.length > 0 && !/^(?:初|底|十一|五一)$/.test(f.value));
}

function joinable(s: string, a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  // "March 5, 2024" yes; two separate English phrases separated by a comma, no.
  const gap = s.slice(a.end, b.start);
  return gap !== ', ' || /^(?:19|20)\d{2}/.test(s.slice(b.start));
}
