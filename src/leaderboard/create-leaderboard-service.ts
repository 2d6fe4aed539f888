import type { TokenVerifier, UserDirectory } from '../auth/index.js';
import { DEFAULT_BOARDS, type BoardDefinition } from '../platform/boards.js';
import type { EventBus } from '../platform/event-bus.js';
import type { Logger } from '../platform/logger.js';
import type { Service } from '../platform/service.js';
import type { BanList } from '../moderation/index.js';
import type { BoardTotalsReader } from '../score/index.js';
import type { BoardStore } from './board-store.js';
import { LeaderboardService } from './leaderboard-service.js';
import { registerLeaderboardRoutes } from './routes.js';

export interface LeaderboardServiceDeps {
  store: BoardStore;
  totals: BoardTotalsReader;
  directory: UserDirectory;
  bus: EventBus;
  verifier: TokenVerifier;
  bans: BanList;
  boards?: readonly BoardDefinition[];
  /** @default Date.now */
  now?: () => number;
  logger?: Pick<Logger, 'warn'>;
  /** See `LeaderboardDeps.minFlushIntervalMs`. */
  minFlushIntervalMs?: number;
}

/** The leaderboard service on the board store the storage set gives: rebuilds what is lost, follows the bus, serves routes. */
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
    registerRoutes: (app) => registerLeaderboardRoutes(app, { leaderboard, verifier: deps.verifier }),
    async stop() {
      leaderboard.stop();
      await leaderboard.flush();
    },
  };
}
