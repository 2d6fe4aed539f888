import type { TokenVerifier } from '../auth/token-verifier.js';
import { DEFAULT_BOARDS, type BoardDefinition } from '../platform/boards.js';
import type { EventBus } from '../platform/event-bus.js';
import type { Service } from '../platform/service.js';
import type { SqliteDatabase } from '../platform/sqlite.js';
import type { AuditLog } from '../score/audit-log.js';
import type { BanList } from '../score/ban-list.js';
import { registerAdminRoutes } from './admin-routes.js';
import { LeaderboardService } from './leaderboard-service.js';
import { registerLeaderboardRoutes } from './routes.js';
import { SqliteBoardTotalsReader } from './sqlite-board-totals-reader.js';
import { SqliteUserDirectory } from './sqlite-user-directory.js';

export interface EmbeddedLeaderboardDeps {
  /** Must already hold the auth and score tables (their services migrate them). */
  db: SqliteDatabase;
  bus: EventBus;
  verifier: TokenVerifier;
  bans: BanList;
  audit: AuditLog;
  boards?: readonly BoardDefinition[];
  /** @default Date.now */
  now?: () => number;
}

/** The leaderboard service on embedded storage: boards rebuilt from SQLite, fed by the bus. */
export async function createEmbeddedLeaderboardService(deps: EmbeddedLeaderboardDeps): Promise<Service & { leaderboard: LeaderboardService }> {
  const directory = new SqliteUserDirectory(deps.db);
  const leaderboard = new LeaderboardService({
    boards: deps.boards ?? DEFAULT_BOARDS,
    totals: new SqliteBoardTotalsReader(deps.db),
    directory,
    bans: deps.bans,
    bus: deps.bus,
    now: deps.now,
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
