import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BoardConfigError, DEFAULT_BOARDS, loadBoards, validateBoards } from './boards.js';

describe('DEFAULT_BOARDS', () => {
  it('are global, daily, weekly and monthly on points, a weekly speed-run board and an all-time best match', () => {
    expect(DEFAULT_BOARDS.map((board) => [board.id, board.metric, board.aggregate, board.order, board.period, board.retainPastPeriods])).toEqual([
      ['global', 'points', 'sum', 'desc', 'all-time', 1],
      ['daily', 'points', 'sum', 'desc', 'daily', 1],
      ['weekly', 'points', 'sum', 'desc', 'weekly', 1],
      ['monthly', 'points', 'sum', 'desc', 'monthly', 1],
      ['fastest-sprint', 'sprint-ms', 'min', 'asc', 'weekly', 4],
      ['best-match', 'match-score', 'max', 'desc', 'all-time', 1],
    ]);
  });
});

describe('loadBoards', () => {
  const write = (content: string): string => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-boards-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'boards.json');
    fs.writeFileSync(file, content);
    return file;
  };

  it('ships config/boards.json with exactly the default boards', () => {
    expect(loadBoards()).toEqual(DEFAULT_BOARDS);
  });

  it('reads a board file of the first release (id and period only) with every default filled in', () => {
    const file = write(JSON.stringify({ boards: [{ id: 'global', period: 'all-time' }, { id: 'daily', period: 'daily', retainPastPeriods: 1 }] }));
    expect(loadBoards(file)).toEqual([
      { id: 'global', metric: 'points', aggregate: 'sum', order: 'desc', period: 'all-time', retainPastPeriods: 1 },
      { id: 'daily', metric: 'points', aggregate: 'sum', order: 'desc', period: 'daily', retainPastPeriods: 1 },
    ]);
  });

  it('reads a season as its start and end in ms', () => {
    const [board] = validateBoards({ boards: [{ id: 's1', metric: 'kills', period: { start: '2026-12-01T00:00:00Z', end: '2027-03-01T00:00:00Z' } }] });
    expect(board?.period).toEqual({ start: Date.parse('2026-12-01T00:00:00Z'), end: Date.parse('2027-03-01T00:00:00Z') });
    expect(board?.metric).toBe('kills');
  });

  it('names every problem of a file in one line', () => {
    const season = (start: string, end: string) => ({ start, end });
    let message = '';
    try {
      validateBoards(
        {
          boards: [
            { id: 'a', period: 'daily' },
            { id: 'a', period: 'weekly' },
            { id: 'backwards', metric: 'kills', period: season('2027-01-01T00:00:00Z', '2026-12-01T00:00:00Z') },
            { id: 's1', metric: 'kills', period: season('2026-12-01T00:00:00Z', '2027-02-01T00:00:00Z') },
            { id: 's2', metric: 'kills', period: season('2027-01-15T00:00:00Z', '2027-04-01T00:00:00Z') },
            { id: 's3', metric: 'kills', aggregate: 'max', period: season('2027-01-15T00:00:00Z', '2027-04-01T00:00:00Z') },
          ],
        },
        'boards.json',
      );
    } catch (error) {
      expect(error).toBeInstanceOf(BoardConfigError);
      message = (error as Error).message;
    }
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^board config boards\.json: /);
    expect(message).toContain('"a" appears twice');
    expect(message).toContain('"backwards" has a season that ends before it starts');
    expect(message).toContain('seasons "s1" and "s2" of sum kills overlap');
    // Another aggregate is another series: s3 may overlap s1 and s2.
    expect(message).not.toContain('"s3"');
  });

  it.each([
    ['a duplicate id', { boards: [{ id: 'a', period: 'daily' }, { id: 'a', period: 'weekly' }] }, 'twice'],
    ['an unknown period', { boards: [{ id: 'a', period: 'yearly' }] }, '/boards/0/period'],
    ['an unknown aggregate', { boards: [{ id: 'a', aggregate: 'avg' }] }, '/boards/0/aggregate'],
    ['an unknown order', { boards: [{ id: 'a', order: 'up' }] }, '/boards/0/order'],
    ['a bad metric name', { boards: [{ id: 'a', metric: 'Kills!' }] }, '/boards/0/metric'],
    ['a season date that is no date', { boards: [{ id: 'a', period: { start: 'soon', end: '2027-01-01T00:00:00Z' } }] }, '/boards/0/period'],
    ['a bad id', { boards: [{ id: 'Bad Id', period: 'daily' }] }, '/boards/0/id'],
    ['no boards', { boards: [] }, '/boards'],
    ['an unknown field', { boards: [{ id: 'a', period: 'daily', color: 'red' }] }, '/boards/0'],
  ])('refuses %s, naming the file and the problem', (_case, content, expected) => {
    const file = write(JSON.stringify(content));
    expect(() => loadBoards(file)).toThrow(BoardConfigError);
    expect(() => loadBoards(file)).toThrow(expected);
    expect(() => loadBoards(file)).toThrow(file);
  });

  it('refuses a missing file or invalid JSON', () => {
    expect(() => loadBoards('/nonexistent/boards.json')).toThrow(/nonexistent\/boards\.json/);
    expect(() => loadBoards(write('{'))).toThrow(BoardConfigError);
  });
});
