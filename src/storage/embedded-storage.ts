import { FileKeyStore } from '../auth/file-key-store.js';
import { SqliteRefreshTokenStore } from '../auth/sqlite-refresh-token-store.js';
import { SqliteUserDirectory } from '../auth/sqlite-user-directory.js';
import { SqliteUserStore } from '../auth/sqlite-user-store.js';
import { InMemoryBoardStore } from '../leaderboard/in-memory-board-store.js';
import { SqliteSeqFloor } from '../leaderboard/sqlite-seq-floor.js';
import { SqliteAuditLog } from '../moderation/sqlite-audit-log.js';
import { SqliteBanList } from '../moderation/sqlite-ban-list.js';
import { SqliteWebhookOutbox } from '../moderation/sqlite-webhook-outbox.js';
import { SqliteCredentialStore } from '../moderation/sqlite-credential-store.js';
import { ConfigError } from '../platform/config.js';
import { loadOrCreateSecret } from '../platform/file-secret.js';
import { InMemoryRateLimiter } from '../platform/in-memory-rate-limiter.js';
import { InProcessEventBus } from '../platform/in-process-event-bus.js';
import { SqliteCheckpointer } from '../platform/sqlite-checkpointer.js';
import { openSqliteDatabase, type SqliteDatabase } from '../platform/sqlite.js';
import { WalFlush } from '../platform/wal-flush.js';
import { SPENT_TICKET_SWEEP_INTERVAL_MS, SpentTicketJanitor } from '../score/spent-ticket-janitor.js';
import { SqliteBoardTotalsReader } from '../score/sqlite-board-totals-reader.js';
import { SqliteLedger } from '../score/sqlite-ledger.js';
import { dataDirFiles } from './data-dir.js';
import { lockDataDir } from './data-dir-lock.js';
import { fillChangedBoards } from './fill-boards.js';
import { migrateEmbeddedSchema } from './schema.js';
import { CREDENTIAL_USES_INTERVAL_MS, type Storage, type StorageFactory } from './storage.js';

/** The embedded storage set, with what tests look into. */
export interface EmbeddedStorage extends Storage {
  readonly db: SqliteDatabase;
  readonly ledger: SqliteLedger;
  readonly bus: InProcessEventBus;
}

/**
 * Embedded mode: one SQLite file under DATA_DIR holds every service's tables, keys and
 * secrets are files beside it, and the rank index, bus and rate limits live in this
 * process. The data dir is claimed for this process alone (see `lockDataDir`).
 */
export const embeddedStorage: StorageFactory<EmbeddedStorage> = async (config, { logger, metrics, boards, now }) => {
  if (config.databaseUrl !== undefined || config.redisUrl !== undefined) {
    // Refuse rather than silently run embedded while the operator believes it is distributed.
    throw new ConfigError('DATABASE_URL / REDIS_URL are set: that is distributed mode, not embedded');
  }
  const files = dataDirFiles(config.dataDir);
  const dataDirLock = lockDataDir(config.dataDir);
  let db: SqliteDatabase | undefined;
  try {
    db = openSqliteDatabase(files.database, config.durability);
    migrateEmbeddedSchema(db);
  } catch (error) {
    db?.close();
    dataDirLock.release();
    throw error;
  }
  const webhooks = new SqliteWebhookOutbox(db, config.webhookUrls);
  const walFlush = new WalFlush(db);
  const ledger = new SqliteLedger(db, boards, webhooks, walFlush);
  try {
    await fillChangedBoards(ledger, boards, (now ?? Date.now)(), logger);
  } catch (error) {
    db.close();
    dataDirLock.release();
    throw error;
  }
  const checkpointer = new SqliteCheckpointer(db, logger);
  const bus = new InProcessEventBus(logger);
  const audit = new SqliteAuditLog(db, { metrics });
  const credentials = new SqliteCredentialStore(db);

  let closed: Promise<void> | undefined;
  return {
    db,
    bus,
    users: new SqliteUserStore(db),
    refreshTokens: new SqliteRefreshTokenStore(db),
    keys: new FileKeyStore(files.signingKeys),
    directory: new SqliteUserDirectory(db),
    ledger,
    totals: new SqliteBoardTotalsReader(db, () => ledger.flushTotals()),
    // Seq counters go on growing across restarts: blocks of them are reserved in SQLite.
    boardStore: new InMemoryBoardStore(new SqliteSeqFloor(db)),
    bans: new SqliteBanList(db, webhooks),
    audit,
    credentials,
    webhooks,
    rateLimiter: (limit) => new InMemoryRateLimiter({ ...limit, now }),
    ticketSecret: async () => loadOrCreateSecret(files.ticketSecret),
    // Under sustained load a flush (each board's top, `user.rank`, `ranks.moved`) at most every
    // 10 ms instead of after every group commit: 14 → 8.5 µs of leaderboard work per action
    // (npm run bench:budget). After a quiet spell the next flush is immediate, and subscribers
    // get at most one update per 50 ms window anyway.
    leaderboardFlushIntervalMs: 10,
    pipelinedCommits: true,
    readinessChecks: { sqlite: () => void db.prepare('SELECT 1').get() },
    backgroundJobs: ({ score }) => [
      { name: 'write server credential uses', intervalMs: CREDENTIAL_USES_INTERVAL_MS, run: () => credentials.flush() },
      ...(score ? [{ name: 'forget spent tickets', intervalMs: SPENT_TICKET_SWEEP_INTERVAL_MS, run: () => new SpentTicketJanitor(ledger, score.catalog, { now }).sweep() }] : []),
    ],
    ready: async () => {},
    close: () =>
      (closed ??= (async () => {
        await audit.close();
        await credentials.flush();
        await bus.close();
        await checkpointer.stop();
        ledger.flushTotals();
        await walFlush.close();
        db.close();
        dataDirLock.release();
      })()),
  };
};
