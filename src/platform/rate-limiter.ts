/** The verdict on one request against one bucket, with what the `RateLimit-*` headers report. */
export interface RateLimitDecision {
  allowed: boolean;
  /** The bucket's capacity (burst). */
  limit: number;
  /** Whole tokens left after this request. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
  /** Seconds until one token is available; 0 when allowed. */
  retryAfterSeconds: number;
}

/**
 * Port: token buckets keyed by a string (`user:<id>`, `ip:<addr>`). In-process for one
 * node; the distributed adapter shares buckets across score nodes through Redis.
 */
export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
  /**
   * Gives back one token a `consume` took, never filling the bucket past `burst`: for
   * limits that count only some outcomes (a login that succeeds was not a guess). A key
   * with no bucket is already full, so refunding it changes nothing.
   */
  refund(key: string): Promise<void>;
  close(): Promise<void>;
}

/** IETF draft `RateLimit-*` header fields for a bucket. */
export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'ratelimit-limit': String(decision.limit),
    'ratelimit-remaining': String(decision.remaining),
    'ratelimit-reset': String(decision.resetSeconds),
  };
}
