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
