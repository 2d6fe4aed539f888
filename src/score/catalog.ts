import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';
import { METRIC_NAME_PATTERN } from '../platform/boards.js';

/** The catalog shipped with the project; `ACTION_CATALOG` points at another file. */
export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL('../../config/actions.json', import.meta.url));

/** A value a trusted game server sends, within bounds; above `review`, the action is held for a person to look at. */
const BoundedMetricSchema = Type.Object(
  { min: Type.Number(), max: Type.Number(), review: Type.Optional(Type.Number()) },
  { additionalProperties: false },
);
const MetricSchema = Type.Union([
  // A constant the action yields: `{"kills": 1}`.
  Type.Number({ minimum: -1e12, maximum: 1e12 }),
  // The milliseconds the server measured between `…/start` and the accepted completion.
  Type.Literal('duration'),
  BoundedMetricSchema,
]);

// Bounds keep one action from overflowing a total or a timer: 10^6 points an action and a
// day-long ticket are far beyond any game design, far below Number.MAX_SAFE_INTEGER.
export const ActionTypeSchema = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    /** The `points` metric, yielded when above 0. @default 0 */
    points: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    mode: Type.Union([Type.Literal('instant'), Type.Literal('timed'), Type.Literal('server')]),
    minDurationMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
    maxDurationMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400_000 })),
    cooldownMs: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
    dailyCap: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    /** Metrics beyond `points`, by name. */
    metrics: Type.Optional(Type.Record(Type.String({ pattern: METRIC_NAME_PATTERN }), MetricSchema, { additionalProperties: false, maxProperties: 16 })),
  },
  { additionalProperties: false },
);
/** An action type as the server uses it: `points` filled in (0 when the file leaves it out). */
export type ActionType = Static<typeof ActionTypeSchema> & { points: number };
export type MetricSource = Static<typeof MetricSchema>;
export type BoundedMetric = Static<typeof BoundedMetricSchema>;

const CatalogFileSchema = Type.Object({ actions: Type.Array(ActionTypeSchema, { minItems: 1, maxItems: 256 }) }, { additionalProperties: false });

/** Thrown at start when the catalog file is missing or wrong; the message names the file and every problem, on one line. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

/** The server's price list: what each action type is worth, what it yields, and the rules it plays by. */
export class ActionCatalog {
  private readonly byType: ReadonlyMap<string, ActionType>;

  constructor(readonly actions: readonly ActionType[]) {
    this.byType = new Map(actions.map((action) => [action.type, action]));
  }

  get(type: string): ActionType | undefined {
    return this.byType.get(type);
  }

  /** Every metric some action yields: what a board may rank. */
  metrics(): Set<string> {
    const names = new Set<string>();
    for (const action of this.actions) {
      if (action.points > 0) names.add('points');
      for (const name of Object.keys(action.metrics ?? {})) names.add(name);
    }
    return names;
  }
}

/**
 * The values an accepted action yields: `points` when above 0, each constant, the measured
 * duration of a timed action, and the values a game server sent for the bounded ones.
 */
export function metricValues(action: ActionType, measured: { durationMs?: number; sent?: Readonly<Record<string, number>> } = {}): Record<string, number> {
  const values: Record<string, number> = {};
  if (action.points > 0) values.points = action.points;
  for (const [name, source] of Object.entries(action.metrics ?? {})) {
    if (typeof source === 'number') values[name] = source;
    else if (source === 'duration') {
      if (measured.durationMs !== undefined) values[name] = measured.durationMs;
    } else if (measured.sent?.[name] !== undefined) values[name] = measured.sent[name];
  }
  return values;
}

/** Reads and validates a catalog file. @throws CatalogError */
export function loadCatalog(file: string = DEFAULT_CATALOG_PATH): ActionCatalog {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CatalogError(`action catalog ${file}: ${(error as Error).message}`);
  }
  return new ActionCatalog(validateCatalog(parsed, file));
}

/** @throws CatalogError naming every problem found, on one line */
export function validateCatalog(input: unknown, source = 'catalog'): ActionType[] {
  const schemaProblems = [...new Set([...Value.Errors(CatalogFileSchema, input)].map((error) => `${error.instancePath || '/'} ${error.message}`))];
  if (schemaProblems.length > 0) throw new CatalogError(`action catalog ${source}: ${schemaProblems.join('; ')}`);
  const actions = (input as Static<typeof CatalogFileSchema>).actions.map((action): ActionType => ({ ...action, points: action.points ?? 0 }));
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    const name = `"${action.type}"`;
    if (seen.has(action.type)) problems.push(`${name} appears twice`);
    seen.add(action.type);
    if (action.mode === 'timed') {
      if (action.minDurationMs === undefined || action.maxDurationMs === undefined) problems.push(`${name} is timed and needs minDurationMs and maxDurationMs`);
      else if (action.minDurationMs > action.maxDurationMs) problems.push(`${name} has minDurationMs above maxDurationMs`);
    } else if (action.minDurationMs !== undefined || action.maxDurationMs !== undefined) {
      problems.push(`${name} is ${action.mode} and cannot have minDurationMs or maxDurationMs`);
    }
    for (const [metric, value] of Object.entries(action.metrics ?? {})) {
      const where = `${name} metric "${metric}"`;
      if (metric === 'points') problems.push(`${where}: points come from the "points" field`);
      if (value === 'duration' && action.mode !== 'timed') problems.push(`${where} is a duration, which only a timed action has`);
      if (typeof value === 'object') {
        if (action.mode !== 'server') problems.push(`${where} is sent by a game server, which only a server action has`);
        if (value.min > value.max) problems.push(`${where} has min above max`);
        if (value.review !== undefined && (value.review < value.min || value.review > value.max)) problems.push(`${where} has review outside [min, max]`);
        if (Math.max(Math.abs(value.min), Math.abs(value.max)) > 1e12) problems.push(`${where} has bounds beyond ±10^12`);
      }
    }
    if (action.points === 0 && Object.keys(action.metrics ?? {}).length === 0) problems.push(`${name} yields nothing: give it points or metrics`);
  }
  if (problems.length > 0) throw new CatalogError(`action catalog ${source}: ${problems.join('; ')}`);
  return actions;
}
