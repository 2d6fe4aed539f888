import type { Registry } from 'prom-client';
import type { TokenVerifier, UserDirectory } from '../auth/index.js';
import type { BoardDefinition } from '../platform/boards.js';
import type { RateLimitConfig } from '../platform/config.js';
import type { EventBus } from '../platform/event-bus.js';
import type { Logger } from '../platform/logger.js';
import type { Service } from '../platform/service.js';
import { WalFlushError } from '../platform/wal-flush.js';
import type { AuditLog, BanList, ServerAuthenticator } from '../moderation/index.js';
import type { ActionCatalog } from './catalog.js';
import { GroupCommitter } from './group-commit.js';
import type { Ledger, Outbox } from './ledger.js';
import type { RateLimiter } from '../platform/rate-limiter.js';
import { OutboxRelay } from './outbox-relay.js';
import { registerScoreRoutes } from './routes.js';
import { ScoreMetrics } from './score-metrics.js';
import { ScoreService } from './score-service.js';
import { TicketSigner } from './ticket-signer.js';

export interface ScoreDeps {
  ledger: Ledger & Outbox;
  /** The HMAC key of timed-action tickets, the same on every score node. */
  ticketSecret: Buffer;
  /** Builds a token bucket set for one limit: in-process (embedded) or shared in Redis. */
  rateLimiter: (limit: RateLimitConfig) => RateLimiter;
  bus: EventBus;
  verifier: TokenVerifier;
  /** Moderation's check of a game server's secret (`POST /api/v1/server/actions`). */
  servers: ServerAuthenticator;
  /** Auth's users: a server action for an unknown user is `404`. */
  users: UserDirectory;
  metrics: Registry;
  logger: Logger;
  /** Moderation's ports: banned players score nothing, rejected actions are audited. */
  bans: BanList;
  audit: AuditLog;
  /** Boards whose totals each action adds to. @default DEFAULT_BOARDS */
  boards?: readonly BoardDefinition[];
  /** What each action is worth and yields (read and checked against the boards by the composition root). */
  catalog: ActionCatalog;
  rateLimitUser: RateLimitConfig;
  rateLimitIp: RateLimitConfig;
  rateLimitServer: RateLimitConfig;
  /** @default true */
  groupCommit?: boolean;
  /** See `Storage.pipelinedCommits`. @default false */
  pipelinedCommits?: boolean;
  /** @default Date.now */
  now?: () => number;
}

/** The score service on the ledger and buckets the storage set gives: relay, committer, routes. */
export function createScoreService(deps: ScoreDeps): Service & { score: ScoreService; relay: OutboxRelay; catalog: ActionCatalog } {
  const { catalog } = deps;
  const metrics = new ScoreMetrics(deps.metrics);
  const { ledger } = deps;
  const relay = new OutboxRelay(ledger, deps.bus, deps.logger);
  const timedLedger: Pick<Ledger, 'record'> = {
    record: async (actions) => {
      const stopTimer = metrics.commitDuration.startTimer();
      try {
        return await ledger.record(actions);
      } catch (error) {
        // In the database but not known to be on the disk: its callers get 503 and are never
        // handed to the relay, whose events must still go out in order, from the table.
        if (error instanceof WalFlushError) void relay.drain();
        throw error;
      } finally {
        stopTimer();
      }
    },
  };
  const committer = new GroupCommitter(timedLedger, {
    enabled: deps.groupCommit ?? true,
    pipelined: deps.pipelinedCommits ?? false,
    onCommitted: (outcomes) => {
      metrics.batchSize.observe(outcomes.length);
      relay.publishCommitted(outcomes.flatMap((outcome) => (outcome.status === 'accepted' ? [outcome.committed] : [])));
    },
  });
  const { audit, bans } = deps;
  const limiter = (limit: RateLimitConfig) => (limit.perSec > 0 ? deps.rateLimiter(limit) : undefined);
  const userLimiter = limiter(deps.rateLimitUser);
  const ipLimiter = limiter(deps.rateLimitIp);
  const serverLimiter = limiter(deps.rateLimitServer);

  const score = new ScoreService({
    catalog,
    ledger,
    committer,
    tickets: new TicketSigner(deps.ticketSecret),
    bans,
    audit,
    metrics,
    userLimiter,
    ipLimiter,
    serverLimiter,
    users: deps.users,
    now: deps.now,
  });
  // Events committed before a crash and never published go out first.
  void relay.drain();

  return {
    name: 'score',
    score,
    relay,
    catalog,
    registerRoutes: (app) => registerScoreRoutes(app, { score, verifier: deps.verifier, servers: deps.servers }),
    async stop() {
      // The HTTP server has drained: commit what is queued, publish it, write the audit trail.
      await committer.flush();
      await relay.stop();
      await audit.flush();
      await userLimiter?.close();
      await ipLimiter?.close();
      await serverLimiter?.close();
    },
  };
}
