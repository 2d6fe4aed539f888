import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.js';
import { FakeClock } from './rate-limiter.contract.js';

const limiters: InMemoryRateLimiter[] = [];

function limiter(perSec: number, burst: number, clock = new FakeClock()): InMemoryRateLimiter {
  const created = new InMemoryRateLimiter({ perSec, burst, now: clock.now });
  limiters.push(created);
  return created;
}

/** How many of `attempts` takes of `key` are allowed, without time passing. */
function allowedOf(rl: InMemoryRateLimiter, key: string, attempts: number): number {
  let allowed = 0;
  for (let i = 0; i < attempts; i += 1) if (rl.take(key).allowed) allowed += 1;
  return allowed;
}

afterEach(async () => {
  await Promise.all(limiters.splice(0).map((rl) => rl.close()));
});

describe('InMemoryRateLimiter', () => {
  it('consume gives the same verdicts as take, asynchronously', async () => {
    const rl = limiter(10, 2);
    const first = rl.consume('k');
    expect(first).toBeInstanceOf(Promise);
    expect((await first).allowed).toBe(true);
    expect((await rl.consume('k')).allowed).toBe(true);
    const third = await rl.consume('k');
    expect(third.allowed).toBe(false);
    expect(third.retryAfterSeconds).toBe(1);
  });

  it('sweep forgets buckets that have refilled completely and keeps those still draining', () => {
    const clock = new FakeClock();
    const rl = limiter(10, 20, clock);
    expect(rl.size).toBe(0);

    rl.take('light'); // 19 left: full again after 100 ms
    allowedOf(rl, 'heavy', 20); // 0 left: full again after 2 s
    expect(rl.size).toBe(2);

    rl.sweep();
    expect(rl.size).toBe(2);

    clock.advance(100);
    rl.sweep();
    expect(rl.size).toBe(1);

    clock.advance(1000);
    rl.sweep();
    expect(rl.size).toBe(1);
    // The kept bucket is the drained one, still counting its refill.
    expect(allowedOf(rl, 'heavy', 20)).toBe(11);

    clock.advance(2000);
    rl.sweep();
    expect(rl.size).toBe(0);
  });

  it('treats a swept key like a fresh one', () => {
    const clock = new FakeClock();
    const rl = limiter(10, 20, clock);
    allowedOf(rl, 'k', 20);
    clock.advance(2000);
    rl.sweep();
    expect(rl.size).toBe(0);

    expect(allowedOf(rl, 'k', 25)).toBe(20);
  });
});
