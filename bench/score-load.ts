/**
 * The score path under saturating load, and its ceiling. Both targets run in their own
 * process (`bench/bench-server.ts`) and are loaded the same way: autocannon, from a worker
 * thread of this process, POSTing authenticated click actions with a fresh idempotency key
 * each over keep-alive connections for a fixed time. The real server is loaded on the
 * player's route (each user's own token) and, when asked, on the game server's route too
 * (one server credential, the same users named in the body), in alternating rounds. Used by
 * `bench/run.ts` and `bench/score-actions.ts`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import autocannon from 'autocannon';
import { TestClient, type Player } from '../test/support/test-client.js';
import { startBenchServer, type BenchServer } from './bench-server-handle.js';

export type Log = (line: string) => void;

/** The command-line options of a bench that loads a server with players (`parseArgs` options), and their defaults. */
export const PLAYER_LOAD_ARGS = {
  users: { type: 'string', default: '200' },
  connections: { type: 'string', default: '50' },
  seconds: { type: 'string', default: '10' },
} as const;

/** The load those options describe. */
export function playerLoad(values: { users: string; connections: string; seconds: string }): LoadOptions & { users: number } {
  return { users: Number(values.users), connections: Number(values.connections), seconds: Number(values.seconds) };
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** autocannon worker threads; each takes part of a core from the server on a 2-core machine. @default 1 */
  workers?: number;
}

/** A latency distribution as `[percentile, ms]` points, percentile from 0 to 100. */
export type PercentileCurve = [number, number][];

export interface HttpLoadResult {
  /** `201` responses per second. */
  acceptedPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses by status code, `201` included. */
  byStatus: Record<string, number>;
  /** Connection errors and timeouts. */
  errors: number;
  latencyCurve: PercentileCurve;
}

/**
 * Where an action is posted, and as whom: `player` is `POST /api/v1/actions` with the user's
 * own access token; `server` is `POST /api/v1/server/actions` with a game server's
 * credential (`Bearer llb_sk_…`) and the user's id in the body.
 */
export type ActionRoute = 'player' | 'server';

const ROUTE_PATHS: Record<ActionRoute, string> = { player: '/api/v1/actions', server: '/api/v1/server/actions' };

/** Who the requests act as, in turn (what `bench/action-request.cjs` reads). */
interface Senders {
  bearers: readonly string[];
  /** The game-server route only: the user each request acts for. */
  userIds?: readonly string[];
}

const ROOT = path.resolve(import.meta.dirname, '..');
const SETUP_REQUEST = path.resolve(import.meta.dirname, 'action-request.cjs');
const CURVE_POINTS: [number, keyof autocannon.Histogram][] = [
  [1, 'p1'],
  [2.5, 'p2_5'],
  [10, 'p10'],
  [25, 'p25'],
  [50, 'p50'],
  [75, 'p75'],
  [90, 'p90'],
  [97.5, 'p97_5'],
  [99, 'p99'],
  [99.9, 'p99_9'],
  [99.99, 'p99_99'],
  [99.999, 'p99_999'],
];

/** Fires click actions from `senders` (in turn) at `route` of `url`; the same load for every target. */
async function load(url: string, route: ActionRoute, senders: Senders, options: LoadOptions): Promise<HttpLoadResult> {
  // The setup script runs inside autocannon's worker thread and reads the senders from this file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-bench-tokens-'));
  process.env.BENCH_SENDERS_FILE = path.join(dir, 'senders.json');
  fs.writeFileSync(process.env.BENCH_SENDERS_FILE, JSON.stringify(senders));
  let result: autocannon.Result;
  try {
    result = await autocannon({
      url: `${url}${ROUTE_PATHS[route]}`,
      method: 'POST',
      connections: options.connections,
      duration: options.seconds,
      workers: options.workers ?? 1,
      requests: [{ method: 'POST', setupRequest: SETUP_REQUEST }],
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const byStatus: Record<string, number> = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([status, { count = 0 }]) => [status, count]),
  );
  return {
    acceptedPerSec: Math.round((byStatus['201'] ?? 0) / options.seconds),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    byStatus,
    errors: result.errors + result.timeouts,
    latencyCurve: [[0, result.latency.min], ...CURVE_POINTS.map(([p, key]): [number, number] => [p, result.latency[key]]), [100, result.latency.max]],
  };
}

/** The ceiling: bare Fastify answering the same requests with a constant small JSON body. */
export async function measureBareHttp(options: LoadOptions, log: Log): Promise<HttpLoadResult> {
  const server = await startBenchServer('bare-http');
  try {
    log(`  bare Fastify: ${options.connections} connections, ${options.seconds} s…`);
    return await load(server.url, 'player', { bearers: ['baseline'] }, options);
  } finally {
    await server.stop();
  }
}

/**
 * Registers and logs in `count` users. Names are unique per run, so a server whose storage
 * outlives the run (distributed mode) takes them too.
 */
function registerUsers(url: string, count: number, concurrency = 16): Promise<Player[]> {
  return new TestClient(url).players(count, `b${Date.now().toString(36)}`, concurrency);
}

/**
 * A game server's credential made the way an operator makes one, `npm run credentials --
 * create NAME` (its program from source, through tsx: no build), with the server's own
 * environment, so it lands in the server's DATA_DIR or PostgreSQL; resolves with the secret.
 */
async function createServerCredential(env: Record<string, string>, name: string): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join('src', 'credentials.ts'), 'create', name], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
  });
  const secret = stdout.split('\n').find((line) => line.startsWith('llb_sk_'));
  if (secret === undefined) throw new Error(`npm run credentials -- create ${name} printed no secret: ${stdout.slice(0, 300)}`);
  return secret;
}

/**
 * The environment of a server under load from one IP and one game server: rate limits off
 * (0: per user, per IP, per server credential, at login), quiet logs.
 */
export function systemEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    RATE_LIMIT_USER_PER_SEC: '0',
    RATE_LIMIT_IP_PER_SEC: '0',
    RATE_LIMIT_SERVER_PER_SEC: '0',
    LOGIN_RATE_LIMIT_USER_PER_MIN: '0',
    LOGIN_RATE_LIMIT_IP_PER_MIN: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export interface SystemServer extends BenchServer {
  /** The server's whole environment (for the command-line programs that work on its data). */
  env: Record<string, string>;
}

/** A real server in its own process on a fresh data dir, removed when it stops. */
export async function startSystemServer(extraEnv: Record<string, string> = {}, groupCommit = true): Promise<SystemServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-bench-'));
  const env = systemEnv(dataDir, extraEnv);
  try {
    const server = await startBenchServer('system', { env, groupCommit });
    return {
      ...server,
      env,
      stop: async () => {
        await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

export interface ScorePathOptions extends LoadOptions {
  users: number;
  /** @default true */
  groupCommit?: boolean;
  /** Added to the server's environment: `SERVICES`, or `DATABASE_URL` / `REDIS_URL` for distributed mode. */
  env?: Record<string, string>;
  /**
   * Also load the game-server route (`POST /api/v1/server/actions`, one credential) with the
   * same users and the same action, `seconds` of it beside `seconds` on the player's route, in
   * alternating rounds. @default false
   */
  serverRoute?: boolean;
}

/** The player's route; with `serverRoute`, the game server's beside it. */
export interface ScorePathResult extends HttpLoadResult {
  /** The game-server route, when asked for (`serverRoute`). */
  server?: HttpLoadResult;
  /** Server resident set size at the end of the run, bytes. */
  rssBytes: number;
}

/** The game-server route's target: its accepted actions/s within 20% of the player route's in the same run. */
export const SERVER_ROUTE_TARGET = 'within 20% of player actions/s (ratio 0.8–1.2)';
export const meetsServerRouteTarget = (serverToPlayer: number): boolean => serverToPlayer >= 0.8 && serverToPlayer <= 1.2;

/**
 * The rounds of a run that loads both routes: a short warm-up of each, not counted (the
 * first requests on a fresh server pay for compiling its code and statements, which would
 * fall on whichever route went first), then player, server, server, player, half the time
 * each, so that a drift of this machine's speed, or the ledger's growth, falls on both alike.
 */
const WARM_UP_SECONDS = 1;
const ALTERNATING: readonly ActionRoute[] = ['player', 'server', 'server', 'player'];

/**
 * One route's rounds as one result: counts add up and the rate is over their whole time;
 * a latency percentile is the worst of the rounds' (autocannon's worker threads hand back
 * percentiles, not histograms), an upper bound of the combined distribution's.
 */
function combineRounds(rounds: readonly HttpLoadResult[], seconds: number): HttpLoadResult {
  const [first, ...rest] = rounds;
  if (first === undefined) throw new Error('no rounds to combine');
  if (rest.length === 0) return first;
  const byStatus: Record<string, number> = {};
  for (const round of rounds) for (const [status, count] of Object.entries(round.byStatus)) byStatus[status] = (byStatus[status] ?? 0) + count;
  const worst = (pick: (round: HttpLoadResult) => number): number => Math.max(...rounds.map(pick));
  return {
    acceptedPerSec: Math.round((byStatus['201'] ?? 0) / seconds),
    p50Ms: worst((round) => round.p50Ms),
    p99Ms: worst((round) => round.p99Ms),
    byStatus,
    errors: rounds.reduce((sum, round) => sum + round.errors, 0),
    latencyCurve: first.latencyCurve.map(([p], i): [number, number] => [p, worst((round) => round.latencyCurve[i]?.[1] ?? 0)]),
  };
}

/** Accepted instant actions/s through the whole HTTP path of a real server, on the player's route and, when asked, the game server's. */
export async function measureScorePath(options: ScorePathOptions, log: Log): Promise<ScorePathResult> {
  const server = await startSystemServer(options.env, options.groupCommit ?? true);
  try {
    log(`  registering ${options.users} users…`);
    const players = await registerUsers(server.url, options.users);
    const asPlayers: Senders = { bearers: players.map((player) => player.token) };
    const plan = `group commit ${options.groupCommit === false ? 'off' : 'on'}: ${options.users} users, ${options.connections} connections`;
    if (!options.serverRoute) {
      log(`  ${plan}, ${options.seconds} s…`);
      return { ...(await load(server.url, 'player', asPlayers, options)), rssBytes: await server.rss() };
    }
    const senders: Record<ActionRoute, Senders> = {
      player: asPlayers,
      server: { bearers: [await createServerCredential(server.env, 'bench')], userIds: players.map((player) => player.userId) },
    };
    log(`  ${plan}, warming up both routes (${WARM_UP_SECONDS} s each)…`);
    for (const route of ['player', 'server'] as const) await load(server.url, route, senders[route], { ...options, seconds: WARM_UP_SECONDS });
    const roundSeconds = options.seconds / 2;
    log(`  ${plan}, ${ALTERNATING.join(' / ')} routes, ${roundSeconds} s each…`);
    const rounds: Record<ActionRoute, HttpLoadResult[]> = { player: [], server: [] };
    for (const route of ALTERNATING) {
      const round = await load(server.url, route, senders[route], { ...options, seconds: roundSeconds });
      log(`    ${route.padEnd(6)} ${String(round.acceptedPerSec).padStart(6)} actions/s`);
      rounds[route].push(round);
    }
    return {
      ...combineRounds(rounds.player, options.seconds),
      server: combineRounds(rounds.server, options.seconds),
      rssBytes: await server.rss(),
    };
  } finally {
    await server.stop();
  }
}

/**
 * Two configurations of the same server side by side: both started at once, each with its
 * own `users` logged in and a short warm-up, then loaded in turn — A, B, B, A, A, B, B, A,
 * a quarter of `seconds` each — while the other idles. A drift of the machine's speed falls
 * on both alike, and neither pays for a start the other did not. `ratio` is the median of
 * b ÷ a over the four neighbouring pairs of rounds.
 */
export async function measureAgainst(
  variants: { a: Record<string, string>; b: Record<string, string> },
  options: LoadOptions & { users: number },
  log: Log,
): Promise<{ a: HttpLoadResult; b: HttpLoadResult; ratio: number }> {
  const servers = { a: await startSystemServer(variants.a), b: await startSystemServer(variants.b) };
  try {
    const senders: Record<'a' | 'b', Senders> = { a: { bearers: [] }, b: { bearers: [] } };
    for (const side of ['a', 'b'] as const) {
      log(`  ${side}: registering ${options.users} users, warming up (${WARM_UP_SECONDS} s)…`);
      senders[side] = { bearers: (await registerUsers(servers[side].url, options.users)).map((player) => player.token) };
      await load(servers[side].url, 'player', senders[side], { ...options, seconds: WARM_UP_SECONDS });
    }
    const order = ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'a'] as const;
    const roundSeconds = (2 * options.seconds) / order.length;
    const rounds: Record<'a' | 'b', HttpLoadResult[]> = { a: [], b: [] };
    for (const side of order) {
      const round = await load(servers[side].url, 'player', senders[side], { ...options, seconds: roundSeconds });
      log(`    ${side} ${String(round.acceptedPerSec).padStart(6)} actions/s`);
      rounds[side].push(round);
    }
    // b ÷ a of each neighbouring pair of rounds, and their median: a slow spell of the
    // machine spoils one pair, not the figure.
    // Each neighbouring pair of rounds holds the k-th round of both sides.
    const pairs = [0, 1, 2, 3].map((k) => (rounds.b[k] as HttpLoadResult).acceptedPerSec / Math.max(1, (rounds.a[k] as HttpLoadResult).acceptedPerSec));
    const sorted = [...pairs].sort((x, y) => x - y);
    const ratio = Number((((sorted[1] as number) + (sorted[2] as number)) / 2).toFixed(3));
    return { a: combineRounds(rounds.a, options.seconds), b: combineRounds(rounds.b, options.seconds), ratio };
  } finally {
    await Promise.all([servers.a.stop(), servers.b.stop()]);
  }
}
