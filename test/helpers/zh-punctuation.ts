/**
 * Chinese texts the hub shows must use Chinese (full-width) punctuation, as GB/T 15834 sets out:
 * ，。！？：；“”（）、……——. This module finds the machine-looking slips: an ASCII , . ! ? : ; ( )
 * written inside Chinese text.
 *
 * The rule, precisely. A character is *Chinese* when it is Han (汉字), or a CJK / full-width
 * punctuation mark (、。《》「」【】，！？：；（） and the rest of U+3001–303F, U+FF01–FF60), or a
 * curly quote whose inner side is Chinese (the ” of “不方便”, not the ” of “Contact us”).
 *  1. An ASCII , . ! ? : ; ( ) is a finding when the nearest character on either side of it is
 *     Chinese. "Nearest" looks past spaces (ASCII, no-break, ideographic) and past placeholders,
 *     but not past a line break: a mark at the end of a line only counts its own line.
 *  2. ASCII brackets are also judged as a pair: "(…)" on one line whose content holds a Han
 *     character is a pair of Chinese brackets, so "（“不方便”)" and "110(报警)" are findings on both
 *     sides — except for the gloss below.
 *
 * What legitimately stays ASCII, and why it passes:
 *  - numbers, times, versions, amounts, phone numbers: "3.5万元", "10:30", "v1.2.3",
 *    "010-12345678". The mark sits between digits, so its neighbours are not Chinese; no special
 *    case is needed ("下午3:30到", "共2.5万元" pass as they are).
 *  - Latin text: "Sorry, we cannot…" right after a Chinese sentence in a bilingual notice — the
 *    comma's neighbours are Latin letters. Where English meets Chinese on one line, a mark attached
 *    to an English word with a space before the Chinese belongs to the English: "the “Contact us”
 *    button. 也可以…", "Sorry, 我们…". Attached to Chinese, or to a digit, it does not: "请在App,点击"
 *    and "请拨打 110. 我们…" are findings.
 *  - addresses: URLs and e-mail addresses are masked before the scan, so the "." and ":" of
 *    "https://例子.中国/查询" or "xinfang@example.gov.cn" are not findings.
 *  - Slack emoji codes such as ":leftwards_arrow_with_hook:" are masked too.
 *  - an English sentence glossing a Chinese term in ASCII brackets: "a review (复查) may be…". A
 *    bracket pair whose "(" follows a Latin letter and whose ")" is not followed by a Chinese
 *    character is English punctuation around a quoted Chinese word. "拨打 110(报警)或" is still a
 *    finding: the "(" follows a digit and the ")" is followed by Han.
 *
 * Placeholders: response templates and template literals hold values (`{trackingNumber}`, and
 * `${err.message}` which the source scanner passes as `{}`). A value never makes the sentence
 * around it English, so the look steps over a placeholder: in "受理编号是 {trackingNumber},请记好"
 * and in "请立即拨打 {contacts}." the mark is inside the Chinese sentence. A placeholder is `{`,
 * word characters, `}` (empty `{}` included).
 *
 * Not checked (by design, see the unit tests): the choice between "…" and "……", ASCII quotes, and
 * full-width marks in English text — the rule is only about ASCII punctuation inside Chinese.
 * Known limit: an English sentence that ends right on a Chinese word ("Transferred to 住建局.") is
 * a finding; gloss the term in brackets or rephrase.
 */

/** The ASCII marks that must not touch Chinese text, with the Chinese mark that replaces each. */
export const FULL_WIDTH: Readonly<Record<string, string>> = {
  ',': '，',
  '.': '。',
  '!': '！',
  '?': '？',
  ':': '：',
  ';': '；',
  '(': '（',
  ')': '）',
};

export interface Finding {
  /** Index (UTF-16) of the ASCII mark in the text. */
  index: number;
  mark: string;
  /** The Chinese mark to use instead. */
  suggestion: string;
  /** A few characters either side, the mark shown as ⟦x⟧ and line breaks as ⏎. */
  context: string;
}

const HAN = /^\p{Script=Han}/u;
const CJK_MARK = /^[\u3001-\u303f\uff01-\uff60]/;
const SPACE = /[ \t\u00a0\u3000]/;
const PLACEHOLDER_END = /\{\w*\}$/;
const PLACEHOLDER_START = /^\{\w*\}/;

/** Whether the character at `i` is Han (a character outside the BMP counts from either surrogate). */
function isHanAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  const start = /[\udc00-\udfff]/.test(s[i]) && i > 0 ? i - 1 : i;
  return HAN.test(s.slice(start, start + 2));
}

/** Whether the character at `i` is Chinese: Han, a CJK mark, or a curly quote around Chinese. */
function isChineseAt(s: string, i: number): boolean {
  if (i < 0 || i >= s.length) return false;
  if (s[i] === '“' || s[i] === '‘') return isHanAt(s, i + 1) || CJK_MARK.test(s[i + 1] ?? '');
  if (s[i] === '”' || s[i] === '’') return isHanAt(s, i - 1) || CJK_MARK.test(s[i - 1] ?? '');
  return isHanAt(s, i) || CJK_MARK.test(s[i]);
}

const isLatinLetter = (ch: string | undefined): boolean => ch !== undefined && /^[A-Za-z]$/.test(ch);

/** Addresses and codes whose ASCII marks belong to the token, not to the sentence. */
const MASKED = [
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s，。！？：；、“”（）《》]+/giu, // URLs (the host may be Chinese)
  /\bwww\.[^\s，。！？：；、“”（）《》]+/giu,
  /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/gu, // e-mail addresses
  /(?<![\w:]):[a-z0-9_+-]+:(?![\w:])/g, // Slack emoji codes
];

/** The text with masked tokens overwritten by '#', same length, so indices still match. */
function mask(text: string): string {
  let out = text;
  for (const re of MASKED) out = out.replace(re, (m) => '#'.repeat(m.length));
  return out;
}

/** Index of the nearest character before `i` that is not a space or a placeholder, or -1. */
function before(s: string, i: number): number {
  let j = i - 1;
  for (;;) {
    while (j >= 0 && SPACE.test(s[j])) j--;
    const m = j >= 0 && s[j] === '}' ? PLACEHOLDER_END.exec(s.slice(0, j + 1)) : null;
    if (!m) return j;
    j -= m[0].length;
  }
}

/** Index of the nearest character after `i` that is not a space or a placeholder, or s.length. */
function after(s: string, i: number): number {
  let j = i + 1;
  for (;;) {
    while (j < s.length && SPACE.test(s[j])) j++;
    const m = j < s.length && s[j] === '{' ? PLACEHOLDER_START.exec(s.slice(j)) : null;
    if (!m) return j;
    j += m[0].length;
  }
}

/** The ")" closing the "(" at `open` on the same line, or -1. */
function closing(s: string, open: number): number {
  let depth = 0;
  for (let j = open; j < s.length && s[j] !== '\n'; j++) {
    if (s[j] === '(') depth++;
    else if (s[j] === ')' && --depth === 0) return j;
  }
  return -1;
}

/** Every ASCII , . ! ? : ; ( ) inside Chinese text (the rule is in the module comment). */
export function findAsciiPunctuation(text: string): Finding[] {
  const s = mask(text);
  const flagged = new Set<number>();
  const exempt = new Set<number>();
  // Bracket pairs: a gloss in English text is exempt; a pair around Chinese text is Chinese.
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '(') continue;
    const close = closing(s, i);
    if (close < 0) continue;
    if (isLatinLetter(s[before(s, i)]) && !isChineseAt(s, after(s, close))) {
      exempt.add(i).add(close);
    } else if (/\p{Script=Han}/u.test(s.slice(i + 1, close))) {
      flagged.add(i).add(close);
    }
  }
  for (let i = 0; i < s.length; i++) {
    if (!(s[i] in FULL_WIDTH) || exempt.has(i)) continue;
    const b = before(s, i);
    const a = after(s, i);
    // Chinese reached across a space does not count when the mark is attached to an English word
    // on its other side: "button. 也可以", "Sorry, 我们" end or pause an English sentence.
    const chineseBefore = isChineseAt(s, b) && !(b < i - 1 && isLatinLetter(s[i + 1]));
    const chineseAfter = isChineseAt(s, a) && !(a > i + 1 && isLatinLetter(s[i - 1]));
    if (chineseBefore || chineseAfter) flagged.add(i);
  }
  return [...flagged]
    .sort((a, b) => a - b)
    .map((i) => ({
      index: i,
      mark: text[i],
      suggestion: FULL_WIDTH[text[i]],
      context: `${text.slice(Math.max(0, i - 8), i)}⟦${text[i]}⟧${text.slice(i + 1, i + 9)}`.replace(/\n/g, '⏎'),
    }));
}

/** One line per finding, for test failure messages: `where: …context…  (use ，)`. */
export function describeFindings(where: string, text: string): string[] {
  return findAsciiPunctuation(text).map((f) => `${where}: ${f.context}  (use ${f.suggestion})`);
}
