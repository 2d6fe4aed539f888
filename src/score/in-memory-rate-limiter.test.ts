import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryRateLimiter } from './in-memory-rate-limiter.js';

/** A clock that only moves when told to. */
class FakeClock {
  constructor(public ms = 1_795_000_000_000) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

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
  it('allows exactly `burst` requests of a fresh key in one instant, then refuses', () => {
    const rl = limiter(10, 20);

    const decisions = Array.from({ length: 25 }, () => rl.take('user:a'));

    expect(decisions.slice(0, 20).every((d) => d.allowed)).toBe(true);
    expect(decisions.slice(20).every((d) => !d.allowed)).toBe(true);
  });

  it('allows one request with burst 1, then refuses', () => {
    const rl = limiter(1, 1);
    expect(rl.take('k').allowed).toBe(true);
    expect(rl.take('k').allowed).toBe(false);
  });

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

  it('refills perSec tokens a second: after exhausting, 100 ms gives exactly 1 more and 1 s gives 10 more', () => {
    const clock = new FakeClock();
    const rl = limiter(10, 20, clock);
    expect(allowedOf(rl, 'k', 20)).toBe(20);
    expect(rl.take('k').allowed).toBe(false);

    clock.advance(100);
    expect(allowedOf(rl, 'k', 5)).toBe(1);

    clock.advance(1000);
    expect(allowedOf(rl, 'k', 15)).toBe(10);
  });

  it('does not refill beyond burst however long a key stays idle', () => {
    const clock = new FakeClock();
    const rl = limiter(10, 20, clock);
    expect(allowedOf(rl, 'k', 20)).toBe(20);

    clock.advance(60 * 60 * 1000);
    expect(allowedOf(rl, 'k', 30)).toBe(20);
  });

  it('accumulates partial refills: 50 ms and 50 ms make one token', () => {
    const clock = new FakeClock();
    const rl = limiter(10, 20, clock);
    expect(allowedOf(rl, 'k', 20)).toBe(20);

    clock.advance(50);
    expect(rl.take('k').allowed).toBe(false);
    clock.advance(50);
    expect(rl.take('k').allowed).toBe(true);
    expect(rl.take('k').allowed).toBe(false);
  });

  it('reports limit = burst, remaining counting down and retryAfterSeconds 0 while allowed', () => {
    const rl = limiter(10, 5);

    const remaining: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const decision = rl.take('k');
      expect(decision.allowed).toBe(true);
      expect(decision.limit).toBe(5);
      expect(decision.retryAfterSeconds).toBe(0);
      remaining.push(decision.remaining);
    }
    expect(remaining).toEqual([4, 3, 2, 1, 0]);
  });

  it('reports a refusal with limit, remaining 0, retryAfterSeconds ≥ 1 and resetSeconds until full', () => {
    const rl = limiter(10, 20);
    allowedOf(rl, 'k', 20);

    expect(rl.take('k')).toEqual({ allowed: false, limit: 20, remaining: 0, resetSeconds: 2, retryAfterSeconds: 1 });
  });

  it('reports resetSeconds as the whole seconds until the bucket is full', () => {
    const clock = new FakeClock();
    const rl = limiter(1, 10, clock);

    expect(rl.take('k').resetSeconds).toBe(1);
    expect(rl.take('k').resetSeconds).toBe(2);
    allowedOf(rl, 'k', 8);
    expect(rl.take('k').resetSeconds).toBe(10);

    clock.advance(2500);
    const decision = rl.take('k');
    expect(decision.allowed).toBe(true);
    expect(decision.remaining).toBe(1);
    // 1.5 tokens left of 10 at 1 a second: 8.5 s, rounded up.
    expect(decision.resetSeconds).toBe(9);
  });

  it('keeps keys independent', () => {
    const rl = limiter(10, 3);
    expect(allowedOf(rl, 'user:a', 5)).toBe(3);

    const fresh = rl.take('user:b');
    expect(fresh.allowed).toBe(true);
    expect(fresh.remaining).toBe(2);
    expect(allowedOf(rl, 'user:b', 5)).toBe(2);
    expect(allowedOf(rl, 'ip:127.0.0.1', 5)).toBe(3);
    expect(rl.take('user:a').allowed).toBe(false);
  });

  it('does not spend a token on a refused request', () => {
    const clock = new FakeClock();
    const rl = limiter(10, 20, clock);
    allowedOf(rl, 'k', 20);

    // Hammering an empty bucket must not push it into debt.
    expect(allowedOf(rl, 'k', 100)).toBe(0);
    clock.advance(100);
    const decision = rl.take('k');
    expect(decision.allowed).toBe(true);
    expect(decision.remaining).toBe(0);
  });

  it('counts retryAfterSeconds from the missing fraction of a token', () => {
    const clock = new FakeClock();
    const rl = limiter(1, 2, clock);
    allowedOf(rl, 'k', 2);

    expect(rl.take('k').retryAfterSeconds).toBe(1);
    clock.advance(400);
    // 0.4 tokens: 0.6 s more, rounded up to a whole second.
    expect(rl.take('k').retryAfterSeconds).toBe(1);
    clock.advance(600);
    expect(rl.take('k').allowed).toBe(true);
  });

  it('handles fractional rates: perSec 0.5 refuses with retryAfterSeconds 2', () => {
    const clock = new FakeClock();
    const rl = limiter(0.5, 1, clock);

    expect(rl.take('k').allowed).toBe(true);
    const refused = rl.take('k');
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBe(2);
    expect(refused.resetSeconds).toBe(2);

    clock.advance(1999);
    expect(rl.take('k').allowed).toBe(false);
    clock.advance(1);
    expect(rl.take('k').allowed).toBe(true);
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
