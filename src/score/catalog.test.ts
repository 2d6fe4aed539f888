import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ActionCatalog, CatalogError, DEFAULT_CATALOG_PATH, loadCatalog, metricValues, validateCatalog, type ActionType } from './catalog.js';

const CLICK: ActionType = { type: 'click', points: 1, mode: 'instant', cooldownMs: 0 };
const QUEST: ActionType = { type: 'quest', points: 50, mode: 'timed', minDurationMs: 2000, maxDurationMs: 600_000, cooldownMs: 0 };

/** The CatalogError `fn` throws; fails the test if it returns or throws something else. */
function catalogErrorOf(fn: () => unknown): CatalogError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return error as CatalogError;
  }
  throw new Error('expected a CatalogError, but nothing was thrown');
}

/** validateCatalog's message for `input` (read from "test.json"); fails the test if it is accepted. */
function rejectionOf(input: unknown): string {
  const error = catalogErrorOf(() => validateCatalog(input, 'test.json'));
  expect(error.name).toBe('CatalogError');
  expect(error.message).toContain('test.json');
  return error.message;
}

function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-test-'));
  try {
    return fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('the shipped catalog (config/actions.json)', () => {
  it('is what loadCatalog() reads without arguments', () => {
    expect(path.basename(DEFAULT_CATALOG_PATH)).toBe('actions.json');
    expect(path.basename(path.dirname(DEFAULT_CATALOG_PATH))).toBe('config');
    expect(fs.existsSync(DEFAULT_CATALOG_PATH)).toBe(true);
  });

  it('holds click, quest, daily-bonus, sprint and match-result with the values docs/API.md gives', () => {
    const catalog = loadCatalog();

    expect(catalog.actions.map((action) => action.type)).toEqual(['click', 'quest', 'daily-bonus', 'sprint', 'match-result']);
    expect(catalog.get('sprint')).toMatchObject({ points: 10, mode: 'timed', minDurationMs: 3000, maxDurationMs: 600_000, metrics: { 'sprint-ms': 'duration' } });
    expect(catalog.get('match-result')).toEqual({
      type: 'match-result',
      points: 0,
      mode: 'server',
      cooldownMs: 0,
      metrics: { 'match-score': { min: 0, max: 100_000, review: 50_000 } },
    });
    expect([...catalog.metrics()].sort()).toEqual(['match-score', 'points', 'sprint-ms']);
    expect(catalog.get('click')).toEqual({ type: 'click', points: 1, mode: 'instant', cooldownMs: 0 });
    expect(catalog.get('quest')).toEqual({
      type: 'quest',
      points: 50,
      mode: 'timed',
      minDurationMs: 2000,
      maxDurationMs: 600_000,
      cooldownMs: 0,
    });
    const bonus = catalog.get('daily-bonus');
    expect(bonus).toMatchObject({ type: 'daily-bonus', points: 100, mode: 'instant', dailyCap: 1 });
    expect(bonus?.minDurationMs).toBeUndefined();
    expect(bonus?.maxDurationMs).toBeUndefined();
  });
});

describe('ActionCatalog.get', () => {
  it('finds an action by its type and nothing else', () => {
    const catalog = new ActionCatalog([CLICK, QUEST]);

    expect(catalog.get('click')).toBe(CLICK);
    expect(catalog.get('quest')).toBe(QUEST);
    expect(catalog.get('Click')).toBeUndefined();
    expect(catalog.get('')).toBeUndefined();
    expect(catalog.get('toString')).toBeUndefined();
    expect(catalog.get('__proto__')).toBeUndefined();
  });

  it('keeps the actions in order', () => {
    expect(new ActionCatalog([QUEST, CLICK]).actions).toEqual([QUEST, CLICK]);
  });
});

describe('validateCatalog', () => {
  it('returns the actions of a valid catalog', () => {
    const bonus: ActionType = { type: 'daily-bonus', points: 100, mode: 'instant', cooldownMs: 0, dailyCap: 1 };
    expect(validateCatalog({ actions: [CLICK, QUEST, bonus] })).toEqual([CLICK, QUEST, bonus]);
  });

  it('accepts a timed action whose min equals its max', () => {
    const even = { ...QUEST, minDurationMs: 5000, maxDurationMs: 5000 };
    expect(validateCatalog({ actions: [even] })).toEqual([even]);
  });

  it('refuses a type that appears twice', () => {
    const message = rejectionOf({ actions: [CLICK, QUEST, { ...CLICK, points: 5 }] });
    expect(message).toContain('"click"');
    expect(message).toMatch(/twice/);
  });

  it('refuses a timed action without minDurationMs', () => {
    const { minDurationMs: _min, ...noMin } = QUEST;
    const message = rejectionOf({ actions: [noMin] });
    expect(message).toContain('"quest"');
    expect(message).toMatch(/timed/);
    expect(message).toMatch(/minDurationMs/);
  });

  it('refuses a timed action without maxDurationMs', () => {
    const { maxDurationMs: _max, ...noMax } = QUEST;
    const message = rejectionOf({ actions: [noMax] });
    expect(message).toContain('"quest"');
    expect(message).toMatch(/maxDurationMs/);
  });

  it('refuses a timed action with neither duration', () => {
    const message = rejectionOf({ actions: [{ type: 'quest', points: 50, mode: 'timed', cooldownMs: 0 }] });
    expect(message).toContain('"quest"');
    expect(message).toMatch(/timed/);
  });

  it('refuses minDurationMs above maxDurationMs', () => {
    const message = rejectionOf({ actions: [{ ...QUEST, minDurationMs: 3001, maxDurationMs: 3000 }] });
    expect(message).toContain('"quest"');
    expect(message).toMatch(/minDurationMs above maxDurationMs/);
  });

  it('refuses an instant action with minDurationMs', () => {
    const message = rejectionOf({ actions: [{ ...CLICK, minDurationMs: 10 }] });
    expect(message).toContain('"click"');
    expect(message).toMatch(/instant/);
  });

  it('refuses an instant action with maxDurationMs', () => {
    const message = rejectionOf({ actions: [{ ...CLICK, maxDurationMs: 10 }] });
    expect(message).toContain('"click"');
    expect(message).toMatch(/instant/);
  });

  it.each([
    ['negative', -5],
    ['non-integer', 1.5],
  ])('refuses %s points', (_label, points) => {
    const message = rejectionOf({ actions: [CLICK, { ...QUEST, points }] });
    expect(message).toContain('/actions/1/points');
  });

  it('refuses points given as a string', () => {
    expect(rejectionOf({ actions: [{ ...CLICK, points: '1' }] })).toContain('/actions/0/points');
  });

  it('refuses an unknown property of an action, naming it', () => {
    const message = rejectionOf({ actions: [{ ...CLICK, bonus: 3 }] });
    expect(message).toContain('/actions/0/bonus');
  });

  it('refuses an unknown top-level property, naming it', () => {
    expect(rejectionOf({ actions: [CLICK], version: 2 })).toContain('/version');
  });

  it.each([
    ['uppercase', 'Click'],
    ['a space', 'daily bonus'],
    ['empty', ''],
    ['a leading hyphen', '-click'],
    ['33 characters', 'a'.repeat(33)],
  ])('refuses a type name with %s', (_label, type) => {
    const message = rejectionOf({ actions: [{ ...CLICK, type }] });
    expect(message).toContain('/actions/0/type');
  });

  it('accepts a 32-character type name of lowercase letters, digits and hyphens', () => {
    const type = `a1-${'b'.repeat(29)}`;
    expect(validateCatalog({ actions: [{ ...CLICK, type }] })[0]?.type).toBe(type);
  });

  it('refuses an unknown mode', () => {
    expect(rejectionOf({ actions: [{ ...CLICK, mode: 'weekly' }] })).toContain('/actions/0/mode');
  });

  it('refuses an empty actions list', () => {
    expect(rejectionOf({ actions: [] })).toContain('/actions');
  });

  it('refuses an object without actions', () => {
    expect(rejectionOf({})).toMatch(/actions/);
  });

  it.each([
    ['a number', 42],
    ['a string', 'click'],
    ['null', null],
    ['an array', [CLICK]],
    ['undefined', undefined],
  ])('refuses %s instead of an object', (_label, input) => {
    expect(rejectionOf(input)).toMatch(/object/);
  });

  it('names "catalog" as the source when none is given', () => {
    expect(catalogErrorOf(() => validateCatalog({ actions: [] })).message).toMatch(/catalog/);
  });
});

describe('loadCatalog', () => {
  it('reads a valid file', () => {
    withTempDir((dir) => {
      const file = path.join(dir, 'actions.json');
      fs.writeFileSync(file, JSON.stringify({ actions: [QUEST] }));

      const catalog = loadCatalog(file);

      expect(catalog.actions).toEqual([QUEST]);
      expect(catalog.get('quest')).toEqual(QUEST);
      expect(catalog.get('click')).toBeUndefined();
    });
  });

  it('throws CatalogError naming a missing file', () => {
    withTempDir((dir) => {
      const file = path.join(dir, 'missing.json');
      expect(catalogErrorOf(() => loadCatalog(file)).message).toContain(file);
    });
  });

  it('throws CatalogError naming a file of invalid JSON', () => {
    withTempDir((dir) => {
      const file = path.join(dir, 'broken.json');
      fs.writeFileSync(file, '{ "actions": [ { "type": "click", ');
      expect(catalogErrorOf(() => loadCatalog(file)).message).toContain(file);
    });
  });

  it('throws CatalogError naming the file and the problem for valid JSON that is not a catalog', () => {
    withTempDir((dir) => {
      const file = path.join(dir, 'dupes.json');
      fs.writeFileSync(file, JSON.stringify({ actions: [CLICK, CLICK] }));
      const message = catalogErrorOf(() => loadCatalog(file)).message;
      expect(message).toContain(file);
      expect(message).toMatch(/"click" appears twice/);
    });
  });
});

describe('catalog v2: metrics', () => {
  const SPRINT: ActionType = { type: 'sprint', points: 10, mode: 'timed', minDurationMs: 3000, maxDurationMs: 600_000, cooldownMs: 0, metrics: { 'sprint-ms': 'duration' } };
  const MATCH: ActionType = { type: 'match', points: 0, mode: 'server', cooldownMs: 0, metrics: { score: { min: 0, max: 100, review: 80 }, kills: 1 } };

  it('reads a catalog of the first release unchanged, and fills in points for an action without them', () => {
    expect(validateCatalog({ actions: [CLICK, QUEST] })).toEqual([CLICK, QUEST]);
    const [match] = validateCatalog({ actions: [{ type: 'match', mode: 'server', cooldownMs: 0, metrics: { score: { min: 0, max: 100 } } }] });
    expect(match?.points).toBe(0);
  });

  it('yields points above 0, constants, the measured duration and sent values within the action’s metrics', () => {
    expect(metricValues(CLICK)).toEqual({ points: 1 });
    expect(metricValues(SPRINT, { durationMs: 4321 })).toEqual({ points: 10, 'sprint-ms': 4321 });
    expect(metricValues(MATCH, { sent: { score: 42, other: 7 } })).toEqual({ score: 42, kills: 1 });
  });

  it('names every problem in one line: duration on a non-timed action, sent values on a player action, bad bounds, an action that yields nothing', () => {
    const message = rejectionOf({
      actions: [
        { type: 'tap', points: 1, mode: 'instant', cooldownMs: 0, metrics: { 'tap-ms': 'duration' } },
        { type: 'brag', points: 1, mode: 'instant', cooldownMs: 0, metrics: { claimed: { min: 0, max: 10 } } },
        { type: 'odd', mode: 'server', cooldownMs: 0, metrics: { score: { min: 10, max: 0 }, rating: { min: 0, max: 10, review: 20 } } },
        { type: 'nothing', points: 0, mode: 'instant', cooldownMs: 0 },
        { type: 'dup', points: 1, mode: 'instant', cooldownMs: 0, metrics: { points: 3 } },
      ],
    });
    expect(message).not.toContain('\n');
    expect(message).toContain('"tap" metric "tap-ms" is a duration');
    expect(message).toContain('"brag" metric "claimed" is sent by a game server');
    expect(message).toContain('"odd" metric "score" has min above max');
    expect(message).toContain('"odd" metric "rating" has review outside [min, max]');
    expect(message).toContain('"nothing" yields nothing');
    expect(message).toContain('"dup" metric "points"');
  });

  it('refuses a metric name that is not [a-z][a-z0-9-]{0,31}, and a value that is neither a number, "duration" nor bounds', () => {
    expect(rejectionOf({ actions: [{ ...CLICK, metrics: { Kills: 1 } }] })).toContain('/actions/0/metrics');
    expect(rejectionOf({ actions: [{ ...CLICK, metrics: { kills: 'many' } }] })).toContain('/actions/0/metrics');
    expect(rejectionOf({ actions: [{ ...MATCH, metrics: { score: { min: 0 } } }] })).toContain('/actions/0/metrics');
  });
});
