import { describe, expect, it } from 'vitest';
import { NameCache } from './name-cache.js';

describe('NameCache', () => {
  it('keeps at most its capacity, dropping the least recently used name', () => {
    const cache = new NameCache(2);
    cache.set('a', 'Ada');
    cache.set('b', 'Bob');
    expect(cache.get('a')).toBe('Ada'); // a is now the most recent
    cache.set('c', 'Cy');
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('Ada');
    expect(cache.get('c')).toBe('Cy');
  });
});
