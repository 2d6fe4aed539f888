import { afterEach, describe, expect, it } from 'vitest';
import type { RateLimitConfig } from './config.js';
import type { RateLimiter } from './rate-limiter.js';

export interface RateLimiterFactoryOptions extends RateLimitConfig {
  now: () => number;
}

/** A clock that only moves when told to. */
export class FakeClock {
  constructor(public ms = 1_795_000_000_000) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

/**
 * The behaviour every `RateLimiter` adapter must share. `factory` gives a limiter with no
 * buckets yet, reading time from `options.now`.
 */
export function describeRateLimiter(name: string, factory: (options: RateLimiterFactoryOptions) => Promise<RateLimiter> | RateLimiter): void {
  describe(`RateLimiter contract: ${name}`, () => {
    const limiters: RateLimiter[] = [];

    async function limiter(perSec: number, burst: number, clock = new FakeClock()): Promise<RateLimiter> {
      const created = await factory({ perSec, burst, now: clock.now });
      limiters.push(created);
      return created;
    }

    /** How many of `attempts` consumes of `key` are allowed, without time passing. */
    async function allowedOf(rl: RateLimiter, key: string, attempts: number): Promise<number> {
      let allowed = 0;
      for (let i = 0; i < attempts; i += 1) if ((await rl.consume(key)).allowed) allowed += 1;
      return allowed;
    }

    afterEach(async () => {
      await Promise.all(limiters.splice(0).map((rl) => rl.close()));
    });

    it('allows exactly `burst` requests of a fresh key in one instant, then refuses', async () => {
      const rl = await limiter(10, 20);

      const decisions = [];
      for (let i = 0; i < 25; i += 1) decisions.push(await rl.consume('user:a'));

      expect(decisions.slice(0, 20).every((d) => d.allowed)).toBe(true);
      expect(decisions.slice(20).every((d) => !d.allowed)).toBe(true);
    });

    it('allows one request with burst 1, then refuses', async () => {
      const rl = await limiter(1, 1);
      expect((await rl.consume('k')).allowed).toBe(true);
      expect((await rl.consume('k')).allowed).toBe(false);
    });

    it('refills perSec tokens a second: after exhausting, 100 ms gives exactly 1 more and 1 s gives 10 more', async () => {
      const clock = new FakeClock();
      const rl = await limiter(10, 20, clock);
      expect(await allowedOf(rl, 'k', 20)).toBe(20);
      expect((await rl.consume('k')).allowed).toBe(false);

      clock.advance(100);
      expect(await allowedOf(rl, 'k', 5)).toBe(1);

      clock.advance(1000);
      expect(await allowedOf(rl, 'k', 15)).toBe(10);
    });

    it('does not refill beyond burst however long a key stays idle', async () => {
      const clock = new FakeClock();
      const rl = await limiter(10, 20, clock);
      expect(await allowedOf(rl, 'k', 20)).toBe(20);

      clock.advance(60 * 60 * 1000);
      expect(await allowedOf(rl, 'k', 30)).toBe(20);
    });

    it('accumulates partial refills: 50 ms and 50 ms make one token', async () => {
      const clock = new FakeClock();
      const rl = await limiter(10, 20, clock);
      expect(await allowedOf(rl, 'k', 20)).toBe(20);

      clock.advance(50);
      expect((await rl.consume('k')).allowed).toBe(false);
      clock.advance(50);
      expect((await rl.consume('k')).allowed).toBe(true);
      expect((await rl.consume('k')).allowed).toBe(false);
    });

    it('reports limit = burst, remaining counting down and retryAfterSeconds 0 while allowed', async () => {
      const rl = await limiter(10, 5);

      const remaining: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        const decision = await rl.consume('k');
        expect(decision.allowed).toBe(true);
        expect(decision.limit).toBe(5);
        expect(decision.retryAfterSeconds).toBe(0);
        remaining.push(decision.remaining);
      }
      expect(remaining).toEqual([4, 3, 2, 1, 0]);
    });

    it('reports a refusal with limit, remaining 0, retryAfterSeconds ≥ 1 and resetSeconds until full', async () => {
      const rl = await limiter(10, 20);
      await allowedOf(rl, 'k', 20);

      expect(await rl.consume('k')).toEqual({ allowed: false, limit: 20, remaining: 0, resetSeconds: 2, retryAfterSeconds: 1 });
    });

    it('reports resetSeconds as the whole seconds until the bucket is full', async () => {
      const clock = new FakeClock();
      const rl = await limiter(1, 10, clock);

      expect((await rl.consume('k')).resetSeconds).toBe(1);
      expect((await rl.consume('k')).resetSeconds).toBe(2);
      await allowedOf(rl, 'k', 8);
      expect((await rl.consume('k')).resetSeconds).toBe(10);

      clock.advance(2500);
      const decision = await rl.consume('k');
      expect(decision.allowed).toBe(true);
      expect(decision.remaining).toBe(1);
      // 1.5 tokens left of 10 at 1 a second: 8.5 s, rounded up.
      expect(decision.resetSeconds).toBe(9);
    });

    it('keeps keys independent', async () => {
      const rl = await limiter(10, 3);
      expect(await allowedOf(rl, 'user:a', 5)).toBe(3);

      const fresh = await rl.consume('user:b');
      expect(fresh.allowed).toBe(true);
      expect(fresh.remaining).toBe(2);
      expect(await allowedOf(rl, 'user:b', 5)).toBe(2);
      expect(await allowedOf(rl, 'ip:127.0.0.1', 5)).toBe(3);
      expect((await rl.consume('user:a')).allowed).toBe(false);
    });

    it('does not spend a token on a refused request', async () => {
      const clock = new FakeClock();
      const rl = await limiter(10, 20, clock);
      await allowedOf(rl, 'k', 20);

      // Hammering an empty bucket must not push it into debt.
      expect(await allowedOf(rl, 'k', 100)).toBe(0);
      clock.advance(100);
      const decision = await rl.consume('k');
      expect(decision.allowed).toBe(true);
      expect(decision.remaining).toBe(0);
    });

    it('counts retryAfterSeconds from the missing fraction of a token', async () => {
      const clock = new FakeClock();
      const rl = await limiter(1, 2, clock);
      await allowedOf(rl, 'k', 2);

      expect((await rl.consume('k')).retryAfterSeconds).toBe(1);
      clock.advance(400);
      // 0.4 tokens: 0.6 s more, rounded up to a whole second.
      expect((await rl.consume('k')).retryAfterSeconds).toBe(1);
      clock.advance(600);
      expect((await rl.consume('k')).allowed).toBe(true);
    });

    it('handles fractional rates: perSec 0.5 refuses with retryAfterSeconds 2', async () => {
      const clock = new FakeClock();
      const rl = await limiter(0.5, 1, clock);

      expect((await rl.consume('k')).allowed).toBe(true);
      const refused = await rl.consume('k');
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfterSeconds).toBe(2);
      expect(refused.resetSeconds).toBe(2);

      clock.advance(1999);
      expect((await rl.consume('k')).allowed).toBe(false);
      clock.advance(1);
      expect((await rl.consume('k')).allowed).toBe(true);
    });

    it('takes a refunded token back: an emptied bucket allows one more after each refund', async () => {
      const rl = await limiter(1, 3);
      expect(await allowedOf(rl, 'k', 3)).toBe(3);
      expect((await rl.consume('k')).allowed).toBe(false);

      await rl.refund('k');
      const decision = await rl.consume('k');
      expect(decision.allowed).toBe(true);
      expect(decision.remaining).toBe(0);
      expect((await rl.consume('k')).allowed).toBe(false);
      await rl.refund('k');
      await rl.refund('k');
      expect(await allowedOf(rl, 'k', 5)).toBe(2);
    });

    it('never fills a bucket past burst by refunds, nor creates one for an unknown key', async () => {
      const clock = new FakeClock();
      const rl = await limiter(10, 4, clock);
      await rl.refund('never-seen');
      await rl.refund('never-seen');
      expect(await allowedOf(rl, 'never-seen', 10)).toBe(4);

      expect((await rl.consume('k')).allowed).toBe(true);
      clock.advance(50); // half a token of refill, plus the refund: capped at 4
      await rl.refund('k');
      await rl.refund('k');
      expect(await allowedOf(rl, 'k', 10)).toBe(4);
    });

    it('gives the same decisions as exact token arithmetic over an uneven trickle of requests', async () => {
      const clock = new FakeClock();
      const rl = await limiter(3, 7, clock);
      const allowed: boolean[] = [];
      for (let i = 0; i < 60; i += 1) {
        clock.advance((i * 37) % 290);
        allowed.push((await rl.consume('k')).allowed);
      }
      // Replay of the bucket: 7 tokens, 3 a second, one per allowed request.
      let tokens = 7;
      const expected: boolean[] = [];
      for (let i = 0; i < 60; i += 1) {
        tokens = Math.min(7, tokens + (((i * 37) % 290) / 1000) * 3);
        expected.push(tokens >= 1);
        if (tokens >= 1) tokens -= 1;
      }
      expect(allowed).toEqual(expected);
      expect(allowed).toContain(false);
    });
  });
}
