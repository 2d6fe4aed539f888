/**
 * What deltas save and what around-me windows cost, on one real server in its own process,
 * with the subscribers (`bench/fanout-clients.ts`) and the action firer
 * (`bench/fanout-actions.ts`) in theirs, as in the fan-out bench. Used by `bench/run.ts` and
 * `bench/realtime.ts`.
 *
 * 1. Players: `players` registered and logged in, then each given a number of clicks from a
 *    seeded long-tailed draw (Pareto, α 1.5: most players a few points, a few hundreds), so
 *    `global` ranks every one of them with a spread of scores, as a live game's board does.
 * 2. No subscribers: clicks at `rate` from players drawn at random among all of them, for the
 *    server's CPU without any fan-out.
 * 3. Top-N bytes: `topSubscribers` sockets on `global` top `limit`, every other one with
 *    `"delta": true`, the same server and the same clicks for both halves; each socket's
 *    payload bytes are counted while the clicks run. Afterwards the list one socket of each
 *    half rebuilt from what it was sent is compared with the REST board.
 * 4. Around-me: `aroundSubscribers` sockets, each authenticated as a different player and
 *    subscribed around-me (`radius`), while clicks run at `rate` from players drawn among all
 *    of them. Delivery latency is measured on the subscribers' own actions: from the firer
 *    reading an action's `201` (whose `totals.global` is the player's new total) to the first
 *    window at that player's socket whose `me.score` is at least that total. The server's CPU
 *    time over the run (`process.cpuUsage` in the server process) ÷ wall time is the CPU it
 *    costs, beside step 2's.
 */
import { once } from 'node:events';
import { TestClient } from '../test/support/test-client.js';
import type { BoardEntry } from '../src/realtime/protocol.js';
import type { TableRow } from './bench-report.js';
import { ask, execArgvFrom, forkBenchChild } from './bench-server-handle.js';
import type { Connect, Connected, KeptList, Report, SubscriberPlan, Tally } from './fanout-clients.js';
import { seededRandom, type FiredMany, type FireMany, type Seed } from './fanout-actions.js';
import { histogramPercentile, samplePercentile } from './percentiles.js';
import { startSystemServer, type Log, type PercentileCurve } from './score-load.js';

export interface RealtimeLoadOptions {
  /** Ranked players on `global`. */
  players: number;
  /** Top-N sockets in all, half of them with deltas. */
  topSubscribers: number;
  /** The top-N subscriptions' `limit`. @default 100 */
  limit?: number;
  /** Around-me sockets, each a different player (at most `players`). */
  aroundSubscribers: number;
  /** @default 5 (the protocol's default) */
  radius?: number;
  /** Accepted actions per second, from players drawn at random. */
  rate: number;
  /** Length of each loaded phase (top-N, around-me); the phase without subscribers runs half as long. */
  seconds: number;
  /** Seeds the score spread and the draw of who acts. @default 1 */
  seed?: number;
}

/** One loaded phase: the server's CPU and the actions' own round trip (POST → `201`) over it. */
export interface Phase {
  /** Server CPU seconds ÷ wall seconds, from the first action sent to the last response read. */
  cpuCores: number;
  /** Accepted actions ÷ the same wall time: under `rate` when the server fell behind. */
  acceptedPerSec: number;
  submitP50Ms: number;
  submitP99Ms: number;
  submitMaxMs: number;
  /** Actions sent that got no `201`. */
  failed: number;
}

export interface TopBytes {
  subscribers: number;
  /** Payload bytes (text frames, without frame headers) per subscriber per second: the mean over the half. */
  bytesPerSec: number;
  messagesPerSec: number;
}

export interface RealtimeLoadResult {
  players: number;
  rate: number;
  seconds: number;
  limit: number;
  radius: number;
  /** Seconds to register and log in the players, and to give them their scores. */
  setupSeconds: { register: number; seed: number };
  /** Clicks that gave the players their scores. */
  seedActions: number;
  /** The clicks with no subscriber. */
  idle: Phase;
  updates: TopBytes;
  deltas: TopBytes;
  /** updates.bytesPerSec ÷ deltas.bytesPerSec */
  deltaSaving: number;
  /** The clicks while the top-N subscribers listen. */
  top: Phase;
  /** Both kept lists (rebuilt from whole updates, and from deltas) equal the REST board's top `limit` at the same seq. */
  listsMatch: boolean;
  listsMismatch: string | undefined;
  around: {
    subscribers: number;
    /** Sockets that never had their first window (within 60 s of subscribing). */
    withoutFirstWindow: number;
    deliveryP50Ms: number;
    deliveryP99Ms: number;
    /** The same from the action's time as the server stamped it (`action.at`). */
    deliveryFromServerP50Ms: number;
    deliveryFromServerP99Ms: number;
    /** The same from when the firer sent the request: what the player waits, the action's own queueing included. */
    fromPostP50Ms: number;
    fromPostP99Ms: number;
    /** One sample per action of a subscribed player. */
    samples: number;
    /** Actions of subscribed players with no window showing them by the end (a second after the last action). */
    undelivered: number;
    windowsPerSubscriberPerSec: number;
    bytesPerSubscriberPerSec: number;
    /** The clicks while the around-me subscribers listen. */
    phase: Phase;
    errors: number;
    errorSamples: string[];
    deliveryCurve: PercentileCurve;
    deliveryHistogram: number[];
  };
  /** Actions that got no `201` in the three loaded phases. */
  failedActions: number;
}

/** The targets, in one place for the table and the docs. */
export const DELTA_SAVING_TARGET = 5;
export const AROUND_P99_TARGET_MS = 250;

/** The deadline of a run: setup in proportion to the players, three loaded phases, connections. */
export function realtimeLimitSeconds(options: Pick<RealtimeLoadOptions, 'players' | 'seconds' | 'topSubscribers' | 'aroundSubscribers'>): number {
  return 90 + options.players / 50 + 3 * options.seconds + (options.topSubscribers + options.aroundSubscribers) / 50;
}

/** The long tail of scores: clicks per player, at least 1, Pareto with α = 1.5, capped. */
function seedCounts(players: number, random: () => number): number[] {
  return Array.from({ length: players }, () => Math.min(1000, Math.floor((1 - random()) ** (-1 / 1.5))));
}

const round1 = (value: number): number => Math.round(value * 10) / 10;
const round2 = (value: number): number => Math.round(value * 100) / 100;
const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length);
const sameEntries = (a: readonly BoardEntry[], b: readonly BoardEntry[]): boolean =>
  JSON.stringify(a.map(({ rank, userId, username, score }) => [rank, userId, username, score])) ===
  JSON.stringify(b.map(({ rank, userId, username, score }) => [rank, userId, username, score]));

export async function measureRealtime(options: RealtimeLoadOptions, log: Log): Promise<RealtimeLoadResult> {
  const limit = options.limit ?? 100;
  const radius = options.radius ?? 5;
  const seedValue = options.seed ?? 1;
  const aroundCount = Math.min(options.aroundSubscribers, options.players);
  const server = await startSystemServer();
  const clients = forkBenchChild('fanout-clients.ts', execArgvFrom('BENCH_CLIENTS_EXEC_ARGV'));
  const firer = forkBenchChild('fanout-actions.ts');
  try {
    await once(firer, 'message');
    const wsUrl = `${server.url.replace('http', 'ws')}/ws`;
    const connect = async (count: number, plan: SubscriberPlan): Promise<Connected> => {
      const connected = await ask<Connected>(clients, { cmd: 'connect', urls: [wsUrl], count, countOnly: false, plan } satisfies Connect, ['connected'], 180_000);
      if (connected.waiting > 0) log(`  ${connected.waiting} of ${count} sockets had no first message within 60 s`);
      if (connected.errors > 0) log(`  the server answered ${connected.errors} error(s), e.g. ${connected.errorSamples[0] ?? ''}`);
      return connected;
    };
    const mark = (): Promise<unknown> => ask(clients, { cmd: 'mark' }, ['marked'], 10_000);
    const tally = (): Promise<Tally> => ask<Tally>(clients, { cmd: 'tally' }, ['tally'], 30_000);
    const report = (): Promise<Report> => ask<Report>(clients, { cmd: 'report' }, ['report'], 60_000);

    // 1. The players and their scores.
    let phaseStarted = performance.now();
    log(`  registering ${options.players.toLocaleString('en-US')} players…`);
    const players = await new TestClient(server.url).players(options.players, `rt${Date.now().toString(36)}`, 32);
    const tokens = players.map((player) => player.token);
    const register = round1((performance.now() - phaseStarted) / 1000);
    const counts = seedCounts(options.players, seededRandom(seedValue));
    const seedActions = counts.reduce((sum, n) => sum + n, 0);
    log(`  giving them scores: ${seedActions.toLocaleString('en-US')} clicks (${register} s to register)…`);
    phaseStarted = performance.now();
    const seeded = await ask<{ cmd: string; accepted: number; failed: number }>(
      firer,
      { cmd: 'seed', url: server.url, tokens, counts, concurrency: 32 } satisfies Seed,
      ['seeded'],
      600_000,
    );
    const seedSeconds = round1((performance.now() - phaseStarted) / 1000);
    if (seeded.failed > 0) log(`  ${seeded.failed} seeding clicks failed`);
    const ranked = await new TestClient(server.url).board('global', '?limit=1');
    log(`  ${ranked.total.toLocaleString('en-US')} players ranked on global (${seedSeconds} s)`);

    /** Fires clicks at `rate` from random players for `seconds`; the server's CPU over it, in cores. */
    let draws = 0;
    let failedActions = 0;
    const fire = async (seconds: number): Promise<{ fired: FiredMany; phase: Phase }> => {
      const cpuBefore = await server.cpuSeconds();
      const wallBefore = performance.now();
      const fired = await ask<FiredMany>(
        firer,
        { cmd: 'fire-many', url: server.url, tokens, rate: options.rate, seconds, seed: seedValue * 1000 + (draws += 1) } satisfies FireMany,
        ['fired-many'],
        (seconds + 60) * 1000,
      );
      const wall = (performance.now() - wallBefore) / 1000;
      const phase: Phase = {
        cpuCores: round2(((await server.cpuSeconds()) - cpuBefore) / wall),
        acceptedPerSec: Math.round(fired.actor.length / wall),
        submitP50Ms: round1(samplePercentile(fired.submitMs, 0.5) || 0),
        submitP99Ms: round1(samplePercentile(fired.submitMs, 0.99) || 0),
        submitMaxMs: round1(Math.max(0, ...fired.submitMs)),
        failed: fired.failed,
      };
      if (fired.failed > 0) log(`    ${fired.failed} of ${fired.sent} actions got no 201, e.g. ${[...new Set(fired.failures)].join('; ')}`);
      failedActions += fired.failed;
      log(
        `    ${fired.actor.length} actions accepted in ${round1(wall)} s (${phase.acceptedPerSec}/s); round trip p50 ${phase.submitP50Ms} ms, p99 ${phase.submitP99Ms} ms, ` +
          `max ${phase.submitMaxMs} ms; server CPU ${phase.cpuCores} cores`,
      );
      return { fired, phase };
    };

    // 2. No subscribers.
    const idleSeconds = Math.max(2, options.seconds / 2);
    log(`  no subscribers: ${options.rate} actions/s for ${idleSeconds} s…`);
    const idle = await fire(idleSeconds);

    // 3. Top-N, whole updates beside deltas.
    const topCount = options.topSubscribers;
    log(`  top ${limit}: connecting ${topCount} subscribers, every other one with deltas…`);
    await connect(topCount, { kind: 'top', board: 'global', limit });
    await mark();
    const markedAt = Date.now();
    log(`  top ${limit}: ${options.rate} actions/s for ${options.seconds} s…`);
    const top = await fire(options.seconds);
    const counted = await tally();
    const perSecond = (values: number[], delta: boolean): number =>
      mean(values.filter((_, i) => i % 2 === (delta ? 1 : 0))) / ((counted.at - markedAt) / 1000);
    const half = (delta: boolean): TopBytes => ({
      subscribers: delta ? Math.floor(topCount / 2) : Math.ceil(topCount / 2),
      bytesPerSec: Math.round(perSecond(counted.bytes, delta)),
      messagesPerSec: round1(perSecond(counted.messages, delta)),
    });
    const updates = half(false);
    const deltas = half(true);
    const deltaSaving = round1(updates.bytesPerSec / Math.max(1, deltas.bytesPerSec));
    log(`    updates ${updates.bytesPerSec} B/s (${updates.messagesPerSec} msg/s), deltas ${deltas.bytesPerSec} B/s (${deltas.messagesPerSec} msg/s): ${deltaSaving}× fewer bytes`);
    // Let the last window's frames arrive, then check what the pages would show.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const board = await new TestClient(server.url).board('global', `?limit=${limit}`);
    const kept = await report();
    const mismatch = kept.lists
      .map((list: KeptList) =>
        // The board's seq grows with every flush, a feed's only when the top changed: the
        // feed's may be lower, its entries may not differ.
        list.seq > board.seq || !sameEntries(list.entries, board.entries)
          ? `the list rebuilt from ${list.delta ? 'deltas' : 'updates'} (seq ${list.seq}, ${list.entries.length} entries) differs from the REST board (seq ${board.seq}, ${board.entries.length} entries)`
          : undefined,
      )
      .filter((problem) => problem !== undefined);
    if (mismatch.length > 0) log(`    ${mismatch.join('; ')}`);
    else log(`    the lists rebuilt from updates and from deltas (seq ${kept.lists.map((list) => list.seq).join(', ')}) equal the REST board (seq ${board.seq})`);

    // 4. Around-me.
    log(`  around-me: connecting ${aroundCount} subscribers (radius ${radius}), each a different player…`);
    const aroundConnected = await connect(aroundCount, { kind: 'around', board: 'global', radius, tokens: tokens.slice(0, aroundCount) });
    await mark();
    const aroundMarkedAt = Date.now();
    log(`  around-me: ${options.rate} actions/s for ${options.seconds} s…`);
    const around = await fire(options.seconds);
    const aroundCounted = await tally();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const windows = await report();
    const aroundSeconds = (aroundCounted.at - aroundMarkedAt) / 1000;
    const latency = aroundLatency(around.fired, windows.arrivals, aroundCount);
    const result: RealtimeLoadResult['around'] = {
      subscribers: aroundCount,
      withoutFirstWindow: aroundConnected.waiting,
      ...latency,
      windowsPerSubscriberPerSec: round1(mean(aroundCounted.messages) / aroundSeconds),
      bytesPerSubscriberPerSec: Math.round(mean(aroundCounted.bytes) / aroundSeconds),
      phase: around.phase,
      errors: aroundConnected.errors + windows.errors,
      errorSamples: [...aroundConnected.errorSamples, ...windows.errorSamples].slice(0, 5),
    };
    log(
      `    window p50 ${result.deliveryP50Ms} ms, p99 ${result.deliveryP99Ms} ms from the 201 (from the POST ${result.fromPostP50Ms} / ${result.fromPostP99Ms} ms) ` +
        `over ${result.samples} own actions (${result.undelivered} never shown); ${result.windowsPerSubscriberPerSec} windows/s and ${result.bytesPerSubscriberPerSec} B/s per subscriber`,
    );
    return {
      players: options.players,
      rate: options.rate,
      seconds: options.seconds,
      limit,
      radius,
      setupSeconds: { register, seed: seedSeconds },
      seedActions,
      idle: idle.phase,
      updates,
      deltas,
      deltaSaving,
      top: top.phase,
      listsMatch: mismatch.length === 0,
      listsMismatch: mismatch.length === 0 ? undefined : mismatch.join('; '),
      around: result,
      failedActions,
    };
  } finally {
    clients.send({ cmd: 'exit' });
    firer.kill();
    await server.stop();
  }
}

/** Whole-ms latency samples, and their percentiles. */
class Histogram {
  private readonly counts: number[] = [];

  add(ms: number): void {
    const bucket = Math.max(0, Math.round(ms));
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
  }

  get dense(): number[] {
    return Array.from(this.counts, (n) => n ?? 0);
  }

  percentile(p: number): number {
    return histogramPercentile(this.dense, p);
  }
}

/**
 * Per action of a subscribed player (socket i is player i), the first window at that socket
 * whose `me.score` reached the action's total: its arrival − the `201` (and − the server's
 * stamp, and − the moment the request was sent). A player's windows arrive in order and
 * their score only grows (clicks only add), so one pass per socket.
 */
function aroundLatency(
  fired: FiredMany,
  arrivals: readonly [number, number][][],
  subscribers: number,
): Pick<
  RealtimeLoadResult['around'],
  | 'deliveryP50Ms'
  | 'deliveryP99Ms'
  | 'deliveryFromServerP50Ms'
  | 'deliveryFromServerP99Ms'
  | 'fromPostP50Ms'
  | 'fromPostP99Ms'
  | 'samples'
  | 'undelivered'
  | 'deliveryCurve'
  | 'deliveryHistogram'
> {
  const byPlayer = Array.from({ length: subscribers }, (): number[] => []);
  fired.actor.forEach((actor, i) => byPlayer[actor]?.push(i));
  const from201 = new Histogram();
  const fromServer = new Histogram();
  const fromPost = new Histogram();
  let samples = 0;
  let undelivered = 0;
  byPlayer.forEach((actions, player) => {
    actions.sort((a, b) => (fired.total[a] as number) - (fired.total[b] as number));
    const windows = arrivals[player] ?? [];
    let w = 0;
    for (const i of actions) {
      while (w < windows.length && (windows[w] as [number, number])[0] < (fired.total[i] as number)) w += 1;
      const window = windows[w];
      if (!window) {
        undelivered += 1;
        continue;
      }
      const [, at] = window;
      samples += 1;
      from201.add(at - (fired.acceptedAt[i] as number));
      fromPost.add(at - (fired.postedAt[i] as number));
      const stamped = fired.serverAt[i] as number;
      if (Number.isFinite(stamped)) fromServer.add(at - stamped);
    }
  });
  return {
    deliveryP50Ms: from201.percentile(0.5),
    deliveryP99Ms: from201.percentile(0.99),
    deliveryFromServerP50Ms: fromServer.percentile(0.5),
    deliveryFromServerP99Ms: fromServer.percentile(0.99),
    fromPostP50Ms: fromPost.percentile(0.5),
    fromPostP99Ms: fromPost.percentile(0.99),
    samples,
    undelivered,
    deliveryCurve: [0, 1, 10, 25, 50, 75, 90, 95, 99, 99.9, 100].map((p) => [p, from201.percentile(p / 100)]),
    deliveryHistogram: from201.dense,
  };
}

/** The run's figures as flat JSON fields (what the last stdout line of `bench:realtime` and `bench` carries). */
export function realtimeFigures(result: RealtimeLoadResult | undefined): Record<string, unknown> {
  const a = result?.around;
  return {
    topUpdateBytesPerSubPerSec: result?.updates.bytesPerSec ?? null,
    topDeltaBytesPerSubPerSec: result?.deltas.bytesPerSec ?? null,
    topUpdateMessagesPerSubPerSec: result?.updates.messagesPerSec ?? null,
    topDeltaMessagesPerSubPerSec: result?.deltas.messagesPerSec ?? null,
    deltaSaving: result?.deltaSaving ?? null,
    deltaListsMatch: result?.listsMatch ?? null,
    aroundDeliveryP50Ms: a?.deliveryP50Ms ?? null,
    aroundDeliveryP99Ms: a?.deliveryP99Ms ?? null,
    aroundDeliveryFromServerP99Ms: a?.deliveryFromServerP99Ms ?? null,
    aroundFromPostP50Ms: a?.fromPostP50Ms ?? null,
    aroundFromPostP99Ms: a?.fromPostP99Ms ?? null,
    aroundSamples: a?.samples ?? null,
    aroundUndelivered: a?.undelivered ?? null,
    aroundErrors: a?.errors ?? null,
    aroundWindowsPerSubPerSec: a?.windowsPerSubscriberPerSec ?? null,
    aroundBytesPerSubPerSec: a?.bytesPerSubscriberPerSec ?? null,
    realtimeIdlePhase: result?.idle ?? null,
    realtimeTopPhase: result?.top ?? null,
    realtimeAroundPhase: a?.phase ?? null,
    realtimeFailedActions: result?.failedActions ?? null,
  };
}

/** The table rows of a run, for `npm run bench` and `npm run bench:realtime` alike. */
export function realtimeRows(result: RealtimeLoadResult | undefined): TableRow[] {
  const n = (value: number | undefined, unit = ''): string => (value === undefined ? 'n/a' : `${value.toLocaleString('en-US')}${unit}`);
  const r = result;
  const a = r?.around;
  const load = r ? `${r.players.toLocaleString('en-US')} players, ${r.rate}/s` : '';
  const roundTrip = (phase: Phase): string => `${phase.submitP50Ms} / ${phase.submitP99Ms} ms${phase.failed > 0 ? `, ${phase.failed} without a 201` : ''}`;
  return [
    {
      figure: `top-${r?.limit ?? 100} bytes/subscriber/s, whole updates (${load})`,
      value: r ? `${n(r.updates.bytesPerSec, ' B/s')} (${r.updates.messagesPerSec} msg/s)` : 'n/a',
      target: '—',
      ceiling: r ? `${r.updates.subscribers} subscribers; server CPU ${r.top.cpuCores} cores for both halves` : '',
      pass: undefined,
    },
    {
      figure: `top-${r?.limit ?? 100} bytes/subscriber/s, deltas (same server, same run)`,
      value: r ? `${n(r.deltas.bytesPerSec, ' B/s')} (${r.deltas.messagesPerSec} msg/s)` : 'n/a',
      target: `≥ ${DELTA_SAVING_TARGET}× fewer than updates`,
      ceiling: r ? `${r.deltas.subscribers} subscribers → ${r.deltaSaving}× fewer` : '',
      pass: r ? r.deltaSaving >= DELTA_SAVING_TARGET : undefined,
    },
    {
      figure: 'top list rebuilt from updates / deltas = REST board',
      value: r ? (r.listsMatch ? 'equal' : 'differs') : 'n/a',
      target: 'equal',
      ceiling: r?.listsMismatch ?? '',
      pass: r?.listsMatch,
    },
    {
      figure: `around-me window p50 / p99 from the 201, ${n(a?.subscribers)} players (${load})`,
      value: a ? `${a.deliveryP50Ms} / ${a.deliveryP99Ms} ms` : 'n/a',
      target: `p99 ≤ ${AROUND_P99_TARGET_MS} ms`,
      ceiling: a ? `from server stamp ${a.deliveryFromServerP50Ms} / ${a.deliveryFromServerP99Ms} ms; ${n(a.samples)} own actions` : '',
      pass: a ? a.deliveryP99Ms <= AROUND_P99_TARGET_MS : undefined,
    },
    {
      figure: 'the same from the POST (the action’s own wait included)',
      value: a ? `${a.fromPostP50Ms} / ${a.fromPostP99Ms} ms` : 'n/a',
      target: `p99 ≤ ${AROUND_P99_TARGET_MS} ms`,
      ceiling: '',
      pass: a ? a.fromPostP99Ms <= AROUND_P99_TARGET_MS : undefined,
    },
    {
      figure: 'around-me: own actions never shown, errors',
      value: a ? `${a.undelivered}, ${a.errors}${a.withoutFirstWindow > 0 ? `; ${a.withoutFirstWindow} without a first window` : ''}` : 'n/a',
      target: 'none',
      ceiling: a?.errorSamples[0] ?? '',
      pass: a ? a.undelivered === 0 && a.errors === 0 && a.withoutFirstWindow === 0 : undefined,
    },
    {
      figure: `server CPU with ${n(a?.subscribers)} around-me subscribers`,
      value: a ? `${a.phase.cpuCores} cores` : 'n/a',
      target: '—',
      ceiling: r && a ? `no subscribers ${r.idle.cpuCores} cores; ${a.windowsPerSubscriberPerSec} windows/s, ${n(a.bytesPerSubscriberPerSec, ' B/s')} per subscriber` : '',
      pass: undefined,
    },
    {
      figure: 'actions: accepted/s, round trip p50 / p99, around-me',
      value: a ? `${n(a.phase.acceptedPerSec, '/s')}, ${roundTrip(a.phase)}` : 'n/a',
      target: '—',
      ceiling: r ? `no subscribers ${n(r.idle.acceptedPerSec, '/s')}, ${roundTrip(r.idle)}; top-${r.limit} ${n(r.top.acceptedPerSec, '/s')}, ${roundTrip(r.top)}` : '',
      pass: undefined,
    },
  ];
}
