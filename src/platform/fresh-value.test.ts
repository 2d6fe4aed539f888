import { afterEach, describe, expect, it, vi } from 'vitest';
import { FreshValue } from './fresh-value.js';

afterEach(() => void vi.useRealTimers());

describe('FreshValue', () => {
  it('shares one read while fresh, reads again once it is maxAgeMs old or forgotten', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    let reads = 0;
    const value = new FreshValue(async () => (reads += 1), 1_000);
    expect(await Promise.all([value.get(), value.get(), value.get()])).toEqual([1, 1, 1]);
    vi.setSystemTime(Date.now() + 999);
    expect(await value.get()).toBe(1);
    vi.setSystemTime(Date.now() + 1);
    expect(await value.get()).toBe(2);
    value.forget();
    expect(await value.get()).toBe(3);
  });

  it('forgets a failed read at once, so the next caller tries again', async () => {
    let fail = true;
    const value = new FreshValue(async () => {
      if (fail) throw new Error('store away');
      return 'key';
    }, 60_000);
    await expect(value.get()).rejects.toThrow('store away');
    fail = false;
    expect(await value.get()).toBe('key');
  });
});
