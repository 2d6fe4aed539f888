import type { RateLimitConfig } from './config.js';
import type { RateLimitDecision, RateLimiter } from './rate-limiter.js';

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms). */
  updatedAt: number;
}

export interface InMemoryRateLimiterOptions extends RateLimitConfig {
  /** @default Date.now */
  now?: () => number;
  /** How often buckets that have refilled completely are forgotten. @default 10000 */
  sweepIntervalMs?: number;
}

/**
 * Token buckets in a Map: `perSec` tokens a second refill a bucket of `burst`. A full
 * bucket is the same as no bucket, so a periodic sweep drops them and memory tracks only
 * recently active keys. (rate-limiter-flexible, the usual library, counts fixed windows,
 * not token buckets, and keeps a timer per key.)
 */
export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: InMemoryRateLimiterOptions) {
    this.now = options.now ?? Date.now;
    this.sweeper = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 10_000);
    this.sweeper.unref();
  }

  async consume(key: string): Promise<RateLimitDecision> {
    return this.take(key);
  }

  async refund(key: string): Promise<void> {
    const bucket = this.buckets.get(key);
    if (!bucket) return;
    this.refill(bucket);
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + 1);
  }

  /** The synchronous core, exposed for callers that need no await. */
  take(key: string): RateLimitDecision {
    const { perSec, burst } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, updatedAt: this.now() };
    this.refill(bucket);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.buckets.set(key, bucket);
    return {
      allowed,
      limit: burst,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((burst - bucket.tokens) / perSec),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / perSec)),
    };
  }

  /** Brings `bucket` up to now: `perSec` tokens a second, at most `burst`. */
  private refill(bucket: Bucket): void {
    const now = this.now();
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.options.perSec);
    bucket.updatedAt = now;
  }

  get size(): number {
    return this.buckets.size;
  }

  sweep(): void {
    const { perSec, burst } = this.options;
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.updatedAt) / 1000) * perSec >= burst) this.buckets.delete(key);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
  }
}
