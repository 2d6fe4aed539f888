import type { TokenVerifier } from '../auth/token-verifier.js';
import { DEFAULT_BOARDS, type BoardDefinition } from '../platform/boards.js';
import type { EventBus } from '../platform/event-bus.js';
import type { Logger } from '../platform/logger.js';
import type { Service } from '../platform/service.js';
import { applySqliteMigrations, type SqliteDatabase } from '../platform/sqlite.js';
import type { AuditLog } from '../score/audit-log.js';
import type { BanList } from '../score/ban-list.js';
import { registerAdminRoutes } from './admin-routes.js';
import type { BoardStore } from './board-store.js';
import type { BoardTotalsReader } from './board-totals-reader.js';
import { InMemoryBoardStore } from './in-memory-board-store.js';
import { LeaderboardService } from './leaderboard-service.js';
import { registerLeaderboardRoutes } from './routes.js';
import { SqliteBoardTotalsReader } from './sqlite-board-totals-reader.js';
import { LEADERBOARD_SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteSeqFloor } from './sqlite-seq-floor.js';
import { SqliteUserDirectory } from './sqlite-user-directory.js';
import type { UserDirectory } from './user-directory.js';

export interface LeaderboardServiceDeps {
  store: BoardStore;
  totals: BoardTotalsReader;
  directory: UserDirectory;
  bus: EventBus;
  verifier: TokenVerifier;
  bans: BanList;
  audit: AuditLog;
  boards?: readonly BoardDefinition[];
  /** @default Date.now */
  now?: () => number;
  logger?: Pick<Logger, 'warn'>;
  /** See `LeaderboardDeps.minFlushIntervalMs`. */
  minFlushIntervalMs?: number;
}

export type EmbeddedLeaderboardDeps = Omit<LeaderboardServiceDeps, 'store' | 'totals' | 'directory'> & {
  /** Must already hold the auth and score tables (their services migrate them). */
  db: SqliteDatabase;
};

/** The leaderboard service on embedded storage: boards in this process, rebuilt from SQLite, fed by the bus. */
export async function createEmbeddedLeaderboardService({ db, ...deps }: EmbeddedLeaderboardDeps): Promise<Service & { leaderboard: LeaderboardService }> {
  applySqliteMigrations(db, 'leaderboard', LEADERBOARD_SQLITE_MIGRATIONS);
  return createLeaderboardService({
    ...deps,
    store: new InMemoryBoardStore(new SqliteSeqFloor(db)),
    totals: new SqliteBoardTotalsReader(db),
    directory: new SqliteUserDirectory(db),
  });
}

/** The leaderboard service on whatever store the composition root picked: rebuilds what is lost, follows the bus, serves routes. */
export async function createLeaderboardService(deps: LeaderboardServiceDeps): Promise<Service & { leaderboard: LeaderboardService }> {
  const { directory } = deps;
  const leaderboard = new LeaderboardService({
    boards: deps.boards ?? DEFAULT_BOARDS,
    store: deps.store,
    totals: deps.totals,
    directory,
    bans: deps.bans,
    bus: deps.bus,
    now: deps.now,
    logger: deps.logger,
    minFlushIntervalMs: deps.minFlushIntervalMs,
  });
  await leaderboard.start();
  return {
    name: 'leaderboard',
    leaderboard,
    registerRoutes: (app) => {
      registerLeaderboardRoutes(app, { leaderboard, verifier: deps.verifier });
      registerAdminRoutes(app, { leaderboard, verifier: deps.verifier, bans: deps.bans, audit: deps.audit, directory, bus: deps.bus, now: deps.now });
    },
    async stop() {
      leaderboard.stop();
      await leaderboard.flush();
    },
  };
}
