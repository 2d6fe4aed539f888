import path from 'node:path';
import type { Registry } from 'prom-client';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { BoardDefinition } from '../platform/boards.js';
import type { RateLimitConfig } from '../platform/config.js';
import type { EventBus } from '../platform/event-bus.js';
import { loadOrCreateSecret } from '../platform/file-secret.js';
import type { Logger } from '../platform/logger.js';
import type { Service } from '../platform/service.js';
import { applySqliteMigrations, type SqliteDatabase } from '../platform/sqlite.js';
import type { AuditLog } from './audit-log.js';
import type { BanList } from './ban-list.js';
import { loadCatalog } from './catalog.js';
import { GroupCommitter } from './group-commit.js';
import { InMemoryRateLimiter } from '../platform/in-memory-rate-limiter.js';
import type { Ledger, Outbox } from './ledger.js';
import type { RateLimiter } from '../platform/rate-limiter.js';
import { OutboxRelay } from './outbox-relay.js';
import { SpentTicketJanitor } from './spent-ticket-janitor.js';
import { registerScoreRoutes } from './routes.js';
import { ScoreMetrics } from './score-metrics.js';
import { ScoreService } from './score-service.js';
import { SqliteLedger } from './sqlite-ledger.js';
import { SCORE_SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { TicketSigner } from './ticket-signer.js';

export const TICKET_SECRET_FILE_NAME = 'ticket-secret';

export interface ScoreDeps {
  ledger: Ledger & Outbox;
  /** The HMAC key of timed-action tickets, the same on every score node. */
  ticketSecret: Buffer;
  /** Builds a token bucket set for one limit: in-process (embedded) or shared in Redis. */
  rateLimiter: (limit: RateLimitConfig) => RateLimiter;
  bus: EventBus;
  verifier: TokenVerifier;
  metrics: Registry;
  logger: Logger;
  /** Shared with the leaderboard's admin routes; the composition root creates them. */
  bans: BanList;
  audit: AuditLog;
  /** Boards whose totals each action adds to. @default DEFAULT_BOARDS */
  boards?: readonly BoardDefinition[];
  /** Catalog file; the shipped `config/actions.json` when undefined. */
  catalogPath?: string;
  rateLimitUser: RateLimitConfig;
  rateLimitIp: RateLimitConfig;
  /** @default true */
  groupCommit?: boolean;
  /** @default Date.now */
  now?: () => number;
}

export type EmbeddedScoreDeps = Omit<ScoreDeps, 'ledger' | 'ticketSecret' | 'rateLimiter'> & { db: SqliteDatabase; dataDir: string };

/** The score service on embedded storage: SQLite ledger, secret under DATA_DIR, in-process buckets. */
export function createEmbeddedScoreService({ db, dataDir, ...deps }: EmbeddedScoreDeps): Service & { score: ScoreService } {
  applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
  return createScoreService({
    ...deps,
    ledger: new SqliteLedger(db, deps.boards),
    ticketSecret: loadOrCreateSecret(path.join(dataDir, TICKET_SECRET_FILE_NAME)),
    rateLimiter: (limit) => new InMemoryRateLimiter({ ...limit, now: deps.now }),
  });
}

/** The score service on whatever ledger and buckets the composition root picked: relay, committer, routes. */
export function createScoreService(deps: ScoreDeps): Service & { score: ScoreService; relay: OutboxRelay; janitor: SpentTicketJanitor } {
  const catalog = loadCatalog(deps.catalogPath);
  const metrics = new ScoreMetrics(deps.metrics);
  const { ledger } = deps;
  const relay = new OutboxRelay(ledger, deps.bus, deps.logger);
  const committer = new GroupCommitter(ledger, {
    enabled: deps.groupCommit ?? true,
    onCommitted: (outcomes) => {
      metrics.batchSize.observe(outcomes.length);
      relay.publishCommitted(outcomes.flatMap((outcome) => (outcome.status === 'accepted' ? [outcome.committed] : [])));
    },
  });
  const { audit, bans } = deps;
  const limiter = (limit: RateLimitConfig) => (limit.perSec > 0 ? deps.rateLimiter(limit) : undefined);
  const userLimiter = limiter(deps.rateLimitUser);
  const ipLimiter = limiter(deps.rateLimitIp);

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
    now: deps.now,
  });
  // Events committed before a crash and never published go out first.
  void relay.drain();
  const janitor = new SpentTicketJanitor(ledger, catalog, deps.logger, { now: deps.now });
  janitor.start();

  return {
    name: 'score',
    score,
    relay,
    janitor,
    registerRoutes: (app) => registerScoreRoutes(app, { score, verifier: deps.verifier }),
    async stop() {
      janitor.stop();
      // The HTTP server has drained: commit what is queued, publish it, write the audit trail.
      await committer.flush();
      await relay.stop();
      await audit.flush();
      await userLimiter?.close();
      await ipLimiter?.close();
    },
  };
}
