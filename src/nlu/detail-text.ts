// Small text helpers shared by the entity, detail and affect recognisers.

/** Chinese numeral characters (incl. financial forms) and vague quantity characters. */
export const ZH_DIGITS = '零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟';
export const HAN = '\\u4e00-\\u9fff';

/**
 * Full-width ASCII (U+FF01–FF5E) to half-width and the ideographic space to a space. Every change is
 * one UTF-16 unit for one, so offsets found in the result are offsets into the input.
 */
export function toHalfWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** Dashes and similar characters people type between digit groups, mapped to '-' (same length). */
export function unifyDashes(text: string): string {
  return text.replace(/[\u2010-\u2015\u2212\u30fc\ufe63]/g, '-');
}

/** The text every recogniser scans: half-width, unified dashes, same length as the input. */
export function scanText(text: string): string {
  return unifyDashes(toHalfWidth(text));
}

export interface Span {
  text: string;
  start: number;
  end: number;
}

const SENTENCE_END = /[。！？!?；;\n]+|\.(?=\s|$)|…+/g;
const CLAUSE_END = /[。！？!?；;\n，,、：:]+|\.(?=\s|$)|…+/g;

function split(text: string, re: RegExp): Span[] {
  const out: Span[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (const m of text.matchAll(re)) {
    const end = (m.index ?? 0) + m[0].length;
    pushTrimmed(out, text, last, end);
    last = end;
  }
  pushTrimmed(out, text, last, text.length);
  return out;
}

function pushTrimmed(out: Span[], text: string, start: number, end: number): void {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] ?? '')) s++;
  while (e > s && /\s/.test(text[e - 1] ?? '')) e--;
  if (e > s) out.push({ text: text.slice(s, e), start: s, end: e });
}

/** Sentences (split at 。！？!?；; line breaks and a full stop followed by a space). */
export function sentences(text: string): Span[] {
  return split(text, SENTENCE_END);
}

/** Clauses: sentences further split at commas and colons. */
export function clauses(text: string): Span[] {
  return split(text, CLAUSE_END);
}

const EDGE_PUNCT = /^[\s,，。.!！?？;；:：、~～…"'“”‘’()（）【】\[\]<>《》-]+|[\s,，。.!！?？;；:：、~～…"'“”‘’()（）【】\[\]<>《》-]+$/g;

/** Trims whitespace and punctuation from both ends. */
export function trimPunct(text: string): string {
  return text.replace(EDGE_PUNCT, '');
}

/** True when nothing but punctuation, symbols and spaces is left. */
export function isOnlyPunctuation(text: string): boolean {
  return !/[\p{L}\p{N}]/u.test(text);
}

/** Cuts to at most `max` code points (never splits a surrogate pair). */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : chars.slice(0, max).join('').trimEnd();
}

export function hasHan(text: string): boolean {
  return /[\u4e00-\u9fff]/.test(text);
}
