import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

const BoardSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    /** How often the board starts over. */
    period: Type.Union([Type.Literal('all-time'), Type.Literal('daily'), Type.Literal('weekly')]),
    /** Past periods kept in memory (late events still land in them); older ones are dropped. @default 1 */
    retainPastPeriods: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
  },
  { additionalProperties: false },
);
const BoardFileSchema = Type.Object({ boards: Type.Array(BoardSchema, { minItems: 1, maxItems: 32 }) }, { additionalProperties: false });

/** A ranked board: every accepted action adds its points to each board's current period. */
export type BoardDefinition = Static<typeof BoardSchema>;
export type BoardPeriod = BoardDefinition['period'];

/** docs/API.md "Leaderboards": the boards every deployment has (also `config/boards.json`). */
export const DEFAULT_BOARDS: readonly BoardDefinition[] = [
  { id: 'global', period: 'all-time' },
  { id: 'daily', period: 'daily', retainPastPeriods: 1 },
  { id: 'weekly', period: 'weekly', retainPastPeriods: 1 },
];

/** The board file shipped with the project; `BOARD_CONFIG` points at another. */
export const DEFAULT_BOARDS_PATH = fileURLToPath(new URL('../../config/boards.json', import.meta.url));

/** Thrown at start for a missing or invalid board file; the message names the file and the problem. */
export class BoardConfigError extends Error {
  override readonly name = 'BoardConfigError';
}

/** Reads and validates the board definitions an operator configured. @throws BoardConfigError */
export function loadBoards(file: string = DEFAULT_BOARDS_PATH): BoardDefinition[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BoardConfigError(`board config ${file}: ${(error as Error).message}`);
  }
  const first = Value.Errors(BoardFileSchema, parsed)[0];
  if (first) throw new BoardConfigError(`board config ${file}: ${first.instancePath || '/'} ${first.message}`);
  const { boards } = parsed as Static<typeof BoardFileSchema>;
  const ids = new Set<string>();
  for (const board of boards) {
    if (ids.has(board.id)) throw new BoardConfigError(`board config ${file}: "${board.id}" appears twice`);
    ids.add(board.id);
  }
  return boards;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The key of the period `atMs` falls in: `all` for all-time boards, the UTC date for daily
 * ones, and the date of the week's Monday (UTC) for weekly ones. A reset is a new key,
 * never a mass delete.
 */
export function periodKey(period: BoardPeriod, atMs: number): string {
  switch (period) {
    case 'all-time':
      return 'all';
    case 'daily':
      return isoDate(startOfUtcDay(atMs));
    case 'weekly':
      return isoDate(startOfUtcWeek(atMs));
  }
}

/** When the period holding `atMs` ends (ms since the epoch); undefined for all-time boards. */
export function periodEndsAt(period: BoardPeriod, atMs: number): number | undefined {
  switch (period) {
    case 'all-time':
      return undefined;
    case 'daily':
      return startOfUtcDay(atMs) + DAY_MS;
    case 'weekly':
      return startOfUtcWeek(atMs) + 7 * DAY_MS;
  }
}

export function startOfUtcDay(atMs: number): number {
  return Math.floor(atMs / DAY_MS) * DAY_MS;
}

function startOfUtcWeek(atMs: number): number {
  const day = startOfUtcDay(atMs);
  // getUTCDay: Sunday 0 … Saturday 6; weeks start on Monday.
  const daysSinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return day - daysSinceMonday * DAY_MS;
}

function isoDate(atMs: number): string {
  return new Date(atMs).toISOString().slice(0, 10);
}
