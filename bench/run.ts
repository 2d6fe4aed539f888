/**
 * The whole system against its ceilings, measured in one run so the ratios hold on a noisy
 * machine (the performance budget in docs/PERFORMANCE.md). Each step is bounded in time, on 127.0.0.1:
 *
 * 1. ceiling: bare Fastify answering the action route with a constant JSON body, loaded by
 *    autocannon with the same connections → baselineReqPerSec;
 * 2. the score path of a real embedded server (every service running, rate limits off),
 *    N users firing instant actions over keep-alive connections → actionsPerSec (201s only),
 *    submitP99Ms, responses by status, server RSS at the end; and, on the same server in
 *    alternating rounds, a game server (one credential) firing the same action for the same
 *    users on `POST /api/v1/server/actions` → serverActionsPerSec, serverToPlayerRatio;
 *    2b. the same score path with webhooks on (a receiver on loopback) and off, alternating,
 *    → webhookCost; and a held action's ledger cost with 0, 1 and 3 receivers (each writes
 *    an `action.held` row per receiver) → heldActionUs (`bench/webhook-cost.ts`);
 * 3. fan-out: S subscribers on `global` top 10 while actions are accepted at a fixed rate →
 *    deliveryP99Ms (201 → update), wsMessagesPerSec, beside a bare `ws` broadcast of the
 *    same payload to the same clients → baselineWsMessagesPerSec;
 *    3b. deltas and around-me (`bench/realtime-load.ts`): P ranked players, actions from random
 *    ones at the same rate; top-100 subscribers with and without deltas → deltaSaving (bytes
 *    per subscriber per second, updates ÷ deltas); around-me subscribers, each a different
 *    player → aroundDeliveryP99Ms (201 → window) and the server's CPU;
 * 4. the rank index at 1,000,000 users, ours beside Redis on the same data (see
 *    `bench/rank-figures.ts` for what is compared) → rankP99Ms, rankVsRedis,
 *    bytesPerRankedUser;
 * 5. with --distributed, steps 2–3 again against a server given DATABASE_URL and REDIS_URL.
 *
 *   npm run bench [-- --quick] [-- --distributed]
 *   overrides: --users --connections --seconds --subscribers --rate --fanout-seconds
 *              --players --top-subscribers --around-subscribers
 *              --rank-users --rank-ops --redis-url
 *
 * Progress on stderr; the table, then as the last stdout line one JSON object. The figures
 * and an HTML page with the latency charts go to bench/results/ (<timestamp>.* and latest.*).
 * Servers run in their own processes; BENCH_SERVER_EXEC_ARGV adds Node flags to them (e.g.
 * "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { BENCH_REDIS_URL, withDistributedBenchEnv } from './distributed-env.js';
import { renderMarkdownTable, renderTable, renderHtml, writeResults, type TableRow } from './bench-report.js';
import { ServerRefused } from './bench-server-handle.js';
import { measureFanout, type FanoutResult } from './fanout-load.js';
import { measureRealtime, realtimeFigures, realtimeLimitSeconds, realtimeRows } from './realtime-load.js';
import { compareOrders, connectRedis, measureInMemoryRank, measureRedisRank, type InMemoryRankFigures, type RedisRankFigures } from './rank-figures.js';
import { measureWebhookCost, WEBHOOK_COST_TARGET } from './webhook-cost.js';
import {
  measureBareHttp,
  measureScorePath,
  meetsServerRouteTarget,
  SERVER_ROUTE_TARGET,
  startSystemServer,
  type HttpLoadResult,
  type ScorePathResult,
} from './score-load.js';
import { stepRunner } from './bench-steps.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    distributed: { type: 'boolean', default: false },
    users: { type: 'string' },
    connections: { type: 'string' },
    seconds: { type: 'string' },
    subscribers: { type: 'string' },
    rate: { type: 'string' },
    'fanout-seconds': { type: 'string' },
    players: { type: 'string' },
    'top-subscribers': { type: 'string' },
    'around-subscribers': { type: 'string' },
    'rank-users': { type: 'string' },
    'rank-ops': { type: 'string' },
    'redis-url': { type: 'string', default: BENCH_REDIS_URL },
  },
});

/** `--quick` finishes in well under a minute; the default run in a few. */
const defaults = values.quick
  ? { users: 300, connections: 50, seconds: 3, subscribers: 1000, rate: 1000, fanoutSeconds: 3, players: 2000, topSubscribers: 400, aroundSubscribers: 500, rankUsers: 200_000, rankOps: 50_000 }
  : { users: 2000, connections: 50, seconds: 10, subscribers: 5000, rate: 1000, fanoutSeconds: 10, players: 10_000, topSubscribers: 1000, aroundSubscribers: 2000, rankUsers: 1_000_000, rankOps: 200_000 };
const option = (raw: string | undefined, fallback: number): number => (raw === undefined ? fallback : Number(raw));
const settings = {
  users: option(values.users, defaults.users),
  connections: option(values.connections, defaults.connections),
  seconds: option(values.seconds, defaults.seconds),
  subscribers: option(values.subscribers, defaults.subscribers),
  rate: option(values.rate, defaults.rate),
  fanoutSeconds: option(values['fanout-seconds'], defaults.fanoutSeconds),
  players: option(values.players, defaults.players),
  topSubscribers: option(values['top-subscribers'], defaults.topSubscribers),
  aroundSubscribers: option(values['around-subscribers'], defaults.aroundSubscribers),
  rankUsers: option(values['rank-users'], defaults.rankUsers),
  rankOps: option(values['rank-ops'], defaults.rankOps),
};
/**
 * Runs `work` with the environment that turns a server distributed: a fresh database and
 * Redis key prefix each time (an earlier run's ledger would slow this one), dropped after.
 */
const withDistributedEnv = <T>(work: (env: Record<string, string>) => Promise<T>): Promise<T> => withDistributedBenchEnv(work, values['redis-url']);
/** The server's default coalescing window (REALTIME_WINDOW_MS): at most one update per board per window. */
const WINDOW_MS = 50;

const started = performance.now();
const startedAt = new Date();
const log = (line: string): void => void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
const { step, failures } = stepRunner(log);

// Distributed mode is checked first: when the server refuses it there is nothing to wait for.
if (values.distributed) {
  log('checking that the server accepts DATABASE_URL and REDIS_URL…');
  try {
    await withDistributedEnv(async (env) => (await startSystemServer(env)).stop());
  } catch (error) {
    if (!(error instanceof ServerRefused)) throw error;
    process.stderr.write(`distributed mode unavailable: the server refused DATABASE_URL/REDIS_URL (${error.message})\n`);
    process.exit(2);
  }
}

const load = { connections: settings.connections, seconds: settings.seconds };
// The embedded score step loads two routes, `seconds` each, after a short warm-up of each.
const scoreLimit = 2 * settings.seconds + 70 + settings.users / 20;
const fanoutLimit = 2 * settings.fanoutSeconds + 60 + settings.subscribers / 50;

log(`live-leaderboard benchmark${values.quick ? ' (quick)' : ''} on ${os.cpus().length} cores, Node ${process.version}`);
const baseline = await step(`1/4 ceiling: bare Fastify, ${settings.connections} connections, ${settings.seconds} s`, settings.seconds + 30, () =>
  measureBareHttp(load, log),
);
const score = await step(
  `2/4 score path, embedded: ${settings.users} users, ${settings.connections} connections, ${settings.seconds} s each for players and a game server`,
  scoreLimit,
  () => measureScorePath({ ...load, users: settings.users, serverRoute: true }, log),
);
const webhooks = await step(`2b/4 webhooks on the score path: off and on side by side, ${settings.seconds} s each`, 2 * settings.seconds + 120 + settings.users / 10, () =>
  measureWebhookCost({ users: settings.users, connections: settings.connections, seconds: settings.seconds, heldActions: values.quick ? 5_000 : 50_000 }, log),
);
const fanout = await step(`3/4 fan-out: ${settings.subscribers} subscribers, ${settings.rate} actions/s, ${settings.fanoutSeconds} s`, fanoutLimit, () =>
  measureFanout({ subscribers: settings.subscribers, rate: settings.rate, seconds: settings.fanoutSeconds }, log),
);
const realtimeOptions = {
  players: settings.players,
  topSubscribers: settings.topSubscribers,
  aroundSubscribers: settings.aroundSubscribers,
  rate: settings.rate,
  seconds: settings.fanoutSeconds,
};
const realtime = await step(
  `3b/4 deltas and around-me: ${settings.players.toLocaleString('en-US')} players, ${settings.topSubscribers} top-100 and ${settings.aroundSubscribers} around-me subscribers, ${settings.rate} actions/s, ${settings.fanoutSeconds} s each`,
  realtimeLimitSeconds(realtimeOptions),
  () => measureRealtime(realtimeOptions, log),
);
const rank = await step(`4/4 rank index: ${settings.rankUsers.toLocaleString('en-US')} users, ours and Redis`, 240, async () => {
  const rankOptions = { users: settings.rankUsers, ops: settings.rankOps };
  const ours = (await measureInMemoryRank(rankOptions, log)).figures;
  // An asc board (times, lowest first) must rank as fast as a desc one.
  const orders = await compareOrders(rankOptions, log);
  const redis = await connectRedis(values['redis-url'], log);
  let theirs: RedisRankFigures | undefined;
  if (redis) {
    try {
      theirs = await measureRedisRank(redis, `bench:rank:${process.pid}:${Date.now()}`, rankOptions, log);
    } finally {
      redis.disconnect();
    }
  } else log('  skipping the Redis column');
  return { ours, orders, theirs };
});
let distributed: { score: ScorePathResult | undefined; fanout: FanoutResult | undefined } | undefined;
if (values.distributed) {
  distributed = {
    score: await step('5/5 score path, distributed', scoreLimit, () =>
      withDistributedEnv((env) => measureScorePath({ ...load, users: settings.users, env }, log)),
    ),
    fanout: await step('5/5 fan-out, distributed', fanoutLimit, () =>
      withDistributedEnv((env) => measureFanout({ subscribers: settings.subscribers, rate: settings.rate, seconds: settings.fanoutSeconds, env }, log)),
    ),
  };
}

const ratio = (a: number | undefined, b: number | undefined): number | null =>
  a === undefined || b === undefined || b === 0 ? null : Number((a / b).toFixed(2));
const n = (value: number | undefined | null, unit = ''): string => (value === undefined || value === null ? 'n/a' : `${value.toLocaleString('en-US')}${unit}`);
const non201 = (result: HttpLoadResult): Record<string, number> => Object.fromEntries(Object.entries(result.byStatus).filter(([status]) => status !== '201'));
const ours: InMemoryRankFigures | undefined = rank?.ours;
const theirs = rank?.theirs;

const actionRatio = ratio(score?.acceptedPerSec, baseline?.acceptedPerSec);
const serverToPlayerRatio = ratio(score?.server?.acceptedPerSec, score?.acceptedPerSec);
const wsRatio = fanout?.wsRatio ?? null;
const rankVsRedis = ratio(ours?.mixedQueriesPerSec, theirs?.mixedQueriesPerSec);
const ascVsDesc = rank?.orders.ascVsDesc ?? null;
const rssMb = score ? Number((score.rssBytes / 2 ** 20).toFixed(1)) : null;
const wsCoalescingCapPerSec = Math.round((settings.subscribers * 1000) / WINDOW_MS);
const check = (value: number | null | undefined, pass: (v: number) => boolean): boolean | undefined =>
  value === null || value === undefined ? undefined : pass(value);

const rows: TableRow[] = [
  {
    figure: 'accepted actions/s, embedded',
    value: n(score?.acceptedPerSec),
    target: '≥ 0.5 × bare Fastify',
    ceiling: `${n(baseline?.acceptedPerSec, ' req/s')} → ${n(actionRatio)}`,
    pass: check(actionRatio, (r) => r >= 0.5),
  },
  {
    figure: 'accepted server actions/s, embedded',
    value: n(score?.server?.acceptedPerSec),
    target: SERVER_ROUTE_TARGET,
    ceiling: `player ${n(score?.acceptedPerSec, '/s')} (same run) → ${n(serverToPlayerRatio)}`,
    pass: check(serverToPlayerRatio, meetsServerRouteTarget),
  },
  {
    figure: `submit latency p50 / p99 (${settings.connections} conns)`,
    value: score ? `${score.p50Ms} / ${score.p99Ms} ms` : 'n/a',
    target: '—',
    ceiling: baseline ? `bare ${baseline.p50Ms} / ${baseline.p99Ms} ms` : 'n/a',
    pass: undefined,
  },
  {
    figure: 'responses other than 201, errors',
    value: score ? `${JSON.stringify(non201(score))}, ${score.errors}` : 'n/a',
    target: 'none',
    ceiling: '',
    pass: score ? Object.keys(non201(score)).length === 0 && score.errors === 0 : undefined,
  },
  {
    figure: 'server route: p50 / p99; non-201, errors',
    value: score?.server ? `${score.server.p50Ms} / ${score.server.p99Ms} ms; ${JSON.stringify(non201(score.server))}, ${score.server.errors}` : 'n/a',
    target: 'none other than 201',
    ceiling: '',
    pass: score?.server ? Object.keys(non201(score.server)).length === 0 && score.server.errors === 0 : undefined,
  },
  {
    figure: 'accepted actions/s with webhooks on',
    value: n(webhooks?.onPerSec),
    target: WEBHOOK_COST_TARGET,
    ceiling: webhooks ? `off ${n(webhooks.offPerSec, '/s')} (alternating runs) → cost ${(webhooks.cost * 100).toFixed(1)}%` : 'n/a',
    pass: check(webhooks?.cost, (cost) => cost < 0.1),
  },
  {
    figure: 'click recorded, 0 / 3 receivers (in process)',
    value: webhooks ? `${webhooks.clickUs.map((click) => click.us).join(' / ')} µs` : 'n/a',
    target: 'the same',
    ceiling: 'a click writes no webhook',
    pass: undefined,
  },
  {
    figure: 'held action recorded, 0 / 1 / 3 receivers',
    value: webhooks ? `${webhooks.heldUs.map((held) => held.us).join(' / ')} µs` : 'n/a',
    target: '—',
    ceiling: 'the worst case: every action an event',
    pass: undefined,
  },
  {
    figure: `delivery p50 / p99, ${settings.subscribers} subs at ${settings.rate}/s`,
    value: fanout ? `${fanout.deliveryP50Ms} / ${fanout.deliveryP99Ms} ms` : 'n/a',
    target: 'p99 ≤ 150 ms',
    ceiling: fanout ? `from server stamp ${fanout.deliveryFromServerP50Ms} / ${fanout.deliveryFromServerP99Ms} ms` : '',
    pass: check(fanout?.deliveryP99Ms, (ms) => ms <= 150),
  },
  {
    figure: 'WebSocket messages/s',
    value: n(fanout?.wsMessagesPerSec),
    target: '≥ 0.5 × bare ws',
    ceiling: `${n(fanout?.baselineWsMessagesPerSec, '/s')} → ${n(wsRatio)} (window cap ${n(wsCoalescingCapPerSec, '/s')})`,
    pass: check(wsRatio, (r) => r >= 0.5),
  },
  ...realtimeRows(realtime),
  {
    figure: `rank p99, worst of top-10/rank-of/around-me`,
    value: ours ? `${ours.rankP99Ms} ms` : 'n/a',
    target: '≤ 1 ms',
    ceiling: theirs ? `Redis round trip p99 ${theirs.roundTripP99Ms} ms` : 'Redis skipped',
    pass: check(ours?.rankP99Ms, (ms) => ms <= 1),
  },
  {
    figure: `rank updates/s (${settings.rankUsers.toLocaleString('en-US')} users)`,
    value: n(ours?.updates.perSec),
    target: '—',
    ceiling: theirs ? `Redis ZINCRBY ${n(theirs.updatesPerSec, '/s')}` : 'Redis skipped',
    pass: undefined,
  },
  {
    figure: 'rank queries/s, mixed',
    value: n(ours?.mixedQueriesPerSec),
    target: '≥ Redis',
    ceiling: theirs ? `Redis ${n(theirs.mixedQueriesPerSec, '/s')} → ${n(rankVsRedis)}` : 'Redis skipped (no answer)',
    pass: check(rankVsRedis, (r) => r >= 1),
  },
  {
    figure: 'rank queries/s, mixed, asc board',
    value: n(rank?.orders.ascPerSec),
    target: '≥ 0.9 × desc',
    ceiling: `desc ${n(rank?.orders.descPerSec, '/s')} (same users, alternating rounds) → ${n(ascVsDesc)}`,
    pass: check(ascVsDesc, (r) => r >= 0.9),
  },
  {
    figure: 'bytes per ranked user',
    value: ours?.bytesPerRankedUser === undefined ? 'n/a' : `${ours.bytesPerRankedUser} (${ours.bytesPerRankedUserWithIds} with ids)`,
    target: '≤ 200',
    ceiling: theirs ? `Redis ${theirs.bytesPerRankedUser}` : '',
    pass: check(ours?.bytesPerRankedUser, (b) => b <= 200),
  },
  { figure: 'server RSS after the score run', value: n(rssMb, ' MB'), target: '—', ceiling: '', pass: undefined },
];
if (distributed) {
  const d = distributed;
  rows.push(
    {
      figure: 'responses other than 201, errors, distributed',
      value: d.score ? `${JSON.stringify(non201(d.score))}, ${d.score.errors}` : 'n/a',
      target: 'none',
      ceiling: '',
      pass: d.score ? Object.keys(non201(d.score)).length === 0 && d.score.errors === 0 : undefined,
    },
    {
      figure: 'accepted actions/s, distributed',
      value: n(d.score?.acceptedPerSec),
      target: '—',
      ceiling: `${n(baseline?.acceptedPerSec, ' req/s')} → ${n(ratio(d.score?.acceptedPerSec, baseline?.acceptedPerSec))}`,
      pass: undefined,
    },
    { figure: 'delivery p99, distributed', value: n(d.fanout?.deliveryP99Ms, ' ms'), target: '≤ 150 ms', ceiling: '', pass: check(d.fanout?.deliveryP99Ms, (ms) => ms <= 150) },
  );
}

const figures = {
  actionsPerSec: score?.acceptedPerSec ?? null,
  baselineReqPerSec: baseline?.acceptedPerSec ?? null,
  actionRatio,
  submitP50Ms: score?.p50Ms ?? null,
  submitP99Ms: score?.p99Ms ?? null,
  baselineP99Ms: baseline?.p99Ms ?? null,
  actionResponses: score?.byStatus ?? null,
  actionErrors: score?.errors ?? null,
  serverActionsPerSec: score?.server?.acceptedPerSec ?? null,
  serverToPlayerRatio,
  serverSubmitP50Ms: score?.server?.p50Ms ?? null,
  serverSubmitP99Ms: score?.server?.p99Ms ?? null,
  serverActionResponses: score?.server?.byStatus ?? null,
  serverActionErrors: score?.server?.errors ?? null,
  webhooksOffPerSec: webhooks?.offPerSec ?? null,
  webhooksOnPerSec: webhooks?.onPerSec ?? null,
  webhookCost: webhooks?.cost ?? null,
  heldActionUs: webhooks?.heldUs ?? null,
  clickWithWebhooksUs: webhooks?.clickUs ?? null,
  deliveryP50Ms: fanout?.deliveryP50Ms ?? null,
  deliveryP99Ms: fanout?.deliveryP99Ms ?? null,
  deliveryFromServerP99Ms: fanout?.deliveryFromServerP99Ms ?? null,
  deliveries: fanout?.deliveries ?? null,
  wsMessagesPerSec: fanout?.wsMessagesPerSec ?? null,
  baselineWsMessagesPerSec: fanout?.baselineWsMessagesPerSec ?? null,
  wsRatio,
  wsCoalescingCapPerSec,
  serverBytesPerIdleConnection: fanout?.serverBytesPerIdleConnection ?? null,
  ...realtimeFigures(realtime),
  rankP99Ms: ours?.rankP99Ms ?? null,
  rankUpdatesPerSec: ours?.updates.perSec ?? null,
  rankQueriesPerSec: ours?.mixedQueriesPerSec ?? null,
  redisQueriesPerSec: theirs?.mixedQueriesPerSec ?? null,
  redisUpdatesPerSec: theirs?.updatesPerSec ?? null,
  rankVsRedis,
  rankAscVsDesc: ascVsDesc,
  bytesPerRankedUser: ours?.bytesPerRankedUser ?? null,
  bytesPerRankedUserWithIds: ours?.bytesPerRankedUserWithIds ?? null,
  redisBytesPerRankedUser: theirs?.bytesPerRankedUser ?? null,
  rssMb,
  distributed: distributed
    ? {
        actionsPerSec: distributed.score?.acceptedPerSec ?? null,
        submitP99Ms: distributed.score?.p99Ms ?? null,
        actionResponses: distributed.score?.byStatus ?? null,
        actionErrors: distributed.score?.errors ?? null,
        deliveryP99Ms: distributed.fanout?.deliveryP99Ms ?? null,
        fanoutAccepted: distributed.fanout?.accepted ?? null,
        wsMessagesPerSec: distributed.fanout?.wsMessagesPerSec ?? null,
      }
    : null,
  pass: rows.every((row) => row.pass !== false),
  failedSteps: failures,
  settings: { quick: values.quick, ...settings },
  at: startedAt.toISOString(),
  seconds: Math.round((performance.now() - started) / 1000),
};

const stamp = startedAt.toISOString().replaceAll(':', '-').replace(/\.\d+Z$/, 'Z');
const details = {
  ...figures,
  rank: rank ?? null,
  fanout: fanout ? { ...fanout, deliveryHistogram: undefined } : null,
  realtime: realtime ? { ...realtime, around: { ...realtime.around, deliveryHistogram: undefined } } : null,
  table: renderMarkdownTable(rows),
};
const html = renderHtml(
  `live-leaderboard benchmark, ${startedAt.toISOString()}${values.quick ? ' (quick)' : ''}`,
  rows,
  {
    submitCurve: score?.latencyCurve,
    serverSubmitCurve: score?.server?.latencyCurve,
    baselineSubmitCurve: baseline?.latencyCurve,
    deliveryCurve: fanout?.deliveryCurve,
    deliveryHistogram: fanout?.deliveryHistogram,
    subscribers: settings.subscribers,
    aroundDeliveryCurve: realtime?.around.deliveryCurve,
    aroundSubscribers: realtime?.around.subscribers,
  },
  details,
);
const written = writeResults(path.resolve(import.meta.dirname, 'results'), stamp, details, html);
log(`wrote ${written.map((file) => path.relative(process.cwd(), file)).join(', ')}`);
if (failures.length > 0) log(`steps that failed: ${failures.join('; ')}`);

console.log(renderTable(rows));
console.log(JSON.stringify(figures));
// Exit now: a timed-out step may still hold timers or sockets; its children die with us.
process.exit(failures.length > 0 ? 1 : 0);
