/**
 * The score path under saturating load, and its ceiling. Both targets run in their own
 * process (`bench/bench-server.ts`) and are loaded the same way: autocannon, from a worker
 * thread of this process, POSTing authenticated click actions with a fresh idempotency key
 * each over keep-alive connections for a fixed time. Used by `bench/run.ts` and
 * `bench/score-actions.ts`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { TestClient } from '../test/support/test-client.js';
import { startBenchServer, type BenchServer } from './bench-server-handle.js';

export type Log = (line: string) => void;

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

/** Fires click actions as the given users (in turn) at `url`; the same load for every target. */
async function load(url: string, tokens: readonly string[], options: LoadOptions): Promise<HttpLoadResult> {
  // The setup script runs inside autocannon's worker thread and reads the tokens from this file.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-bench-tokens-'));
  process.env.BENCH_TOKENS_FILE = path.join(dir, 'tokens.json');
  fs.writeFileSync(process.env.BENCH_TOKENS_FILE, JSON.stringify(tokens));
  let result: autocannon.Result;
  try {
    result = await autocannon({
      url: `${url}/api/v1/actions`,
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
    return await load(server.url, ['baseline'], options);
  } finally {
    await server.stop();
  }
}

/**
 * Registers and logs in `count` users; resolves with their access tokens. Names are unique
 * per run, so a server whose storage outlives the run (distributed mode) takes them too.
 */
async function registerUsers(url: string, count: number, concurrency = 16): Promise<string[]> {
  const players = await new TestClient(url).players(count, `b${Date.now().toString(36)}`, concurrency);
  return players.map((player) => player.token);
}

/** The environment of a server under load from one IP: rate limits off (0), quiet logs. */
export function systemEnv(dataDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    RATE_LIMIT_USER_PER_SEC: '0',
    RATE_LIMIT_IP_PER_SEC: '0',
    LOGIN_RATE_LIMIT_USER_PER_MIN: '0',
    LOGIN_RATE_LIMIT_IP_PER_MIN: '0',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** A real server in its own process on a fresh data dir, removed when it stops. */
export async function startSystemServer(extraEnv: Record<string, string> = {}, groupCommit = true): Promise<BenchServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-bench-'));
  try {
    const server = await startBenchServer('system', { env: systemEnv(dataDir, extraEnv), groupCommit });
    return {
      ...server,
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
}

export interface ScorePathResult extends HttpLoadResult {
  /** Server resident set size at the end of the run, bytes. */
  rssBytes: number;
}

/** Accepted instant actions/s through the whole HTTP path of a real server. */
export async function measureScorePath(options: ScorePathOptions, log: Log): Promise<ScorePathResult> {
  const server = await startSystemServer(options.env, options.groupCommit ?? true);
  try {
    log(`  registering ${options.users} users…`);
    const tokens = await registerUsers(server.url, options.users);
    log(`  group commit ${options.groupCommit === false ? 'off' : 'on'}: ${options.users} users, ${options.connections} connections, ${options.seconds} s…`);
    const result = await load(server.url, tokens, options);
    return { ...result, rssBytes: await server.rss() };
  } finally {
    await server.stop();
  }
}
