import type { BoardDefinition } from '../platform/boards.js';
import type { Logger } from '../platform/logger.js';
import { periodEndsAt, periodKey, periodStartsAt } from '../platform/periods.js';
import { definitionSignature } from '../score/board-totals.js';
import type { Ledger } from '../score/ledger.js';

/** One board period filled from the ledger at start. */
export interface FilledBoard {
  board: string;
  period: string;
  /** Ledger rows read. */
  rows: number;
  ms: number;
}

/**
 * Fills, from the ledger's history, the current period of every board whose totals were
 * never computed under its present definition: a board new to the configuration, one whose
 * metric, aggregate or period changed, and — on the first start after an upgrade — every
 * board. Past periods keep what they hold. Runs at start, before any service reads a board.
 */
export async function fillChangedBoards(
  ledger: Pick<Ledger, 'filledBoards' | 'refillBoard'>,
  boards: readonly BoardDefinition[],
  now: number,
  logger: Pick<Logger, 'info'>,
): Promise<FilledBoard[]> {
  const filled = await ledger.filledBoards();
  const done: FilledBoard[] = [];
  for (const board of boards) {
    if (filled.get(board.id) === definitionSignature(board)) continue;
    const started = performance.now();
    const period = periodKey(board.period, now);
    const rows = await ledger.refillBoard(board, period, { from: periodStartsAt(board.period, now), to: periodEndsAt(board.period, now) });
    const ms = Math.round(performance.now() - started);
    logger.info({ board: board.id, period, ledgerRows: rows, ms }, 'board filled from the ledger');
    done.push({ board: board.id, period, rows, ms });
  }
  return done;
}
