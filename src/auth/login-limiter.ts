import { Counter, type Registry } from 'prom-client';
import { AppError } from '../platform/errors.js';
import { rateLimitHeaders, type RateLimiter } from '../platform/rate-limiter.js';

export interface LoginLimiterDeps {
  /** Bucket per typed username (lower-cased); undefined turns the limit off. */
  user?: RateLimiter;
  /** Bucket per client IP; undefined turns the limit off. */
  ip?: RateLimiter;
  metrics?: Registry;
}

/**
 * Brute-force brake on `POST /api/v1/auth/login`: a token bucket per username and one per
 * client IP. It runs before the password hash, so a rejected guess costs a bucket lookup,
 * not an scrypt. Unknown usernames are limited like real ones (keyed by the name typed),
 * so a 429 reveals nothing about which accounts exist.
 *
 * Only failed attempts count: every attempt takes its tokens up front (so concurrent
 * guesses cannot all slip past an almost-empty bucket) and a successful login gives them
 * back. A login that succeeds is not a guess, and counting it would lock out players
 * who share an address (a carrier's NAT, a school, a test suite on 127.0.0.1) the moment
 * many log in at once.
 */
export class LoginLimiter {
  private readonly rejected: Counter<'bucket'> | undefined;

  constructor(private readonly deps: LoginLimiterDeps) {
    this.rejected =
      deps.metrics &&
      new Counter({
        name: 'auth_login_rate_limited_total',
        help: 'Login attempts refused by a rate limit, by the bucket that refused them',
        labelNames: ['bucket'],
        registers: [deps.metrics],
      });
  }

  /**
   * Takes a token from the IP's bucket, then from the username's. An IP already over its
   * limit spends nothing of the username's bucket, so one noisy address cannot drain it.
   * @throws AppError `rate_limited` with `Retry-After` and `RateLimit-*` headers
   */
  async admit(username: string, ip: string): Promise<void> {
    await this.take('ip', this.deps.ip, `login-ip:${ip}`);
    await this.take('user', this.deps.user, `login-user:${username.toLowerCase()}`);
  }

  /**
   * The attempt `admit` let through succeeded: its tokens go back to both buckets. Best
   * effort: should the buckets' store fail now, the login still stands and the attempt
   * merely counts.
   */
  async succeeded(username: string, ip: string): Promise<void> {
    const refund = (limiter: RateLimiter | undefined, key: string): Promise<void> | undefined => limiter?.refund(key).catch(() => undefined);
    await Promise.all([refund(this.deps.ip, `login-ip:${ip}`), refund(this.deps.user, `login-user:${username.toLowerCase()}`)]);
  }

  async close(): Promise<void> {
    await this.deps.user?.close();
    await this.deps.ip?.close();
  }

  private async take(bucket: 'user' | 'ip', limiter: RateLimiter | undefined, key: string): Promise<void> {
    if (!limiter) return;
    const decision = await limiter.consume(key);
    if (decision.allowed) return;
    this.rejected?.inc({ bucket });
    throw new AppError('rate_limited', 'Too many login attempts; wait before trying again.', {
      headers: { ...rateLimitHeaders(decision), 'retry-after': String(decision.retryAfterSeconds) },
    });
  }
}
