import { describe, expect, it } from 'vitest';
import { newId } from '../../src/util/ids.js';

describe('row ids', () => {
  it('are distinct UUIDv7s that begin with the time they were made', () => {
    const before = Date.now();
    const ids = Array.from({ length: 5000 }, newId);
    const after = Date.now();
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      const ms = parseInt(id.replace('-', '').slice(0, 12), 16);
      expect(ms).toBeGreaterThanOrEqual(before);
      expect(ms).toBeLessThanOrEqual(after);
    }
  });

  it('differ in their random part even when made in the same millisecond', () => {
    const ids = Array.from({ length: 300 }, newId);
    const tails = new Set(ids.map((id) => id.slice(19)));
    expect(tails.size).toBe(ids.length);
  });
});
