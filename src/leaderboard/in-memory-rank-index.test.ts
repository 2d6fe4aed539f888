import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryRankIndex } from './in-memory-rank-index.js';

interface NaiveEntry {
  userId: string;
  score: number;
  reachedAt: number;
}

/** The obviously correct model: a sorted array. */
function naiveOrder(users: Map<string, NaiveEntry>): NaiveEntry[] {
  return [...users.values()].sort((a, b) => b.score - a.score || a.reachedAt - b.reachedAt || (a.userId < b.userId ? -1 : 1));
}

describe('InMemoryRankIndex against a naive sorted array', () => {
  it('agrees after thousands of random sets and removes', () => {
    const operation = fc.oneof(
      { weight: 8, arbitrary: fc.record({ op: fc.constant('set' as const), user: fc.integer({ min: 0, max: 400 }), score: fc.integer({ min: 0, max: 300 }), at: fc.integer({ min: 0, max: 50 }) }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), user: fc.integer({ min: 0, max: 400 }) }) },
    );
    fc.assert(
      fc.property(fc.array(operation, { minLength: 1_000, maxLength: 4_000 }), (operations) => {
        // Tiny blocks: every few operations split or empty a block.
        const index = new InMemoryRankIndex({ blockSize: 8 });
        const model = new Map<string, NaiveEntry>();
        for (const operation of operations) {
          const userId = `user-${operation.user}`;
          if (operation.op === 'remove') {
            expect(index.removeSync(userId)).toBe(model.delete(userId));
            continue;
          }
          const held = model.get(userId);
          const changes = !held || operation.score > held.score;
          expect(index.setSync(userId, operation.score, operation.at)).toBe(changes);
          if (changes) model.set(userId, { userId, score: operation.score, reachedAt: operation.at });
        }
        const expected = naiveOrder(model).map((entry, i) => ({ rank: i + 1, ...entry }));
        expect(index.rangeSync(0, expected.length + 5)).toEqual(expected);
        for (const entry of expected.filter((_, i) => i % 17 === 0)) expect(index.rankOfSync(entry.userId)).toEqual(entry);
        if (expected.length > 30) expect(index.rangeSync(13, 11)).toEqual(expected.slice(13, 24));
      }),
      { numRuns: 25 },
    );
  });

  it('agrees on a big board whose blocks split many times', () => {
    const index = new InMemoryRankIndex();
    const model = new Map<string, NaiveEntry>();
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    for (let i = 0; i < 20_000; i += 1) {
      const userId = `u${Math.floor(random() * 8_000)}`;
      const score = (model.get(userId)?.score ?? 0) + 1 + Math.floor(random() * 50);
      index.setSync(userId, score, i);
      model.set(userId, { userId, score, reachedAt: i });
      if (random() < 0.05) {
        index.removeSync(userId);
        model.delete(userId);
      }
    }
    const expected = naiveOrder(model).map((entry, i) => ({ rank: i + 1, ...entry }));
    expect(index.rangeSync(0, expected.length)).toEqual(expected);
    for (const entry of expected.filter((_, i) => i % 97 === 0)) expect(index.rankOfSync(entry.userId)).toEqual(entry);
  });

  it('loads in bulk to the same order as one-by-one sets', () => {
    const entries = Array.from({ length: 5_000 }, (_, i) => ({ userId: `u${i}`, score: (i * 31) % 977, reachedAt: i % 13 }));
    const bulk = new InMemoryRankIndex();
    bulk.loadSync(entries.map((entry) => [entry.userId, entry.score, entry.reachedAt] as const));
    const single = new InMemoryRankIndex();
    for (const entry of entries) single.setSync(entry.userId, entry.score, entry.reachedAt);
    expect(bulk.rangeSync(0, 5_000)).toEqual(single.rangeSync(0, 5_000));
    bulk.setSync('u1', 10_000, 1);
    expect(bulk.rankOfSync('u1')?.rank).toBe(1);
  });
});
