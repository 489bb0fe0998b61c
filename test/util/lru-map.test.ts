import { describe, expect, it } from 'vitest';
import { LruMap } from '../../src/util/lru-map.js';

describe('LruMap', () => {
  it('keeps the most recently used entries, a read counting as a use', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.get('a')).toBe(1);
    m.set('c', 3);
    expect([m.get('a'), m.get('b'), m.get('c')]).toEqual([1, undefined, 3]);
    m.set('a', 10);
    m.delete('c');
    expect([m.get('a'), m.get('c')]).toEqual([10, undefined]);
  });

  it('keeps nothing when its size is 0 (a cluster process keeps no conversations)', () => {
    const m = new LruMap<string, number>(0);
    m.set('a', 1);
    expect(m.get('a')).toBeUndefined();
  });
});
