import type { UserDirectory } from '../auth/index.js';
import type { BoardDefinition } from '../platform/boards.js';
import type { BoardEntry } from '../platform/events.js';
import { periodKey } from '../platform/periods.js';
import type { BoardStore } from './board-store.js';
import type { RankedEntry, RankIndex } from './rank-index.js';

/** A player's entry and the `radius` entries above and below it; `me` null while unranked. */
export interface AroundWindow {
  me: BoardEntry | null;
  entries: BoardEntry[];
}

/**
 * The user's ranked entry and the rows from `radius` above it to `radius` below it, clipped at
 * the top: the one window rule of `GET …/me?radius=` and the realtime around-me windows.
 * Undefined while the user is unranked.
 */
export async function rowsAround(index: RankIndex, userId: string, radius: number): Promise<{ ranked: RankedEntry; rows: RankedEntry[] } | undefined> {
  const ranked = await index.rankOf(userId);
  if (!ranked) return undefined;
  const start = Math.max(0, ranked.rank - 1 - radius);
  return { ranked, rows: await index.range(start, ranked.rank - start + radius) };
}

/**
 * Reads around-me windows straight from the rank store, for the realtime service: in the
 * process of a leaderboard, or on a realtime node of its own that shares the store (Redis)
 * with the leaderboard nodes. Reads only; the leaderboard keeps writing the boards.
 */
export function aroundReader(
  store: BoardStore,
  directory: UserDirectory,
  boards: readonly BoardDefinition[],
  now: () => number = Date.now,
): (board: string, userId: string, radius: number) => Promise<AroundWindow> {
  const definitions = new Map(boards.map((board) => [board.id, board]));
  return async (board, userId, radius) => {
    const definition = definitions.get(board);
    if (!definition) return { me: null, entries: [] };
    const index = store.index(board, periodKey(definition.period, now()), definition.order);
    const around = await rowsAround(index, userId, radius);
    if (!around) return { me: null, entries: [] };
    const { rows } = around;
    // The directory keeps recent names in memory: the windows read over and over cost no query.
    const known = await directory.usernames(rows.map((row) => row.userId));
    const entries = rows.map(({ rank, userId: id, score }) => ({ rank, userId: id, username: known.get(id) ?? '', score }));
    return { me: entries.find((entry) => entry.userId === userId) ?? null, entries };
  };
}
