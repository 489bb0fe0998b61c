// Amounts of money and counts of people, in Chinese (digits or Chinese numerals) and English.
import type { Entity } from '../domain.js';
import { ZH_DIGITS, scanText } from './detail-text.js';

export interface Found extends Entity {
  start: number;
  end: number;
}

const ARABIC = '\\d[\\d,]*(?:\\.\\d+)?';
const ZH_NUM = `[${ZH_DIGITS}几数]+(?:点[${ZH_DIGITS}]+)?`;
const NUM = `(?:${ARABIC}|${ZH_NUM})`;
const EN_WORDS =
  'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a hundred|several|a few|a dozen';

const MONEY: RegExp[] = [
  // ¥500 / ￥3,000 / RMB 8000 / $200 / USD 50
  new RegExp(`(?:[¥￥$]|(?<![A-Za-z])(?:RMB|CNY|USD|HKD)|人民币)\\s?${ARABIC}(?:\\s?(?:[kK]|万|千|thousand|million)(?![A-Za-z]))?(?:多|余)?(?:元|块钱|块)?`, 'g'),
  // 两万三千元 / 3万元 / 五千多块钱 / 十几万 元 / 8000美元
  new RegExp(`(?<![\\d]|\\d[.,])${NUM}(?:多|余|来)?(?:[万千百]|亿)?(?:多|余)?(?:元钱|元|块钱|块(?![儿地石砖板田肉布表])|圆|美元|港币|人民币)`, 'g'),
  // 8,000 yuan / 500 dollars / 3k RMB / two thousand yuan
  new RegExp(
    `(?<![A-Za-z\\d]|\\d[.,])(?:${ARABIC}|(?:${EN_WORDS})(?:[ -](?:${EN_WORDS}|thousand))*)\\s?(?:[kK]\\s?|thousand\\s|million\\s)?(?:yuan|RMB|CNY|kuai|dollars?|USD|bucks|pounds|euros?)\\b`,
    'gi',
  ),
];

const PEOPLE_ZH =
  '农民工|工人|员工|职工|工友|村民|居民|业主|住户|租户|商户|学生|家长|老人|孩子|病人|患者|群众|人家|户人家|人|户|名|位';
const PEOPLE_EN =
  'people|persons|families|households|workers|employees|residents|villagers|tenants|owners|homeowners|students|parents|patients|staff|of us';

// A comma or point only joins numbers when a digit comes before it (1,000 / 2.5); after a clause's
// comma (，几十个工人 normalised to ,几十个工人) a number starts.
const COUNT: RegExp[] = [
  // 30多个工人 / 两百多户 / 十几户人家 / 上百人 / 二十多名工人
  new RegExp(
    `(?<![高初大第\\d]|\\d[.,])(?:上百|上千|上万|${NUM})(?:多|余|来|几)?(?:个|名|位|户|家(?=人|住户))?(?:多)?(?:${PEOPLE_ZH})(?!民|事|工|生|口|员)`,
    'g',
  ),
  // 200 families / hundreds of workers / more than 50 people / dozens of villagers
  new RegExp(
    `(?<![A-Za-z\\d]|\\d[.,])(?:(?:more than|over|about|around|nearly|almost)\\s)?(?:\\d[\\d,]*\\+?|hundreds|dozens|thousands|${EN_WORDS})(?:\\s(?:of|more))?\\s(?:${PEOPLE_EN})\\b`,
    'gi',
  ),
];

const ONE = /^(?:一|1|one|a|an)$/i;

function scan(text: string, patterns: RegExp[], type: string, keep: (value: string) => boolean): Found[] {
  const s = scanText(text);
  const out: Found[] = [];
  for (const re of patterns) {
    for (const m of s.matchAll(re)) {
      const start = m.index ?? 0;
      const end = start + m[0].length;
      const value = text.slice(start, end).trim();
      if (!keep(m[0])) continue;
      if (out.some((f) => f.start <= start && end <= f.end)) continue;
      for (let i = out.length - 1; i >= 0; i--) {
        const f = out[i];
        if (f && start <= f.start && f.end <= end) out.splice(i, 1);
      }
      if (!out.some((f) => f.start < end && start < f.end)) out.push({ type, value, start, end });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

export function findMoney(text: string): Found[] {
  return scan(text, MONEY, 'money', (v) => {
    const zhOnly = new RegExp(`^[${ZH_DIGITS}几数]+块$`).exec(v);
    // 一块 / 这一块 is "a piece"; a Chinese numeral with bare 块 needs more than one character.
    return !(zhOnly && v.length <= 2);
  });
}

export function findPeopleCounts(text: string): Found[] {
  return scan(text, COUNT, 'peopleCount', (v) => {
    const num = /^(?:(?:more than|over|about|around|nearly|almost)\s)?([\d,]+|[^\s个名位户家多余来几]+?)(?=多|余|来|几|个|名|位|户|家|人|\s|$)/i.exec(v);
    const n = num?.[1] ?? '';
    if (ONE.test(n)) return false;
    // Bare 人/名/位 after a plain numeral is fine (三人), but "一" is the petitioner alone.
    return true;
  });
}
