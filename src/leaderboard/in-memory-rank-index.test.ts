import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InMemoryRankIndex } from './in-memory-rank-index.js';

interface NaiveEntry {
  userId: string;
  score: number;
  reachedAt: number;
}

/** The obviously correct model: a sorted array, in the board's order. */
function naiveOrder(users: Map<string, NaiveEntry>, order: 'desc' | 'asc' = 'desc'): NaiveEntry[] {
  const sign = order === 'desc' ? 1 : -1;
  return [...users.values()].sort((a, b) => sign * (b.score - a.score) || a.reachedAt - b.reachedAt || (a.userId < b.userId ? -1 : 1));
}

describe('InMemoryRankIndex against a naive sorted array', () => {
  it('agrees after thousands of random sets (in and out of version order) and removes, in either order', () => {
    const operation = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          op: fc.constant('set' as const),
          user: fc.integer({ min: 0, max: 400 }),
          score: fc.integer({ min: -50, max: 300 }),
          at: fc.integer({ min: 0, max: 50 }),
          version: fc.integer({ min: 1, max: 5_000 }),
        }),
      },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), user: fc.integer({ min: 0, max: 400 }) }) },
    );
    fc.assert(
      fc.property(fc.constantFrom('desc' as const, 'asc' as const), fc.array(operation, { minLength: 1_000, maxLength: 4_000 }), (order, operations) => {
        // Tiny blocks: every few operations split or empty a block.
        const index = new InMemoryRankIndex({ blockSize: 8, order });
        const model = new Map<string, NaiveEntry & { version: number }>();
        for (const operation of operations) {
          const userId = `user-${operation.user}`;
          if (operation.op === 'remove') {
            expect(index.removeSync(userId)).toBe(model.delete(userId));
            continue;
          }
          const held = model.get(userId);
          const newer = !held || operation.version > held.version;
          const changes = newer && (!held || held.score !== operation.score || held.reachedAt !== operation.at);
          expect(index.setSync(userId, operation.score, operation.at, operation.version)).toBe(changes);
          if (newer) model.set(userId, { userId, score: operation.score, reachedAt: operation.at, version: operation.version });
        }
        const entries = new Map([...model].map(([userId, { version: _version, ...entry }]) => [userId, entry]));
        const expected = naiveOrder(entries, order).map((entry, i) => ({ rank: i + 1, ...entry }));
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
      index.setSync(userId, score, i, i + 1);
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
    bulk.loadSync(entries.map((entry, i) => [entry.userId, entry.score, entry.reachedAt, i + 1] as const));
    const single = new InMemoryRankIndex();
    for (const [i, entry] of entries.entries()) single.setSync(entry.userId, entry.score, entry.reachedAt, i + 1);
    expect(bulk.rangeSync(0, 5_000)).toEqual(single.rangeSync(0, 5_000));
    bulk.setSync('u1', 10_000, 1, 10_000);
    expect(bulk.rankOfSync('u1')?.rank).toBe(1);
  });
});
