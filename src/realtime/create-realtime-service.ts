import type { Registry } from 'prom-client';
import type { TokenVerifier } from '../auth/index.js';
import type { BoardDefinition } from '../platform/boards.js';
import type { EventBus } from '../platform/event-bus.js';
import type { BoardEntry } from '../platform/events.js';
import type { Logger } from '../platform/logger.js';
import type { Service } from '../platform/service.js';
import { RealtimeHub, type RealtimeOptions } from './realtime-hub.js';
import { RealtimeMetrics } from './realtime-metrics.js';

export interface RealtimeDeps {
  boards: readonly BoardDefinition[];
  bus: EventBus;
  verifier: TokenVerifier;
  metrics: Registry;
  logger: Logger;
  /**
   * Each board's current top to start from: the in-process leaderboard (embedded) or the
   * last published change (distributed). Without it boards start empty until they change.
   */
  initialTop?: (board: string) => Promise<{ seq: number; top: BoardEntry[] } | undefined>;
  options?: RealtimeOptions;
}

/** The realtime service: `GET /ws` on the API's port, fed by `board.changed`, `user.rank` and `ranks.moved`. */
export async function createRealtimeService(deps: RealtimeDeps): Promise<Service & { hub: RealtimeHub }> {
  const hub = new RealtimeHub(
    deps.boards.map((board) => board.id),
    deps.verifier,
    new RealtimeMetrics(deps.metrics),
    deps.logger,
    deps.options,
  );
  if (deps.initialTop) {
    for (const board of deps.boards) {
      const initial = await deps.initialTop(board.id);
      if (initial) hub.seed(board.id, initial.seq, initial.top);
    }
  }
  const unsubscribe = [
    deps.bus.subscribe('board.changed', (event) => hub.onBoardChanged(event)),
    deps.bus.subscribe('user.rank', (event) => hub.onUserRank(event)),
    deps.bus.subscribe('ranks.moved', (event) => hub.onRanksMoved(event)),
  ];
  return {
    name: 'realtime',
    hub,
    registerRoutes: (app) => {
      hub.attach(app.server);
      // Before the HTTP server closes: it would otherwise wait for the upgraded sockets for ever.
      app.addHook('preClose', async () => hub.close());
    },
    async stop() {
      for (const stop of unsubscribe) stop();
      await hub.close();
    },
  };
}
