import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { BoardConfigError, DEFAULT_BOARDS, loadBoards, periodEndsAt, periodKey, startOfUtcDay } from './boards.js';

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test date ${iso}`);
  return ms;
};

describe('DEFAULT_BOARDS', () => {
  it('are global (all time), daily and weekly, as API.md lists', () => {
    expect(DEFAULT_BOARDS).toEqual([
      { id: 'global', period: 'all-time' },
      { id: 'daily', period: 'daily', retainPastPeriods: 1 },
      { id: 'weekly', period: 'weekly', retainPastPeriods: 1 },
    ]);
  });
});

describe('periodKey', () => {
  it("is 'all' for all-time boards, whenever", () => {
    expect(periodKey('all-time', 0)).toBe('all');
    expect(periodKey('all-time', at('2026-11-27T23:59:59.999Z'))).toBe('all');
    expect(periodKey('all-time', at('2099-01-01T00:00:00.000Z'))).toBe('all');
  });

  describe('daily', () => {
    it('is the UTC date, changing exactly at 00:00 UTC', () => {
      expect(periodKey('daily', at('2026-11-27T00:00:00.000Z'))).toBe('2026-11-27');
      expect(periodKey('daily', at('2026-11-27T12:34:56.789Z'))).toBe('2026-11-27');
      expect(periodKey('daily', at('2026-11-27T23:59:59.999Z'))).toBe('2026-11-27');
      expect(periodKey('daily', at('2026-11-28T00:00:00.000Z'))).toBe('2026-11-28');
    });

    it('follows UTC, not the local offset of the timestamp as written', () => {
      // 01:30 in UTC+02:00 is still the previous day in UTC.
      expect(periodKey('daily', at('2026-11-28T01:30:00+02:00'))).toBe('2026-11-27');
      // 20:00 in UTC-05:00 is already the next day in UTC.
      expect(periodKey('daily', at('2026-11-27T20:00:00-05:00'))).toBe('2026-11-28');
    });

    it('crosses month, leap-day and year boundaries', () => {
      expect(periodKey('daily', at('2026-11-30T23:59:59.999Z'))).toBe('2026-11-30');
      expect(periodKey('daily', at('2026-12-01T00:00:00.000Z'))).toBe('2026-12-01');
      expect(periodKey('daily', at('2028-02-29T10:00:00.000Z'))).toBe('2028-02-29');
      expect(periodKey('daily', at('2026-12-31T23:59:59.999Z'))).toBe('2026-12-31');
      expect(periodKey('daily', at('2027-01-01T00:00:00.000Z'))).toBe('2027-01-01');
    });
  });

  describe('weekly', () => {
    it("is the date of the week's Monday in UTC, changing at Monday 00:00 UTC", () => {
      expect(periodKey('weekly', at('2026-11-29T23:59:00.000Z'))).toBe('2026-11-23'); // Sunday
      expect(periodKey('weekly', at('2026-11-29T23:59:59.999Z'))).toBe('2026-11-23');
      expect(periodKey('weekly', at('2026-11-30T00:00:00.000Z'))).toBe('2026-11-30'); // Monday
    });

    it('gives every day of one week the same key', () => {
      const keys = ['23', '24', '25', '26', '27', '28', '29'].map((day) => periodKey('weekly', at(`2026-11-${day}T12:00:00.000Z`)));
      expect(new Set(keys)).toEqual(new Set(['2026-11-23']));
    });

    it('handles a week spanning a year boundary', () => {
      // 2027-01-01 is a Friday; its week began on Monday 2026-12-28.
      expect(periodKey('weekly', at('2026-12-28T00:00:00.000Z'))).toBe('2026-12-28');
      expect(periodKey('weekly', at('2026-12-31T23:59:59.999Z'))).toBe('2026-12-28');
      expect(periodKey('weekly', at('2027-01-01T00:00:00.000Z'))).toBe('2026-12-28');
      expect(periodKey('weekly', at('2027-01-03T23:59:59.999Z'))).toBe('2026-12-28'); // Sunday
      expect(periodKey('weekly', at('2027-01-04T00:00:00.000Z'))).toBe('2027-01-04'); // Monday
    });

    it('follows UTC, not the local offset of the timestamp as written', () => {
      // Monday 01:00 in UTC+02:00 is still Sunday in UTC.
      expect(periodKey('weekly', at('2026-11-30T01:00:00+02:00'))).toBe('2026-11-23');
    });

    it('works before 1970 and on a Thursday epoch', () => {
      // 1970-01-01 was a Thursday.
      expect(periodKey('weekly', 0)).toBe('1969-12-29');
      expect(periodKey('weekly', at('1969-12-28T12:00:00.000Z'))).toBe('1969-12-22');
    });
  });
});

describe('periodEndsAt', () => {
  it('is undefined for all-time boards', () => {
    expect(periodEndsAt('all-time', at('2026-11-27T12:00:00.000Z'))).toBeUndefined();
  });

  it('is the next 00:00 UTC for daily boards', () => {
    expect(periodEndsAt('daily', at('2026-11-27T00:00:00.000Z'))).toBe(at('2026-11-28T00:00:00.000Z'));
    expect(periodEndsAt('daily', at('2026-11-27T23:59:59.999Z'))).toBe(at('2026-11-28T00:00:00.000Z'));
    expect(periodEndsAt('daily', at('2026-12-31T18:00:00.000Z'))).toBe(at('2027-01-01T00:00:00.000Z'));
  });

  it('is the next Monday 00:00 UTC for weekly boards', () => {
    expect(periodEndsAt('weekly', at('2026-11-23T00:00:00.000Z'))).toBe(at('2026-11-30T00:00:00.000Z'));
    expect(periodEndsAt('weekly', at('2026-11-26T15:00:00.000Z'))).toBe(at('2026-11-30T00:00:00.000Z'));
    expect(periodEndsAt('weekly', at('2026-11-29T23:59:59.999Z'))).toBe(at('2026-11-30T00:00:00.000Z'));
    expect(periodEndsAt('weekly', at('2026-11-30T00:00:00.000Z'))).toBe(at('2026-12-07T00:00:00.000Z'));
    expect(periodEndsAt('weekly', at('2027-01-01T09:00:00.000Z'))).toBe(at('2027-01-04T00:00:00.000Z'));
  });

  it('is always later than the instant, and is where the key changes', () => {
    for (const iso of ['2026-11-27T23:59:59.999Z', '2026-11-29T23:59:59.999Z', '2027-01-03T08:00:00.000Z']) {
      const t = at(iso);
      for (const period of ['daily', 'weekly'] as const) {
        const end = periodEndsAt(period, t);
        expect(end).toBeGreaterThan(t);
        if (end === undefined) throw new Error('unreachable');
        expect(periodKey(period, end - 1)).toBe(periodKey(period, t));
        expect(periodKey(period, end)).not.toBe(periodKey(period, t));
      }
    }
  });
});

describe('startOfUtcDay', () => {
  it('is 00:00 UTC of the same day', () => {
    expect(startOfUtcDay(at('2026-11-27T23:59:59.999Z'))).toBe(at('2026-11-27T00:00:00.000Z'));
    expect(startOfUtcDay(at('2026-11-28T00:00:00.000Z'))).toBe(at('2026-11-28T00:00:00.000Z'));
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

  it('lets an operator add a board', () => {
    const file = write(JSON.stringify({ boards: [...DEFAULT_BOARDS, { id: 'season-1', period: 'all-time' }] }));
    expect(loadBoards(file).map((board) => board.id)).toEqual(['global', 'daily', 'weekly', 'season-1']);
  });

  it.each([
    ['a duplicate id', { boards: [{ id: 'a', period: 'daily' }, { id: 'a', period: 'weekly' }] }, 'twice'],
    ['an unknown period', { boards: [{ id: 'a', period: 'monthly' }] }, '/boards/0/period'],
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
