import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { isSeason, type BoardPeriod, type Season } from './periods.js';

/** A metric name: what an action yields and a board ranks (`points`, `sprint-ms`, `kills`). */
export const METRIC_NAME_PATTERN = '^[a-z][a-z0-9-]{0,31}$';

const SeasonSchema = Type.Object(
  { start: Type.String({ format: 'date-time' }), end: Type.String({ format: 'date-time' }) },
  { additionalProperties: false },
);
const BoardSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    /** The metric the board ranks. @default 'points' */
    metric: Type.Optional(Type.String({ pattern: METRIC_NAME_PATTERN })),
    /** How a player's values in a period become one: their sum, best, lowest or latest. @default 'sum' */
    aggregate: Type.Optional(Type.Union([Type.Literal('sum'), Type.Literal('max'), Type.Literal('min'), Type.Literal('last')])),
    /** `desc`: higher values first; `asc`: lower first (times). @default 'desc' */
    order: Type.Optional(Type.Union([Type.Literal('desc'), Type.Literal('asc')])),
    /** How often the board starts over, or the dates of its one season. @default 'all-time' */
    period: Type.Optional(Type.Union([Type.Literal('all-time'), Type.Literal('daily'), Type.Literal('weekly'), Type.Literal('monthly'), SeasonSchema])),
    /** Past periods kept readable (`?period=`); late events still land in them. @default 1 */
    retainPastPeriods: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
  },
  { additionalProperties: false },
);
const BoardFileSchema = Type.Object({ boards: Type.Array(BoardSchema, { minItems: 1, maxItems: 32 }) }, { additionalProperties: false });

export type Aggregate = 'sum' | 'max' | 'min' | 'last';
export type Order = 'desc' | 'asc';

/**
 * A ranked board, every default filled in: it ranks players by the `aggregate` of the
 * `metric` values their accepted actions yielded in the current `period`, in `order`.
 */
export interface BoardDefinition {
  id: string;
  metric: string;
  aggregate: Aggregate;
  order: Order;
  period: BoardPeriod;
  retainPastPeriods: number;
}

/** A board as the configuration file writes it, before defaults. */
export type BoardConfig = Static<typeof BoardSchema>;

/** The board file shipped with the project; `BOARD_CONFIG` points at another. */
export const DEFAULT_BOARDS_PATH = fileURLToPath(new URL('../../config/boards.json', import.meta.url));

/** Thrown at start for a missing or invalid board file; the message names the file and every problem, on one line. */
export class BoardConfigError extends Error {
  override readonly name = 'BoardConfigError';
}

/** A board with every default filled in. */
export function boardDefinition(config: BoardConfig): BoardDefinition {
  const { period = 'all-time' } = config;
  return {
    id: config.id,
    metric: config.metric ?? 'points',
    aggregate: config.aggregate ?? 'sum',
    order: config.order ?? 'desc',
    period: typeof period === 'string' ? period : { start: Date.parse(period.start), end: Date.parse(period.end) },
    retainPastPeriods: config.retainPastPeriods ?? 1,
  };
}

/** The boards every deployment ships with (`config/boards.json`); tests use them too. */
export const DEFAULT_BOARDS: readonly BoardDefinition[] = [
  { id: 'global', period: 'all-time' },
  { id: 'daily', period: 'daily' },
  { id: 'weekly', period: 'weekly' },
  { id: 'monthly', period: 'monthly' },
  { id: 'fastest-sprint', metric: 'sprint-ms', aggregate: 'min', order: 'asc', period: 'weekly', retainPastPeriods: 4 },
  { id: 'best-match', metric: 'match-score', aggregate: 'max' },
].map((config) => boardDefinition(config as BoardConfig));

/** Reads and validates the board definitions an operator configured. @throws BoardConfigError naming every problem */
export function loadBoards(file: string = DEFAULT_BOARDS_PATH): BoardDefinition[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new BoardConfigError(`board config ${file}: ${(error as Error).message}`);
  }
  return validateBoards(parsed, file);
}

/** @throws BoardConfigError naming every problem found, on one line */
export function validateBoards(input: unknown, source = 'boards'): BoardDefinition[] {
  const schemaProblems = [...Value.Errors(BoardFileSchema, input)].map((error) => `${error.instancePath || '/'} ${error.message}`);
  if (schemaProblems.length > 0) throw new BoardConfigError(`board config ${source}: ${unique(schemaProblems).join('; ')}`);
  const configs = (input as Static<typeof BoardFileSchema>).boards;
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const config of configs) {
    if (ids.has(config.id)) problems.push(`"${config.id}" appears twice`);
    ids.add(config.id);
  }
  const boards = configs.map(boardDefinition);
  for (const board of boards) {
    if (!isSeason(board.period)) continue;
    const { start, end } = board.period;
    if (!Number.isFinite(start) || !Number.isFinite(end)) problems.push(`"${board.id}" has a season date that is not a valid time`);
    else if (start >= end) problems.push(`"${board.id}" has a season that ends before it starts`);
  }
  // Seasons of one metric and aggregate are a series (season 1, season 2…): one at a time.
  const seasons = boards.filter((board): board is BoardDefinition & { period: Season } => isSeason(board.period) && board.period.start < board.period.end);
  for (const [i, a] of seasons.entries()) {
    for (const b of seasons.slice(i + 1)) {
      if (a.metric === b.metric && a.aggregate === b.aggregate && a.period.start < b.period.end && b.period.start < a.period.end) {
        problems.push(`seasons "${a.id}" and "${b.id}" of ${a.aggregate} ${a.metric} overlap`);
      }
    }
  }
  if (problems.length > 0) throw new BoardConfigError(`board config ${source}: ${problems.join('; ')}`);
  return boards;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
