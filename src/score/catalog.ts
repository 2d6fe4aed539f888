import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Type, type Static } from 'typebox';
import { Value } from 'typebox/value';

/** The catalog shipped with the project; `ACTION_CATALOG` points at another file. */
export const DEFAULT_CATALOG_PATH = fileURLToPath(new URL('../../config/actions.json', import.meta.url));

// Bounds keep one action from overflowing a total or a timer: 10^6 points an action and a
// day-long ticket are far beyond any game design, far below Number.MAX_SAFE_INTEGER.
export const ActionTypeSchema = Type.Object(
  {
    type: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,31}$' }),
    points: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    mode: Type.Union([Type.Literal('instant'), Type.Literal('timed')]),
    minDurationMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400_000 })),
    maxDurationMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 86_400_000 })),
    cooldownMs: Type.Integer({ minimum: 0, maximum: 86_400_000 }),
    dailyCap: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export type ActionType = Static<typeof ActionTypeSchema>;

const CatalogFileSchema = Type.Object({ actions: Type.Array(ActionTypeSchema, { minItems: 1 }) }, { additionalProperties: false });

/** Thrown at start when the catalog file is missing or wrong; the message names the file and the problem. */
export class CatalogError extends Error {
  override readonly name = 'CatalogError';
}

/** The server's price list: what each action type is worth and the rules it plays by. */
export class ActionCatalog {
  private readonly byType: ReadonlyMap<string, ActionType>;

  constructor(readonly actions: readonly ActionType[]) {
    this.byType = new Map(actions.map((action) => [action.type, action]));
  }

  get(type: string): ActionType | undefined {
    return this.byType.get(type);
  }
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

/** @throws CatalogError naming the first problem found */
export function validateCatalog(input: unknown, source = 'catalog'): ActionType[] {
  const first = Value.Errors(CatalogFileSchema, input)[0];
  if (first) throw new CatalogError(`action catalog ${source}: ${first.instancePath || '/'} ${first.message}`);
  const { actions } = input as Static<typeof CatalogFileSchema>;
  const seen = new Set<string>();
  for (const action of actions) {
    const where = `action catalog ${source}: "${action.type}"`;
    if (seen.has(action.type)) throw new CatalogError(`${where} appears twice`);
    seen.add(action.type);
    if (action.mode === 'timed') {
      if (action.minDurationMs === undefined || action.maxDurationMs === undefined) {
        throw new CatalogError(`${where} is timed and needs minDurationMs and maxDurationMs`);
      }
      if (action.minDurationMs > action.maxDurationMs) throw new CatalogError(`${where} has minDurationMs above maxDurationMs`);
    } else if (action.minDurationMs !== undefined || action.maxDurationMs !== undefined) {
      throw new CatalogError(`${where} is instant and cannot have minDurationMs or maxDurationMs`);
    }
  }
  return actions;
}
