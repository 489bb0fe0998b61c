import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitUtf8 } from '../../channels/wechat-official/text-chunks.js';

const bytes = (s: string) => Buffer.byteLength(s);
/** What the pieces say, without the whitespace dropped at the cuts. */
const squeezed = (s: string) => s.replace(/\s+/gu, '');

describe('splitUtf8', () => {
  it('leaves text within the limit alone', () => {
    expect(splitUtf8('你好', 2048)).toEqual(['你好']);
    expect(splitUtf8('x'.repeat(2048), 2048)).toEqual(['x'.repeat(2048)]);
  });

  it('counts bytes, not characters: 683 Chinese characters (2049 bytes) make two pieces', () => {
    const text = '水'.repeat(683);
    const pieces = splitUtf8(text, 2048);
    expect(pieces.map(bytes)).toEqual([2046, 3]);
    expect(pieces.join('')).toBe(text);
  });

  it('ends a piece at a line break or the end of a sentence where it can', () => {
    const paragraph = `${'我们村的自来水已经停了一个星期'.repeat(20)}。`;
    const text = [paragraph, paragraph, paragraph].join('\n');
    const pieces = splitUtf8(text, 2048);
    expect(pieces).toEqual([`${paragraph}\n${paragraph}`.trimEnd(), paragraph]);
    const sentences = `${'路灯坏了两个月，晚上很黑。'.repeat(80)}`;
    for (const piece of splitUtf8(sentences, 2048)) expect(piece.endsWith('。')).toBe(true);
  });

  it('never cuts a character in two and never loses one (any text, any limit)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), fc.integer({ min: 4, max: 300 }), (text, max) => {
        const pieces = splitUtf8(text, max);
        for (const p of pieces) {
          expect(bytes(p)).toBeLessThanOrEqual(max);
          expect(p).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/u);
        }
        expect(squeezed(pieces.join(''))).toBe(squeezed(text));
      }),
    );
  });
});
