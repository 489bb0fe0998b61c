// Cues in a petitioner's message that matter after filing: a rating (回访评分), whether the problem
// was solved, a wish for a review (复查), and a status query naming a tracking number and query code.
// Rules only: these are short, formulaic answers, and a wrong guess must cost nothing worse than
// asking again. All functions take the normalised text (NFKC, simplified Chinese).

export interface CaseQuery {
  /** Upper-cased XF-YYMMDD-XXXXX. */
  trackingNumber: string;
  /** The query code as given (upper-cased), or null when the message has none. */
  code: string | null;
  /**
   * What is asked about the case: its status, or the petitioner's rights over their personal data —
   * a copy of what the office holds, or its deletion (PIPL 查阅复制权 / 删除权).
   */
  asks: 'status' | 'copy' | 'erase';
}

export interface FollowUpCues {
  rating: number | null;
  solved: boolean | null;
  reviewRequest: boolean;
  caseQuery: CaseQuery | null;
}

const ZH_NUMERAL: Record<string, number> = { 一: 1, 两: 2, 二: 2, 三: 3, 四: 4, 五: 5 };
const EN_NUMERAL: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };

// The labels of the rating buttons count too, for someone who types one out.
const BARE_RATING = /^\s*([1-5])\s*(?:分|星|颗星|stars?|points?|\/\s*5|out of (?:5|five)|很不满意|不满意|一般|满意|非常满意|very poor|poor|fair|good|very good)?\s*[。.!！]?\s*$/i;
const RATING_IN_TEXT = /(?<![\d.])([1-5])\s*(?:分|星|颗星|stars?|\/\s*5|out of (?:5|five))/i;
const ZH_RATING = /([一两二三四五])\s*(?:分|星|颗星)/;
const EN_RATING = /^\s*(one|two|three|four|five)(?:\s*(?:stars?|points?|out of (?:5|five)))?\s*[.!]?\s*$/i;

/** A rating from 1 to 5 ("4", "4分", "五星", "five stars", "满分"), or null. */
export function parseRating(text: string): number | null {
  const bare = BARE_RATING.exec(text) ?? RATING_IN_TEXT.exec(text);
  if (bare) return Number(bare[1]);
  const zh = ZH_RATING.exec(text);
  if (zh) return ZH_NUMERAL[zh[1]];
  const en = EN_RATING.exec(text);
  if (en) return EN_NUMERAL[en[1].toLowerCase()];
  return /满分/.test(text) ? 5 : null;
}

const NOT_SOLVED_ZH = /(?:没|未|没有|还没|并没|并未|尚未|没能|不算|不能算)(?:有|能|完全|彻底|真正)?(?:被)?(?:解决|处理好|办好|落实|搞定|处理完)|(?:部分|一半|一部分)(?:解决|处理)|(?:解决|处理)了?(?:一部分|一半|部分)|问题(?:还在|依旧|依然|仍然|照旧)|还是老样子|一点没变|没变化/;
const SOLVED_ZH = /(?:解决|处理好|办好|搞定|落实|处理完)了(?!吗|没)|已(?:经)?(?:解决|处理好|办好|落实)|问题没了|都好了/;
const NOT_SOLVED_EN = /\b(?:not|never|isn't|wasn't|hasn't|haven't|didn't|hardly|only partly|partly|partially|half)\b[\w\s']{0,20}\b(?:solved|resolved|fixed|sorted|settled|done)\b|\b(?:unsolved|unresolved|still (?:a problem|happening|going on|not))\b/i;
const SOLVED_EN = /\b(?:solved|resolved|fixed|sorted(?: out)?|settled|all good|problem gone)\b/i;

/** Whether the message says the problem was solved (true), was not (false), or neither (null). */
export function parseSolved(text: string): boolean | null {
  if (NOT_SOLVED_ZH.test(text) || NOT_SOLVED_EN.test(text)) return false;
  if (SOLVED_ZH.test(text) || SOLVED_EN.test(text)) return true;
  return null;
}

const REVIEW = /复查|复核|重新(?:处理|办理|调查|审查|核查|受理|核实)|\b(?:review|reconsider(?:ation)?|re-?open(?:ed|ing)?|re-?examin(?:e|ation)|appeal)\b/i;

export function isReviewRequest(text: string): boolean {
  return REVIEW.test(text);
}

// Loose on the suffix (a petitioner may type 0 for O); a number that does not exist is just not found.
const TRACKING = /(?<![A-Za-z0-9])XF[-\s]?(\d{6})[-\s]?([A-Za-z0-9]{5})(?![A-Za-z0-9])/i;
const CODE_AFTER_CUE = /(?:验证码|查询码|校验码|密码|\bcode\b|\bpin\b)\s*(?:是|为|:|is)?\s*([A-Za-z0-9]{6})(?![A-Za-z0-9])/i;
const BARE_CODE = /(?<![A-Za-z0-9])([A-Za-z0-9]{6})(?![A-Za-z0-9])/g;
// What a status query says besides the number and the code; anything much longer is a story that
// happens to quote a number, and goes the usual way.
const QUERY_WORDS = /查询|查一下|查查|查|状态|进度|进展|情况|怎么样|如何|办得|了吗|吗|编号|受理|案件|案子|我的|请|帮我|一下|验证码|查询码|的|是|\b(?:status|of|check|case|my|the|please|what|is|tracking|number|code|pin|progress|update|on|for|query|with)\b/gi;

const DATA = /(?:个人)?(?:信息|资料|数据)|\b(?:personal )?(?:data|information|details)\b/i;
const COPY = /查阅|复制|副本|调取|导出|拷贝|(?:查看|看看|看一下)(?:我的|你们的|你们保存的|你们掌握的)|(?:你们|政府|这里)(?:保存|掌握|存)了?(?:我)?(?:哪些|什么)|\b(?:copy of|access to|see|export|what) (?:my |the |all )?(?:personal )?(?:data|information|details)\b|\bwhat (?:data|information|details) (?:do )?you (?:hold|have|keep|store)\b/i;
const ERASE = /删除|删掉|销毁|清除|抹掉|注销|\b(?:delete|erase|remove|destroy|wipe)\b/i;

/** A request about the personal data of a case rather than its status, or null. */
function dataRequest(text: string): 'copy' | 'erase' | null {
  if (!DATA.test(text)) return null;
  if (ERASE.test(text)) return 'erase';
  return COPY.test(text) ? 'copy' : null;
}

/** A status query naming a tracking number: the number, and the query code if the message gives one. */
export function parseCaseQuery(text: string, statusIntent: boolean): CaseQuery | null {
  const number = TRACKING.exec(text);
  if (!number) return null;
  const asks = dataRequest(text) ?? 'status';
  const trackingNumber = `XF-${number[1]}-${number[2].toUpperCase()}`;
  const rest = text.slice(0, number.index) + ' ' + text.slice(number.index + number[0].length);
  const cued = CODE_AFTER_CUE.exec(rest);
  // Without a cue word, only a token with both letters and digits (not a word, not a phone number).
  const bare = cued ? null : [...rest.matchAll(BARE_CODE)].map((m) => m[1]).find((w) => /\d/.test(w) && /[A-Za-z]/.test(w));
  const code = (cued?.[1] ?? bare ?? null)?.toUpperCase() ?? null;
  if (!code && asks === 'status' && !statusIntent && !isShortRest(rest)) return null;
  return { trackingNumber, code, asks };
}

function isShortRest(rest: string): boolean {
  const left = rest.replace(QUERY_WORDS, ' ').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const han = left.match(/\p{Script=Han}/gu)?.length ?? 0;
  const words = left.match(/[A-Za-z0-9]+/g)?.length ?? 0;
  return han <= 6 && words <= 3;
}

export function followUpCues(text: string, statusIntent: boolean): FollowUpCues {
  return {
    rating: parseRating(text),
    solved: parseSolved(text),
    reviewRequest: isReviewRequest(text),
    caseQuery: parseCaseQuery(text, statusIntent),
  };
}
