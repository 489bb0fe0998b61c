import { describe, expect, it } from 'vitest';
import { sizeText } from '../../src/util/size-text.js';

describe('a size as people read it', () => {
  it('in KB below a megabyte, never 0, and in MB with one decimal below ten', () => {
    expect([1, 512, 13 * 1024, 342 * 1024 + 100].map((n) => sizeText(n))).toEqual(['1 KB', '1 KB', '13 KB', '342 KB']);
    expect([1.2 * 1_048_576, 9.96 * 1_048_576, 20 * 1_048_576].map((n) => sizeText(n))).toEqual(['1.2 MB', '10 MB', '20 MB']);
  });

  it('rounded up beside a limit, so a file over it never reads as within it', () => {
    const limit = 20 * 1_048_576;
    expect([sizeText(limit + 1, { up: true }), sizeText(limit)]).toEqual(['21 MB', '20 MB']);
    expect(sizeText(1_048_576 + 1, { up: true })).toBe('1.1 MB');
    expect(sizeText(2 * 1024 + 1, { up: true })).toBe('3 KB');
  });
});
