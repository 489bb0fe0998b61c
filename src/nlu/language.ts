import type { Locale } from '../domain.js';

// A Chinese word is about 1.5 characters long, so Han characters are turned into a word estimate
// before being weighed against Latin words: "我的iPhone坏了" is Chinese, "Please help 谢谢" English.
const HAN_CHARS_PER_WORD = 1.5;

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /\p{Script=Latin}+(?:['’]\p{Script=Latin}+)*/gu;
// Addresses and links are Latin letters that say nothing about the language of the person.
// ASCII-only address parts: an unbounded \S+ before '@' backtracks quadratically on Chinese text.
// So are tracking numbers (XF-260302-7K3QZ) and query codes, which mix letters and digits.
const NOISE = /\b(?:https?:\/\/|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|XF-?\d{6}-?[A-Z0-9]{5}|(?<![A-Z0-9])(?=[A-Z]*\d)(?=\d*[A-Z])[A-Z0-9]{6}(?![A-Z0-9])/giu;

// Words Chinese speakers type as often as English speakers do; on their own they decide nothing.
// Quick-reply buttons send some of them (yes, no, none) whatever the conversation's language.
const AMBIGUOUS = new Set([
  'ok', 'okay', 'k', 'hi', 'hello', 'hey', 'yes', 'no', 'none', 'yeah', 'yep', 'nope', 'thx', 'thanks',
  'bye', 'haha', 'hh', 'lol', 'hmm', 'emm', 'em', 'wifi', 'app', 'id', 'qq', 'sos', 'vip',
]);

export function detectLanguage(text: string, fallback: Locale = 'zh-CN'): Locale {
  const cleaned = text.normalize('NFKC').replace(NOISE, ' ');
  const hanChars = cleaned.match(HAN)?.length ?? 0;
  const latinWords = (cleaned.match(LATIN_WORD) ?? []).map((w) => w.toLowerCase());

  if (hanChars === 0) {
    if (latinWords.length === 0) return fallback;
    const letters = latinWords.reduce((sum, w) => sum + w.length, 0);
    if (letters < 2 || latinWords.every((w) => AMBIGUOUS.has(w))) return fallback;
    return 'en';
  }
  const hanWords = hanChars / HAN_CHARS_PER_WORD;
  // People who write both ("hi, 我想 complain about our 物业", "是这里 report pollution 吗") keep the
  // conversation's language; only a clear lead in one of them decides.
  // Capitalised words inside Chinese are mostly names (Apple Store, MacBook): they decide nothing.
  const words = (cleaned.match(LATIN_WORD) ?? []).filter((w) => /^[a-z]/.test(w) && !AMBIGUOUS.has(w)).length;
  // Someone who writes both reads both: a mixed message never switches the conversation, only a
  // message mostly in one language does (a word or two of the other, or names, change nothing).
  if (words >= 2 && hanChars >= 2 && hanWords < words * 3 && words < hanWords * 3) return fallback;
  // Ties go to Chinese: Han characters are the stronger signal and the hub's default language.
  return hanWords >= latinWords.length ? 'zh-CN' : 'en';
}
