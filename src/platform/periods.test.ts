import { describe, expect, it } from 'vitest';
import { countsAt, endedPeriodKeys, isPeriodKeyOf, nextResetAt, pastPeriodKeys, periodEndsAt, periodKey, periodStartsAt, seasonState, startOfUtcDay } from './periods.js';

const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test date ${iso}`);
  return ms;
};

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

describe('monthly periods', () => {
  it("are keyed YYYY-MM in UTC and end on the 1st of the next month, across years and leap days", () => {
    expect(periodKey('monthly', at('2026-11-30T23:59:59.999Z'))).toBe('2026-11');
    expect(periodKey('monthly', at('2026-12-01T00:00:00.000Z'))).toBe('2026-12');
    expect(periodKey('monthly', at('2026-12-01T01:00:00+02:00'))).toBe('2026-11');
    expect(periodStartsAt('monthly', at('2028-02-29T12:00:00.000Z'))).toBe(at('2028-02-01T00:00:00.000Z'));
    expect(periodEndsAt('monthly', at('2028-02-29T12:00:00.000Z'))).toBe(at('2028-03-01T00:00:00.000Z'));
    expect(periodEndsAt('monthly', at('2026-12-15T00:00:00.000Z'))).toBe(at('2027-01-01T00:00:00.000Z'));
  });

  it('list the months before the current one, oldest first', () => {
    expect(pastPeriodKeys('monthly', at('2027-01-10T00:00:00.000Z'), 3)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(pastPeriodKeys('weekly', at('2026-11-27T00:00:00.000Z'), 2)).toEqual(['2026-11-09', '2026-11-16']);
    expect(pastPeriodKeys('daily', at('2027-01-01T05:00:00.000Z'), 1)).toEqual(['2026-12-31']);
    expect(pastPeriodKeys('all-time', at('2027-01-01T05:00:00.000Z'), 3)).toEqual([]);
  });
});

describe('seasons', () => {
  const season = { start: at('2026-12-01T00:00:00.000Z'), end: at('2027-03-01T00:00:00.000Z') };

  it('have one period, keyed by their start, whenever it is asked', () => {
    expect(periodKey(season, at('2026-01-01T00:00:00.000Z'))).toBe('2026-12-01T00:00:00.000Z');
    expect(periodKey(season, at('2027-06-01T00:00:00.000Z'))).toBe('2026-12-01T00:00:00.000Z');
    expect(pastPeriodKeys(season, at('2027-06-01T00:00:00.000Z'), 3)).toEqual([]);
    expect(nextResetAt(season, at('2026-12-05T00:00:00.000Z'))).toBeUndefined();
  });

  it('count actions in [start, end) only, and are upcoming, live, then closed', () => {
    expect(countsAt(season, season.start - 1)).toBe(false);
    expect(countsAt(season, season.start)).toBe(true);
    expect(countsAt(season, season.end - 1)).toBe(true);
    expect(countsAt(season, season.end)).toBe(false);
    expect(countsAt('daily', 0)).toBe(true);
    expect([season.start - 1, season.start, season.end - 1, season.end].map((t) => seasonState(season, t))).toEqual(['upcoming', 'live', 'live', 'closed']);
  });
});

describe('isPeriodKeyOf', () => {
  it('tells a key of the board’s kind from one of another kind', () => {
    expect(isPeriodKeyOf('all-time', 'all')).toBe(true);
    expect(isPeriodKeyOf('all-time', '2026-11-27')).toBe(false);
    expect(isPeriodKeyOf('daily', '2026-11-27')).toBe(true);
    expect(isPeriodKeyOf('daily', '2026-02-30')).toBe(false);
    expect(isPeriodKeyOf('weekly', '2026-11-23')).toBe(true);
    expect(isPeriodKeyOf('weekly', '2026-11-27')).toBe(false); // a Friday
    expect(isPeriodKeyOf('monthly', '2026-11')).toBe(true);
    expect(isPeriodKeyOf('monthly', '2026-13')).toBe(false);
    const season = { start: at('2026-12-01T00:00:00.000Z'), end: at('2027-03-01T00:00:00.000Z') };
    expect(isPeriodKeyOf(season, '2026-12-01T00:00:00.000Z')).toBe(true);
    expect(isPeriodKeyOf(season, '2026-12-01')).toBe(false);
  });
});

describe('endedPeriodKeys', () => {
  const at = (iso: string) => Date.parse(iso);
  it('lists the calendar periods that ended in (after, at], oldest first', () => {
    expect(endedPeriodKeys('daily', at('2026-11-27T10:00:00Z'), at('2026-11-28T00:00:02Z'))).toEqual(['2026-11-27']);
    expect(endedPeriodKeys('daily', at('2026-11-27T10:00:00Z'), at('2026-11-27T23:59:59Z'))).toEqual([]);
    // Down across three midnights: each day that ended, once.
    expect(endedPeriodKeys('daily', at('2026-11-25T12:00:00Z'), at('2026-11-28T08:00:00Z'))).toEqual(['2026-11-25', '2026-11-26', '2026-11-27']);
    expect(endedPeriodKeys('weekly', at('2026-11-27T00:00:00Z'), at('2026-11-30T00:00:05Z'))).toEqual(['2026-11-23']);
    expect(endedPeriodKeys('monthly', at('2026-11-27T00:00:00Z'), at('2026-12-01T00:00:05Z'))).toEqual(['2026-11']);
    expect(endedPeriodKeys('daily', at('2026-01-01T00:00:00Z'), at('2026-11-28T00:00:00Z'), 2)).toEqual(['2026-11-26', '2026-11-27']);
    expect(endedPeriodKeys('all-time', 0, at('2026-11-28T00:00:00Z'))).toEqual([]);
  });

  it('lists a season once it closed within the range', () => {
    const season = { start: at('2026-12-01T00:00:00Z'), end: at('2027-03-01T00:00:00Z') };
    expect(endedPeriodKeys(season, at('2027-02-28T00:00:00Z'), at('2027-03-01T00:00:01Z'))).toEqual(['2026-12-01T00:00:00.000Z']);
    expect(endedPeriodKeys(season, at('2027-02-28T00:00:00Z'), at('2027-02-28T23:59:59Z'))).toEqual([]);
    expect(endedPeriodKeys(season, at('2027-03-02T00:00:00Z'), at('2027-03-05T00:00:00Z'))).toEqual([]);
  });
});
