/**
 * The score path's CPU budget: where each accepted action's microseconds go on the server's
 * event loop. A real embedded server (every service on, rate limits off) runs under Node's
 * CPU profiler while autocannon sends players' clicks; its profile is then cut into stages,
 * each sample counted for the nearest frame on its stack that belongs to one:
 *
 *   http      Node's HTTP server and sockets, Fastify, body parsing, reply serialization
 *   token     the access token's check (jose, the verifier and its cache)
 *   rules     the score service: validation, catalog, idempotency, limits, group-commit queue
 *   sqlite    the ledger's transaction: receipt check, totals, ledger row, outbox row, commit
 *   events    the event bus and the leaderboard service (rank indexes, seq, top changes)
 *   realtime  the realtime service (coalescing, frames; no subscriber is connected here)
 *   metrics   prom-client and the request metrics
 *   gc        the garbage collector
 *   other     anything else (module loading at start, timers)
 *
 * Registering and logging in the players beforehand (scrypt, the user store) is left out;
 * µs per action = a stage's CPU time ÷ the actions accepted while the profile ran.
 *
 *   npm run bench:budget [-- --users 200 --connections 50 --seconds 10 --distributed]
 *
 * `--distributed` profiles a distributed score node instead (`SERVICES=auth,score`, on a fresh
 * PostgreSQL database and Redis prefix on this machine); its `sqlite` stage is then empty and
 * the sockets' writes to PostgreSQL count under `http`.
 *
 * Progress on stderr; the table, then one JSON line last on stdout.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withDistributedBenchEnv } from './distributed-env.js';
import { measureScorePath, playerLoad, PLAYER_LOAD_ARGS, type Log } from './score-load.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  /** µs on the profiled process's monotonic clock; each sample's time is this plus its deltas so far. */
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Part of a profile, in ms since it started (a sample counts if it was taken in [fromMs, toMs)). */
export interface ProfileWindow {
  fromMs: number;
  toMs: number;
}

export const STAGES = ['http', 'token', 'rules', 'sqlite', 'events', 'realtime', 'metrics', 'gc', 'other'] as const;
export type Stage = (typeof STAGES)[number] | 'accounts' | 'idle';

// First match wins; a frame matching none takes its caller's stage.
const STAGE_OF_FRAME: [Stage, RegExp][] = [
  ['accounts', /scrypt|password-hasher|sqlite-user-store|refresh-token|auth\/routes|auth\/auth-service|token-issuer/],
  ['sqlite', /better-sqlite3|sqlite-ledger|sqliteTransaction/],
  ['token', /auth\/token-verifier|auth\/key-resolvers|node_modules\/jose/],
  ['events', /leaderboard\/|event-bus|platform\/events/],
  ['realtime', /realtime\/|node_modules\/ws\//],
  ['metrics', /prom-client|platform\/metrics/],
  ['rules', /score\/|rate-limiter|platform\/validation|node_modules\/ajv/],
  ['http', /fastify|find-my-way|avvio|secure-json-parse|fast-json-stringify|fast-querystring|_http_|node:net|node:http|streams\/|stream_base|writev|node:events|platform\/problem-json/],
];

function frameStage(node: ProfileNode): Stage | undefined {
  const { functionName, url } = node.callFrame;
  if (functionName === '(idle)') return 'idle';
  if (functionName === '(garbage collector)') return 'gc';
  const text = `${url} ${functionName}`;
  return STAGE_OF_FRAME.find(([, pattern]) => pattern.test(text))?.[0];
}

/**
 * CPU ms per stage: each sample goes to the nearest frame on its stack that has a stage.
 * With a window, only the samples taken inside it count.
 */
export function stageTimes(profile: CpuProfile, window?: ProfileWindow): Map<Stage, number> {
  const parent = new Map<number, ProfileNode>();
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const memo = new Map<number, Stage>();
  const stageOf = (node: ProfileNode): Stage => {
    const known = memo.get(node.id);
    if (known) return known;
    const above = parent.get(node.id);
    const stage = frameStage(node) ?? (above ? stageOf(above) : 'other');
    memo.set(node.id, stage);
    return stage;
  };
  const times = new Map<Stage, number>();
  let sinceStartUs = 0;
  profile.samples.forEach((id, i) => {
    sinceStartUs += profile.timeDeltas[i] ?? 0;
    if (window && (sinceStartUs < window.fromMs * 1000 || sinceStartUs >= window.toMs * 1000)) return;
    const node = byId.get(id);
    if (!node) return;
    const stage = stageOf(node);
    times.set(stage, (times.get(stage) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return times;
}

/** The main thread's profile in `dir` (worker threads write their own, smaller ones), if any. */
export function readLargestProfile(dir: string): { file: string; profile: CpuProfile } | undefined {
  const [file] = fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => path.join(dir, name))
    .sort((a, b) => fs.statSync(b).size - fs.statSync(a).size);
  return file === undefined ? undefined : { file, profile: JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile };
}

/** µs of each stage per action, and `total` (the stages' sum, idle left out). */
export function usPerActionByStage(times: ReadonlyMap<Stage, number>, actions: number): Record<(typeof STAGES)[number] | 'total' | 'idle', number> {
  const us = (stage: Stage) => Number((((times.get(stage) ?? 0) * 1000) / Math.max(1, actions)).toFixed(1));
  const byStage = Object.fromEntries([...STAGES, 'idle' as const].map((stage) => [stage, us(stage)])) as Record<(typeof STAGES)[number] | 'idle', number>;
  return { ...byStage, total: Number(STAGES.reduce((sum, stage) => sum + byStage[stage], 0).toFixed(1)) };
}

export interface ActionBudget {
  actionsPerSec: number;
  accepted: number;
  /** µs of the server's event loop per accepted action, by stage, and their sum. */
  usPerAction: Record<(typeof STAGES)[number] | 'total', number>;
  /** The event loop's idle share while loaded (the load tool and the server share 2 cores). */
  idleShare: number;
}

export async function measureActionBudget(
  options: { users: number; connections: number; seconds: number; distributed?: boolean },
  log: Log,
): Promise<ActionBudget> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-budget-'));
  const previous = process.env.BENCH_SERVER_EXEC_ARGV;
  process.env.BENCH_SERVER_EXEC_ARGV = `--cpu-prof --cpu-prof-dir=${dir}`;
  try {
    const measure = (env: Record<string, string>) => measureScorePath({ ...options, groupCommit: true, serverRoute: false, env }, log);
    const result = options.distributed
      ? await withDistributedBenchEnv((distributed) => measure({ ...distributed, SERVICES: 'auth,score' }))
      : await measure({});
    const read = readLargestProfile(dir);
    if (read === undefined) throw new Error(`the server wrote no CPU profile to ${dir}`);
    const times = stageTimes(read.profile);
    const accepted = result.byStatus[201] ?? 0;
    const { idle: _idle, ...usPerAction } = usPerActionByStage(times, accepted);
    const busy = [...times].filter(([stage]) => stage !== 'accounts').reduce((sum, [, ms]) => sum + ms, 0);
    return { actionsPerSec: result.acceptedPerSec, accepted, usPerAction, idleShare: Number(((times.get('idle') ?? 0) / Math.max(1, busy)).toFixed(3)) };
  } finally {
    if (previous === undefined) delete process.env.BENCH_SERVER_EXEC_ARGV;
    else process.env.BENCH_SERVER_EXEC_ARGV = previous;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { ...PLAYER_LOAD_ARGS, distributed: { type: 'boolean', default: false } } });
  const log: Log = (line) => void process.stderr.write(`${line}\n`);
  const budget = await measureActionBudget({ ...playerLoad(values), distributed: values.distributed }, log);
  log('');
  log(`${budget.actionsPerSec} accepted actions/s under the profiler (${budget.accepted} accepted), event loop idle ${(budget.idleShare * 100).toFixed(1)}%`);
  log('stage       µs per action');
  for (const stage of [...STAGES, 'total'] as const) log(`${stage.padEnd(10)} ${String(budget.usPerAction[stage]).padStart(8)}`);
  console.log(JSON.stringify(budget));
}
