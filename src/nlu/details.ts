// Case details from free text: everything recognisable in one (possibly long) message, the value of
// an answer to a specific question, declines and corrections. `issue` is never filled here.
import type { Details, Entity, Locale, Slot } from '../domain.js';
import { detectDecline, isNoneAnswer } from './detail-decline.js';
import { findPersonNames } from './detail-names.js';
import { findDesiredOutcome, findPartyRoles, findPriorAttempts } from './detail-phrases.js';
import { findPhones } from './detail-pii.js';
import { AUTHORITY } from './detail-places.js';
import { type Span, isOnlyPunctuation, scanText, trimPunct, truncate } from './detail-text.js';
import { VAGUE_TIME, isDateLike, isFuture } from './detail-time.js';
import { type LocatedEntity, extractEntities } from './entities.js';

export { detectDecline } from './detail-decline.js';
export { detectCorrection, isCorrectionMarked } from './detail-correction.js';

const inside = (e: LocatedEntity, spans: readonly Span[]): boolean =>
  spans.some((sp) => sp.start <= e.start && e.end <= sp.end);

/** 从去年年底 + 到现在: the time phrase with the words that anchor it. */
function timePhrase(text: string, e: LocatedEntity): string {
  const s = scanText(text);
  const before = /(?:从|自从|自|打)$/.exec(s.slice(Math.max(0, e.start - 2), e.start))?.[0] ?? '';
  const after = /^(?:开始|以来|起|至今|到现在|到今天|期间|左右)+/.exec(s.slice(e.end))?.[0] ?? '';
  return text.slice(e.start - before.length, e.end + after.length).trim();
}

/**
 * When it happened, from an account: a time that says when in the calendar and has passed. A time
 * of day alone (每天晚上 / 早上七点) says when it hurts, and 明天 / next week say when something is
 * threatened or planned; asking is better than recording either as the time of the matter.
 */
// 宝宝八个月了 / 孩子三岁了: someone's age, not when it happened.
const AGE_BEFORE = /(?:宝宝|孩子|儿子|女儿|闺女|小孩|娃|婴儿|老人|我妈|我爸|老母亲|老父亲)(?:今年|都|已经|才|刚)?$/;

function pickTime(text: string, times: LocatedEntity[]): string | undefined {
  const s = scanText(text);
  const usable = times.filter((t) => isDateLike(t.value) && !isFuture(t.value) && !AGE_BEFORE.test(s.slice(Math.max(0, t.start - 6), t.start)));
  const precise = usable.find((t) => !VAGUE_TIME.test(t.value)) ?? usable[0];
  return precise ? timePhrase(text, precise) : undefined;
}

/** Mobile numbers first (the petitioner's own), then landlines. */
function pickPhone(phones: readonly Entity[]): string | undefined {
  return (phones.find((p) => !p.value.includes('-')) ?? phones[0])?.value;
}

// A landmark that says where ("outside the Jinqiao School gate", 学校门口), not whom the petition is about.
const LANDMARK_BEFORE = /(?:outside|near|opposite|next to|behind|in front of|across from|beside|by)\s+(?:the\s+)?$/i;
const LANDMARK_AFTER = /^(?:\s*(?:gate|entrance|門口|门口|对面|旁边|附近|边上|隔壁|后面|前面|楼下))/i;

function isLandmark(text: string, e: LocatedEntity): boolean {
  return LANDMARK_BEFORE.test(text.slice(Math.max(0, e.start - 20), e.start)) || LANDMARK_AFTER.test(text.slice(e.end, e.end + 10));
}

function pickParties(text: string, entities: LocatedEntity[], excluded: Span[], locale: Locale): string | undefined {
  const orgs: string[] = [];
  for (const e of entities) {
    if (e.type !== 'organization' || isLandmark(text, e)) continue;
    if (AUTHORITY.test(e.value) && inside(e, excluded)) continue;
    if (!orgs.includes(e.value)) orgs.push(e.value);
  }
  let blanked = text;
  for (const sp of excluded) blanked = blanked.slice(0, sp.start) + ' '.repeat(sp.end - sp.start) + blanked.slice(sp.end);
  // The other side by role goes with the organisations (华星科技有限公司、包工头老王; 省儿童医院、医保),
  // unless the role only repeats one of them (酒店 beside 金穗大酒店).
  const roles = findPartyRoles(blanked);
  const landmark = (r: string) => {
    const at = text.indexOf(r);
    return at >= 0 && LANDMARK_AFTER.test(text.slice(at + r.length, at + r.length + 10));
  };
  const fresh = (roles.length || orgs.length ? roles : findPartyRoles(text)).filter((r) => !landmark(r) && !orgs.some((o) => o.includes(r) || r.includes(o)));
  const all = [...orgs, ...fresh.slice(0, 2)];
  return all.length ? all.slice(0, 3).join(locale === 'en' ? ', ' : '、') : undefined;
}

/** Facilities that are places one goes to (a shop, a school, a clinic), unlike a company. */
const FACILITY = /(?:酒店|宾馆|饭店|餐厅|医院|卫生院|诊所|学校|小学|中学|幼儿园|超市|商场|市场|药店|药房|店|工地|站|馆|中心|机构|培训班|教育|美容院|养老院|网吧|健身房)$/;

// 在省儿童医院 / at the Harmony Mall: a facility after a word of place is where it happened.
const AT_BEFORE = /(?:在|到|去|住在|位于|就在)\s*$|\b(?:at|in|inside|outside|near|opposite|behind|from outside|(?:department|ward|branch|office|gate|entrance|clinic) of)\s+(?:the\s+)?$/i;

/**
 * Where it happened: the longest place named, with the facility named right at it (望江区滨湖大道 +
 * 金穗大酒店, 新天地广场三楼的学霸堂教育); failing a place, a facility it happened at (在省儿童医院).
 */
function pickLocation(text: string, places: LocatedEntity[], orgs: LocatedEntity[], locale: Locale): string | undefined {
  const s = scanText(text);
  // A place named in both languages (3号线金鸡桥站 Jinji Bridge station) is kept in the petition's.
  const inLocale = (v: string) => /[\u4e00-\u9fff]/.test(v) === (locale === 'zh-CN');
  const place = [...places].sort((a, b) => Number(inLocale(b.value)) - Number(inLocale(a.value)) || b.value.length - a.value.length)[0];
  if (place) {
    const facility = orgs.find(
      (o) => !AUTHORITY.test(o.value) && ((o.start === place.start && o.end > place.end) || (/^(?:的|里的|上的|内的)$/.test(s.slice(place.end, o.start)) && FACILITY.test(o.value))),
    );
    if (!facility) return place.value;
    return text.slice(place.start, Math.max(place.end, facility.end)).trim();
  }
  // A named facility: 在省儿童医院, at the Harmony Mall — not "at the electronics factory where I work".
  const at = orgs.find((o) => AT_BEFORE.test(s.slice(Math.max(0, o.start - 16), o.start)) && !isLandmarkOnly(s, o) && !wentThereFor(s, o) && isNamed(o.value));
  return at?.value;
}

/** 去社保局查缴费年限: an office gone to for something is where they tried, not where it happened. */
function wentThereFor(s: string, o: LocatedEntity): boolean {
  return AUTHORITY.test(o.value) && /^(?:查|问|办|咨询|反映|投诉|申请|登记|开|交|领|要|讨|打听|核实|复印)/.test(s.slice(o.end, o.end + 4));
}

// What many facilities are called: with nothing else (社区卫生服务中心, the electronics factory) a
// facility says what kind of place, not which one; 省儿童医院 or Harmony Mall says which.
const GENERIC_FACILITY = /社区|卫生|服务|中心|医院|卫生院|学校|公司|店|站|所|局|机构|门诊|诊所|政务|办事|大厅|窗口|的/g;

function isNamed(org: string): boolean {
  if (!/[\u4e00-\u9fff]/.test(org)) return /^[A-Z]/.test(org);
  return org.replace(GENERIC_FACILITY, '').length >= 1;
}

/** "outside the school gate": a landmark, still a place to go by. */
function isLandmarkOnly(s: string, o: LocatedEntity): boolean {
  return AUTHORITY.test(o.value) && !/在|到|去/.test(s.slice(Math.max(0, o.start - 2), o.start));
}

/** @param entities extractEntities(text), when the caller already has them. */
export function extractDetails(text: string, locale: Locale, entities: LocatedEntity[] = extractEntities(text)): Details {
  const details: Details = {};
  if (!text.trim()) return details;
  const of = (type: string): LocatedEntity[] => entities.filter((e) => e.type === type);
  const desired = findDesiredOutcome(text);
  const tried = findPriorAttempts(text);
  const excluded = [...(desired?.spans ?? []), ...(tried?.spans ?? [])];

  const places = of('location');
  const where = pickLocation(text, places, of('organization'), locale);
  if (where) details.location = where;

  const time = pickTime(text, of('time').filter((t) => !inside(t, desired?.spans ?? [])));
  if (time) details.time = time;

  // The facility where it happened is the place; whom it is about is told apart from it.
  const placeSpan = where ? scanText(text).indexOf(scanText(where)) : -1;
  const placeExcluded = placeSpan >= 0 && where ? [{ text: where, start: placeSpan, end: placeSpan + where.length }] : [];
  // A facility named with its place (樟木乡卫生院, 望江区…金穗大酒店) is where; named alone (在乡卫生院), it
  // may well be whom the petition is about, and stays a party too.
  const placeOnly = where && places.length > 0;
  const parties = pickParties(text, entities.filter((e) => !(placeOnly && e.type === 'organization' && where?.endsWith(e.value))), placeOnly ? [...excluded, ...placeExcluded] : excluded, locale);
  if (parties) details.parties = parties;

  if (desired) details.desiredOutcome = desired.value;
  if (tried) details.priorAttempts = tried.value;

  const names = findPersonNames(text);
  const name = names.find((n) => n.kind === 'full') ?? names[0];
  if (name) details.contactName = name.value;

  const phone = pickPhone(of('phone'));
  if (phone) details.contactPhone = phone;
  return details;
}

const NOT_A_NAME_ZH = /[不没想说是吗的了呢吧啊好谁么我你他她们要给这那个有在]|什么|为什么|干嘛|匿名|保密|随便|算了/;
const NOT_A_NAME_EN =
  /\b(?:no|not|none|don't|dont|prefer|rather|skip|i|you|why|what|say|want|yes|ok|okay|sure|hello|hi|thanks|thank|anonymous|later|please|the|is|my|name|it|that|this|nothing|private|secret|pass|of|course)\b/i;

function nameAnswer(text: string, locale: Locale): string | null {
  if (detectDecline(text, locale)) return null;
  const names = findPersonNames(text);
  const cued = names.find((n) => n.kind === 'full') ?? names[0];
  if (cued) return cued.value;
  const t = trimPunct(text).replace(/^(?:叫|是|我是|it's|it is)\s*/i, '').replace(/(?:吧|啊|呀|哦|的)$/, '');
  if (/^[\u4e00-\u9fff]{2,4}$/.test(t) && !NOT_A_NAME_ZH.test(t)) return t;
  if (/^[A-Za-z][A-Za-z'.-]*(?:\s+[A-Za-z][A-Za-z'.-]*){0,3}$/.test(t) && !NOT_A_NAME_EN.test(t)) return t;
  return null;
}

const LIMIT: Partial<Record<Slot, number>> = { time: 200 };

export function answerForSlot(slot: Slot, text: string, locale: Locale): string | null {
  const t = text.trim();
  if (!t || isOnlyPunctuation(t)) return null;
  if (slot === 'contactPhone') return pickPhone(findPhones(t)) ?? null;
  if (slot === 'contactName') return nameAnswer(t, locale);
  if ((slot === 'priorAttempts' || slot === 'parties') && isNoneAnswer(t)) return locale === 'en' ? 'none' : '没有';
  if (detectDecline(t, locale)) return null;
  return truncate(t, LIMIT[slot] ?? 500);
}
