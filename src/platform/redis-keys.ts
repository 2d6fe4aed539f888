/**
 * Every Redis key the system uses, built in one place. `namespace` separates deployments
 * (and tests) sharing one Redis. Keys of one board period share the hash tag `{…}`, so a
 * Lua script touching a board's sorted set and its side hash runs in one Redis Cluster slot.
 */
export class RedisKeys {
  constructor(readonly namespace = 'llb') {}

  /** Sorted set of one board period: score = -points, member = zero-padded reachedAt + ":" + user id (see RedisRankIndex). */
  board(board: string, period: string): string {
    return `${this.namespace}:{board:${board}:${period}}:rank`;
  }

  /** Hash of one board period: user id → "score:reachedAt", the exact values behind the composite score. */
  boardEntries(board: string, period: string): string {
    return `${this.namespace}:{board:${board}:${period}}:entries`;
  }

  /** The period of one of `board`'s period keys (`board`, `boardEntries`, `boardLoaded`, and their side keys). */
  periodOf(board: string, key: string): string | undefined {
    const prefix = `${this.namespace}:{board:${board}:`;
    if (!key.startsWith(prefix)) return undefined;
    const end = key.indexOf('}', prefix.length);
    return end < 0 ? undefined : key.slice(prefix.length, end);
  }

  /** Set once a board period was rebuilt from PostgreSQL: its absence means Redis lost it. */
  boardLoaded(board: string, period: string): string {
    return `${this.namespace}:{board:${board}:${period}}:loaded`;
  }

  /** Counter behind `board.changed` `seq`, shared by every leaderboard node. */
  boardSeq(board: string): string {
    return `${this.namespace}:{board:${board}}:seq`;
  }

  /** The last published top of a board, read by realtime nodes for their first snapshot. */
  boardTop(board: string): string {
    return `${this.namespace}:{board:${board}}:top`;
  }

  /** Stream of one event type (`score.updated`), consumed by a consumer group. */
  stream(eventType: string): string {
    return `${this.namespace}:stream:${eventType}`;
  }

  /** Pub/sub channel of one event type, delivered to every subscribed node. */
  channel(eventType: string): string {
    return `${this.namespace}:channel:${eventType}`;
  }

  /** Token bucket of one rate-limit key (`user:<id>`, `ip:<addr>`). */
  rateLimit(key: string): string {
    return `${this.namespace}:ratelimit:{${key}}`;
  }

  /** Pattern matching every key of this namespace (tests clean up with it). */
  all(): string {
    return `${this.namespace}:*`;
  }
}
