import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../test/helpers.js';
import { readDefinitions } from './compose.js';
import { ConfigError } from './platform/config.js';

function files(boards: unknown, actions: unknown): { boardConfig: string; actionCatalog: string } {
  const dir = temporaryDirectory();
  const boardConfig = path.join(dir, 'boards.json');
  const actionCatalog = path.join(dir, 'actions.json');
  fs.writeFileSync(boardConfig, JSON.stringify(boards));
  fs.writeFileSync(actionCatalog, JSON.stringify(actions));
  return { boardConfig, actionCatalog };
}

const click = { type: 'click', points: 1, mode: 'instant', cooldownMs: 0 };

describe('readDefinitions', () => {
  it('reads the shipped files, every board ranking a metric the catalog yields', () => {
    const { boards, catalog } = readDefinitions({ boardConfig: undefined, actionCatalog: undefined });
    expect(boards.map((board) => board.id)).toEqual(['global', 'daily', 'weekly', 'monthly', 'fastest-sprint', 'best-match']);
    expect(catalog.get('sprint')?.metrics).toEqual({ 'sprint-ms': 'duration' });
  });

  it('refuses a board ranking a metric no action yields, naming the board, its metric and what the catalog yields', () => {
    const definitions = files({ boards: [{ id: 'global' }, { id: 'kills', metric: 'kills' }] }, { actions: [click] });
    expect(() => readDefinitions(definitions)).toThrow(ConfigError);
    expect(() => readDefinitions(definitions)).toThrow('"kills" (kills); the catalog yields points');
  });

  it('names the problems of both files in one line', () => {
    const definitions = files({ boards: [{ id: 'a' }, { id: 'a' }] }, { actions: [click, click] });
    let message = '';
    try {
      readDefinitions(definitions);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`board config ${definitions.boardConfig}: "a" appears twice`);
    expect(message).toContain(`action catalog ${definitions.actionCatalog}: "click" appears twice`);
    expect(message).not.toContain('\n');
  });
});
