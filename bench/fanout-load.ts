/**
 * WebSocket fan-out and its ceiling, in the same run. Four processes: this one (orchestration
 * only), the server under test (`bench/bench-server.ts`), S subscribers
 * (`bench/fanout-clients.ts`) and an action firer at a fixed rate (`bench/fanout-actions.ts`).
 *
 * 1. Ceiling: a bare `ws` server broadcasts a typical update to the same S clients as fast as
 *    it can.
 * 2. The system: the S clients subscribe to `global` top 10 on a real server while one user's
 *    clicks are accepted at the fixed rate. Every `201` carries the user's new global total, so
 *    each update's top score tells which actions it delivered: one latency sample per action
 *    per subscriber, from the `201` to the first update showing it.
 *
 * Used by `bench/run.ts` and `bench/fanout.ts`.
 */
import { once } from 'node:events';
import { TestClient } from '../test/support/test-client.js';
import { ask, execArgvFrom, forkBenchChild, startBenchServer, type BenchServer } from './bench-server-handle.js';
import { histogramPercentile, samplePercentile } from './percentiles.js';
import { startSystemServer, type Log, type PercentileCurve } from './score-load.js';

export interface FanoutOptions {
  subscribers: number;
  /** Accepted actions per second. */
  rate: number;
  seconds: number;
  /** Added to the server's environment (`DATABASE_URL` / `REDIS_URL` for distributed mode). */
  env?: Record<string, string>;
  /**
   * Distributed only: this many `SERVICES=realtime` processes share the subscribers, beside
   * one `SERVICES=auth,score,leaderboard` process. 0 (default): one process runs everything.
   */
  realtimeNodes?: number;
}

export interface FanoutResult {
  subscribers: number;
  actionsPerSecond: number;
  deliveryP50Ms: number;
  deliveryP99Ms: number;
  /**
   * The same measured from the action's time as the server stamped it (`action.at`, before
   * the commit) instead of from when the firer read the `201`: no firer lag in it, and the
   * commit and the response are. (Same machine, same clock.)
   */
  deliveryFromServerP50Ms: number;
  deliveryFromServerP99Ms: number;
  /** Round trip of the actions themselves (POST → `201`) while the server fans out, p50 / p99. */
  submitP50Ms: number;
  submitP99Ms: number;
  /** Latency samples: one per action per subscriber that saw it. */
  deliveries: number;
  /** Actions accepted with `201` by the server during the run. */
  accepted: number;
  wsMessagesPerSec: number;
  baselineWsMessagesPerSec: number;
  wsRatio: number;
  /** Server RSS growth while the subscribers connected, per connection. */
  serverBytesPerIdleConnection: number;
  /** `counts[ms]`: delivery samples that took `ms` milliseconds (whole ms: arrivals are stamped with `Date.now()`). */
  deliveryHistogram: number[];
  deliveryCurve: PercentileCurve;
}

/** The update a server sends for `global` top 10, with realistic names and scores. */
const SAMPLE_PAYLOAD = JSON.stringify({
  type: 'update',
  board: 'global',
  seq: 1,
  entries: Array.from({ length: 10 }, (_, i) => ({ rank: i + 1, userId: '00000000-0000-4000-8000-000000000000', username: 'player_name', score: 123456 })),
});

/** Percentile `p` (0–1) of raw millisecond samples, to 0.1 ms (0 without samples). */
const msPercentile = (samples: readonly number[], p: number): number => Math.round((samplePercentile(samples, p) || 0) * 10) / 10;

export async function measureFanout(options: FanoutOptions, log: Log): Promise<FanoutResult> {
  const clients = forkBenchChild('fanout-clients.ts', execArgvFrom('BENCH_CLIENTS_EXEC_ARGV'));
  const connect = (urls: string[], countOnly: boolean): Promise<unknown> =>
    ask(clients, { cmd: 'connect', urls, count: options.subscribers, countOnly }, ['connected'], 120_000);
  /** Restarts the clients' message count; resolves with when it did (their clock, epoch ms). */
  const mark = async (): Promise<number> => (await ask<{ cmd: string; at: number }>(clients, { cmd: 'mark' }, ['marked'], 10_000)).at;
  const report = <T>(): Promise<T> => ask<{ cmd: string } & T>(clients, { cmd: 'report' }, ['report'], 60_000);
  try {
    // 1. The ceiling.
    const bare = await startBenchServer('bare-ws');
    let baselineWsMessagesPerSec: number;
    try {
      log(`  bare ws: connecting ${options.subscribers} clients…`);
      await connect([bare.url], true);
      log(`  bare ws: broadcasting to ${options.subscribers} clients for ${options.seconds} s…`);
      const from = await mark();
      await bare.broadcast(SAMPLE_PAYLOAD, options.seconds);
      const { counted, countedAt } = await report<{ counted: number; countedAt: number }>();
      baselineWsMessagesPerSec = Math.round(counted / ((countedAt - from) / 1000));
    } finally {
      await bare.stop();
    }

    // 2. The system.
    const realtimeNodes = options.realtimeNodes ?? 0;
    const server = await startSystemServer(realtimeNodes > 0 ? { ...options.env, SERVICES: 'auth,score,leaderboard' } : options.env);
    const fanoutServers: BenchServer[] = [];
    try {
      for (let i = 0; i < realtimeNodes; i += 1) fanoutServers.push(await startSystemServer({ ...options.env, SERVICES: 'realtime' }));
      const wsUrls = (realtimeNodes > 0 ? fanoutServers : [server]).map((node) => `${node.url.replace('http', 'ws')}/ws`);
      const api = new TestClient(server.url);
      // A name unique per run: a distributed server's storage outlives it.
      const { token } = await api.newPlayer(`fanout-${Date.now().toString(36)}`);
      // One warm-up action puts the user on the board (score 1).
      await api.act(token, { idempotencyKey: 'fanout-warm-up' });
      const rssOf = async (): Promise<number> => (await Promise.all((realtimeNodes > 0 ? fanoutServers : [server]).map((node) => node.rss()))).reduce((a, b) => a + b, 0);
      const rssBefore = await rssOf();
      log(`  system: connecting ${options.subscribers} subscribers${realtimeNodes > 0 ? ` to ${realtimeNodes} realtime processes` : ''}…`);
      await connect(wsUrls, false);
      const serverBytesPerIdleConnection = Math.round(((await rssOf()) - rssBefore) / options.subscribers);
      log(`  system: ${options.subscribers} subscribers, ${options.rate} actions/s for ${options.seconds} s…`);

      const firer = forkBenchChild('fanout-actions.ts');
      await once(firer, 'message');
      const from = await mark();
      const { acceptedAt, serverAt, submitMs, failed } = await ask<{
        cmd: string;
        acceptedAt: (number | null)[];
        serverAt: (number | null)[];
        submitMs: number[];
        failed: number;
      }>(
        firer,
        { cmd: 'fire', url: server.url, token, rate: options.rate, seconds: options.seconds, startScore: 1 },
        ['fired'],
        (options.seconds + 60) * 1000,
      );
      if (failed > 0) log(`  ${failed} action requests got no response`);
      firer.kill();
      // Let the last window's updates arrive.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const { counted, countedAt, arrivals } = await report<{ counted: number; countedAt: number; arrivals: [number, number][][] }>();
      const wsMessagesPerSec = Math.round(counted / ((countedAt - from) / 1000));

      const counts: number[] = [];
      const countsFromServer: number[] = [];
      let deliveries = 0;
      for (const socketArrivals of arrivals) {
        let covered = 1;
        for (const [score, at] of socketArrivals) {
          for (let s = covered + 1; s <= score; s += 1) {
            const accepted = acceptedAt[s];
            if (accepted === undefined || accepted === null) continue;
            const ms = Math.max(0, at - accepted);
            counts[ms] = (counts[ms] ?? 0) + 1;
            deliveries += 1;
            const stamped = serverAt[s];
            if (typeof stamped === 'number' && Number.isFinite(stamped)) {
              const fromServer = Math.max(0, at - stamped);
              countsFromServer[fromServer] = (countsFromServer[fromServer] ?? 0) + 1;
            }
          }
          covered = Math.max(covered, score);
        }
      }
      const histogram = Array.from(counts, (n) => n ?? 0);
      const fromServer = Array.from(countsFromServer, (n) => n ?? 0);
      const curve: PercentileCurve = [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100].map((p) => [p, histogramPercentile(histogram, p / 100)]);
      return {
        subscribers: options.subscribers,
        actionsPerSecond: options.rate,
        deliveryP50Ms: histogramPercentile(histogram, 0.5),
        deliveryP99Ms: histogramPercentile(histogram, 0.99),
        deliveryFromServerP50Ms: histogramPercentile(fromServer, 0.5),
        deliveryFromServerP99Ms: histogramPercentile(fromServer, 0.99),
        submitP50Ms: msPercentile(submitMs, 0.5),
        submitP99Ms: msPercentile(submitMs, 0.99),
        deliveries,
        accepted: acceptedAt.filter((at) => at !== undefined && at !== null).length,
        wsMessagesPerSec,
        baselineWsMessagesPerSec,
        wsRatio: Number((wsMessagesPerSec / Math.max(1, baselineWsMessagesPerSec)).toFixed(2)),
        serverBytesPerIdleConnection,
        deliveryHistogram: histogram,
        deliveryCurve: curve,
      };
    } finally {
      for (const node of fanoutServers) await node.stop();
      await server.stop();
    }
  } finally {
    clients.send({ cmd: 'exit' });
  }
}
