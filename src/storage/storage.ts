import type { Registry } from 'prom-client';
import type { UserDirectory, UserSearch } from '../auth/index.js';
import type { KeyStore } from '../auth/key-store.js';
import type { RefreshTokenStore } from '../auth/refresh-token-store.js';
import type { UserStore } from '../auth/user-store.js';
import type { LeaderboardService } from '../leaderboard/index.js';
import type { BoardStore } from '../leaderboard/board-store.js';
import type { AuditLog, BanList } from '../moderation/index.js';
import type { CredentialStore } from '../moderation/credential-store.js';
import type { BackgroundJob } from '../platform/background-jobs.js';
import type { BoardDefinition } from '../platform/boards.js';
import type { Config, RateLimitConfig } from '../platform/config.js';
import type { EventBus } from '../platform/event-bus.js';
import type { Logger } from '../platform/logger.js';
import type { RateLimiter } from '../platform/rate-limiter.js';
import type { ReadinessCheck } from '../platform/service.js';
import type { BoardTotalsReader } from '../score/index.js';
import type { ActionCatalog } from '../score/catalog.js';
import type { Ledger, Outbox } from '../score/ledger.js';
import type { ReviewQueue } from '../moderation/review-queue.js';
import type { WebhookOutbox } from '../moderation/webhook-outbox.js';

/** How often the last uses of server credentials are written (`lastUsedAt` is this stale at most). */
export const CREDENTIAL_USES_INTERVAL_MS = 5_000;

/** What `compose` hands a storage factory besides the configuration. */
export interface StorageContext {
  logger: Logger;
  metrics: Registry;
  /** The board definitions, already read: the ledger keeps a total per board. */
  boards: readonly BoardDefinition[];
  /** @default Date.now */
  now?: () => number;
}

/** The services `compose` built in this process, for the background jobs that work on them. */
export interface RunningServices {
  score?: { catalog: ActionCatalog };
  leaderboard?: LeaderboardService;
}

/**
 * Everything that differs between the two deployments, as one set: every store each
 * service needs, the bus, the rate limiters, secrets, readiness checks and background jobs.
 * `embeddedStorage` (SQLite, in-process) and `distributedStorage` (PostgreSQL, Redis) are
 * the only builders of it, and the only code that constructs an adapter; a factory opens
 * its connections and migrates the schema once before it answers.
 */
export interface Storage {
  readonly bus: EventBus;
  readonly users: UserStore;
  readonly refreshTokens: RefreshTokenStore;
  readonly keys: KeyStore;
  readonly directory: UserDirectory & UserSearch;
  readonly ledger: Ledger & Outbox & ReviewQueue;
  readonly totals: BoardTotalsReader;
  readonly boardStore: BoardStore;
  readonly bans: BanList;
  readonly audit: AuditLog;
  /** Game servers' credentials (hashes only). */
  readonly credentials: CredentialStore;
  /** Outgoing webhooks, one row per event and receiver (the ledger and the ban list write theirs in their own transactions). */
  readonly webhooks: WebhookOutbox;
  /** A token bucket set for one limit: in this process, or shared by every node. */
  readonly rateLimiter: (limit: RateLimitConfig) => RateLimiter;
  /** The HMAC key of timed-action tickets, the same on every score node; created on first use. */
  ticketSecret(): Promise<Buffer>;
  /**
   * Least time between two leaderboard flushes: 0 flushes after every round (in-process,
   * the cheapest latency); a network store batches more per flush with a few ms.
   */
  readonly leaderboardFlushIntervalMs: number;
  /**
   * The ledger commits a batch before it first awaits, then waits for the disk (embedded, see
   * `WalFlush`): the group committer may commit the next batch meanwhile. A network database
   * commits when its answer arrives, so its batches go one at a time.
   */
  readonly pipelinedCommits: boolean;
  /** What `/readyz` asks of the storage itself (the services add their own). */
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** The maintenance this deployment needs beside the requests, given what runs here. */
  backgroundJobs(running: RunningServices): BackgroundJob[];
  /** Resolves once the bus delivers what the services subscribed to (called after they are built). */
  ready(): Promise<void>;
  /** Closes every adapter and connection; the services have stopped. Idempotent. */
  close(): Promise<void>;
}

/** Builds a storage set: opens it, migrates, constructs the adapters. */
export type StorageFactory<S extends Storage = Storage> = (config: Config, context: StorageContext) => Promise<S>;
