import { describe, expect, it } from 'vitest';
import type { BoardTotalsReader, TotalRow } from './board-totals-reader.js';

export interface TotalsFixture {
  reader: BoardTotalsReader;
  /** Writes totals as the score service would. */
  write: (rows: readonly { board: string; period: string; row: TotalRow }[]) => Promise<void>;
}

/** The behaviour every `BoardTotalsReader` adapter must share. `factory` gives one on empty storage. */
export function describeBoardTotalsReader(name: string, factory: () => Promise<TotalsFixture>): void {
  describe(`BoardTotalsReader contract: ${name}`, () => {
    it('reads every total of one board period, and one user’s, with its version (values need not be whole)', async () => {
      const { reader, write } = await factory();
      const global = Array.from({ length: 25 }, (_, i): TotalRow => [`u${String(i).padStart(3, '0')}`, i + 1.5, 1_000 + i, 100 + i]);
      await write([
        ...global.map((row) => ({ board: 'global', period: 'all', row })),
        { board: 'daily', period: '2026-11-27', row: ['u001', 7, 5, 3] },
        { board: 'daily', period: '2026-11-26', row: ['u002', 9, 4, 2] },
      ]);
      const rows = [...(await reader.totals('global', 'all'))].sort((a, b) => a[0].localeCompare(b[0]));
      expect(rows).toEqual(global);
      expect([...(await reader.totals('daily', '2026-11-27'))]).toEqual([['u001', 7, 5, 3]]);
      expect([...(await reader.totals('weekly', '2026-11-23'))]).toEqual([]);
      expect(await reader.totalOf('global', 'all', 'u007')).toEqual(['u007', 8.5, 1_007, 107]);
      expect(await reader.totalOf('daily', '2026-11-27', 'u002')).toBeUndefined();
    });

    it('reads the top of a board period in rank order, either direction: value, then earlier reachedAt, then user id', async () => {
      const { reader, write } = await factory();
      const rows: TotalRow[] = [
        ['u-c', 10, 5, 1],
        ['u-a', 10, 5, 2],
        ['u-b', 10, 3, 3],
        ['u-d', 2.5, 9, 4],
        ['u-e', 40, 9, 5],
      ];
      await write([...rows.map((row) => ({ board: 'best', period: 'all', row })), { board: 'best', period: 'other', row: ['u-z', 99, 1, 6] }]);
      expect((await reader.top('best', 'all', 'desc', 10)).map((row) => row[0])).toEqual(['u-e', 'u-b', 'u-a', 'u-c', 'u-d']);
      expect((await reader.top('best', 'all', 'asc', 3)).map((row) => row[0])).toEqual(['u-d', 'u-b', 'u-a']);
      expect(await reader.top('best', 'all', 'desc', 1)).toEqual([['u-e', 40, 9, 5]]);
      expect(await reader.top('best', 'none', 'desc', 5)).toEqual([]);
    });
  });
}
