/**
 * Soak test (`npm run soak -- --minutes 2`): the embedded server in its own process under a
 * steady load for N minutes — actions at a fixed rate from a few hundred players, a few
 * hundred WebSocket subscribers — while its heap and RSS are sampled from `/metrics`.
 *
 * After the warm-up (the first 20%) it checks that
 * - heap and RSS at the end stay within a bound of their peak in the run's first half (a leak
 *   grows them without end),
 * - nothing but `201` and `429` was answered, no request failed, no subscriber was dropped,
 * - the submit p99 at the end (the last 20%, as for memory) is within `--p99-factor` (2,
 *   or 1.5 for the long soak) times a reference:
 *   `--reference-p99-ms`, or the warm-up's own p99 (its second half; never below
 *   `--min-reference-ms`, so a 2 ms p99 does not make 4.1 ms a failure). Drift is what this
 *   looks for — latency that grows with time and stays grown; a slow spell of a shared
 *   machine in the middle of the run is printed (p99 per tenth) but fails nothing,
 * - the load generator kept up (≥ 90% of the scheduled actions answered).
 * It prints the figures, a JSON line last, and exits 1 on any miss.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { readLargestProfile, STAGES, stageTimes, usPerActionByStage } from '../../bench/action-budget.js';
import { samplePercentile } from '../../bench/percentiles.js';
import { startServerProcess } from '../support/server-process.js';
import { TestClient } from '../support/test-client.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '2' },
    rate: { type: 'string', default: '500' },
    users: { type: 'string', default: '200' },
    subscribers: { type: 'string', default: '300' },
    'sample-seconds': { type: 'string', default: '5' },
    'reference-p99-ms': { type: 'string' },
    'min-reference-ms': { type: 'string', default: '10' },
    'p99-factor': { type: 'string', default: '2' },
    'heap-growth-mb': { type: 'string', default: '16' },
    'rss-growth-mb': { type: 'string', default: '50' },
    /** Profile the server's CPU and compare its stages in the warm-up and at the end. */
    'cpu-prof-dir': { type: 'string' },
  },
});
const durationMs = Number(values.minutes) * 60_000;
const rate = Number(values.rate);
const userCount = Number(values.users);
const subscriberCount = Number(values.subscribers);
const sampleMs = Number(values['sample-seconds']) * 1000;
const warmupMs = durationMs * 0.2;
const MB = 1024 * 1024;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-soak-'));
const log = (line: string): void => void process.stderr.write(`[soak] ${line}\n`);

// Limits as shipped, except the per-IP buckets: every simulated player shares this machine's address.
const profileDir = values['cpu-prof-dir'];
// A sample every 2 ms keeps a 15-minute profile small; the profile starts with the process.
const spawnedAt = Date.now();
const server = await startServerProcess({
  execArgv: profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=2000'],
  env: {
    DATA_DIR: dataDir,
    RATE_LIMIT_IP_PER_SEC: String(rate * 10),
    RATE_LIMIT_IP_BURST: String(rate * 20),
    LOGIN_RATE_LIMIT_IP_PER_MIN: String(userCount * 10),
    LOGIN_RATE_LIMIT_IP_BURST: String(userCount * 2),
  },
  inheritStderr: true,
});
process.on('exit', () => {
  server.kill();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
const { url } = server;
log(`server ${url}, data in ${dataDir}`);
const client = new TestClient(url, { timeoutMs: 10_000 });

// Players, a few at a time: the server hashes passwords at production cost.
const players = await client.players(userCount, 'soak', 8);
const tokens = players.map((player) => player.token);
log(`${tokens.length} players registered`);

// Players keep their sessions as real clients do: each access token (15 minutes) is refreshed
// well before it expires through the rotating refresh token, each player on its own clock —
// one player at a time, spread evenly over 5 minutes, not all of them in one burst.
const REFRESH_EVERY_MS = 5 * 60_000;
let nextToRefresh = 0;
async function refreshNextSession(): Promise<void> {
  const index = nextToRefresh;
  nextToRefresh = (nextToRefresh + 1) % players.length;
  const player = players[index] as (typeof players)[number];
  const response = await client.post('/api/v1/auth/refresh', { refreshToken: player.refreshToken });
  const pair = (await response.json()) as { accessToken?: string; refreshToken?: string };
  if (response.status !== 200 || !pair.accessToken || !pair.refreshToken) throw new Error(`refresh of ${player.username} answered ${response.status}`);
  player.refreshToken = pair.refreshToken;
  tokens[index] = pair.accessToken;
}
let refreshFailures = 0;

// Subscribers: any close the soak did not ask for is a failure. Their messages are counted, not kept.
let dropped = 0;
let finishing = false;
const sockets = await Promise.all(Array.from({ length: subscriberCount }, () => client.subscribe('global', 10, { keep: false })));
for (const socket of sockets) {
  socket.socket.on('close', () => {
    if (!finishing) dropped += 1;
  });
}
const wsMessages = (): number => sockets.reduce((sum, socket) => sum + socket.messageCount, 0);
log(`${sockets.length} subscribers connected`);

interface Sample {
  at: number;
  heap: number;
  rss: number;
  /** Buffers and other memory outside the V8 heap: reported, to tell a native leak from a heap one. */
  external: number;
  /** Ledger transactions so far: how many, their seconds, and how many took over 25 ms. */
  commits: number;
  commitSeconds: number;
  commitsOver25ms: number;
}
const samples: Sample[] = [];
async function sample(): Promise<void> {
  const text = await (await client.get('/metrics')).text();
  const metric = (name: string): number => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN);
  const commits = metric('score_commit_duration_seconds_count');
  samples.push({
    at: Date.now() - startedAt,
    heap: metric('nodejs_heap_size_used_bytes'),
    rss: metric('process_resident_memory_bytes'),
    external: metric('nodejs_external_memory_bytes'),
    commits,
    commitSeconds: metric('score_commit_duration_seconds_sum'),
    commitsOver25ms: commits - metric('score_commit_duration_seconds_bucket\\{le="0.025"\\}'),
  });
}

// Open loop: actions are scheduled at the rate whatever the answers take, as players would send them.
/**
 * Every answer's time in the run and its latency, in typed arrays: hundreds of thousands of
 * small objects would make this process's own garbage collection slower as the run goes on,
 * and it shares the cores with the server it measures.
 */
class LatencyLog {
  private at = new Float64Array(1 << 16);
  private ms = new Float64Array(1 << 16);
  length = 0;

  push(at: number, ms: number): void {
    if (this.length === this.at.length) {
      const grow = (from: Float64Array) => {
        const to = new Float64Array(from.length * 2);
        to.set(from);
        return to;
      };
      this.at = grow(this.at);
      this.ms = grow(this.ms);
    }
    this.at[this.length] = at;
    this.ms[this.length] = ms;
    this.length += 1;
  }

  /** The latencies of answers that came in [fromMs, toMs) of the run. */
  between(fromMs: number, toMs = Number.POSITIVE_INFINITY): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.length; i += 1) {
      const at = this.at[i] as number;
      if (at >= fromMs && at < toMs) out.push(this.ms[i] as number);
    }
    return out;
  }
}
const latencies = new LatencyLog();
const statuses = new Map<string, number>();
let scheduled = 0;
let next = 0;
const startedAt = Date.now();
const fire = (): void => {
  const token = tokens[next % tokens.length] as string;
  next += 1;
  scheduled += 1;
  const sentAt = performance.now();
  client.act(token).then(
    async (response) => {
      await response.arrayBuffer();
      latencies.push(Date.now() - startedAt, performance.now() - sentAt);
      statuses.set(String(response.status), (statuses.get(String(response.status)) ?? 0) + 1);
    },
    (error: unknown) => statuses.set(`error ${String(error)}`.slice(0, 80), (statuses.get(`error ${String(error)}`.slice(0, 80)) ?? 0) + 1),
  );
};
const TICK_MS = 10;
const ticker = setInterval(() => {
  const due = Math.floor(((Date.now() - startedAt) * rate) / 1000) - scheduled;
  for (let i = 0; i < due; i += 1) fire();
}, TICK_MS);
await sample();
const refresher = setInterval(
  () =>
    void refreshNextSession().catch((error: unknown) => {
      refreshFailures += 1;
      log(`session refresh failed: ${String(error)}`);
    }),
  REFRESH_EVERY_MS / players.length,
);
const sampler = setInterval(() => void sample().catch((error: unknown) => log(`metrics sample failed: ${String(error)}`)), sampleMs);
// The load generator's own health by tenth of the run: it shares the cores with the server,
// so a client that slows down shows as slower answers. Printed beside the p99 per tenth.
const clientLoop = monitorEventLoopDelay({ resolution: 10 });
clientLoop.enable();
const clientTenths: { loopP99Ms: number; cpuShare: number }[] = [];
let clientCpu = process.cpuUsage();
let clientCpuAt = performance.now();
const clientWatch = setInterval(() => {
  const cpu = process.cpuUsage(clientCpu);
  const now = performance.now();
  clientTenths.push({ loopP99Ms: clientLoop.percentile(99) / 1e6, cpuShare: (cpu.user + cpu.system) / 1000 / (now - clientCpuAt) });
  clientLoop.reset();
  clientCpu = process.cpuUsage();
  clientCpuAt = now;
}, durationMs / 10);
const progress = setInterval(() => log(`${Math.round((Date.now() - startedAt) / 1000)} s: ${latencies.length} answered, ${wsMessages()} WebSocket messages, heap ${fmtMb(samples.at(-1)?.heap)}, rss ${fmtMb(samples.at(-1)?.rss)}`), 15_000);
await new Promise((resolve) => setTimeout(resolve, durationMs));
clearInterval(ticker);
clearInterval(refresher);
clearInterval(sampler);
clearInterval(progress);
clearInterval(clientWatch);
await new Promise((resolve) => setTimeout(resolve, 1_000)); // the last answers
await sample();
finishing = true;
client.close();

/**
 * With `--cpu-prof-dir`: stops the server so it writes its profile, then prints each stage's
 * CPU µs per answered action in the warm-up's second half and in the last 20% of the run —
 * what grows with the data shows as a stage that costs more at the end.
 */
async function compareProfiledStages(dir: string): Promise<void> {
  await server.stop();
  const read = readLargestProfile(dir);
  if (read === undefined) return log(`the server wrote no CPU profile to ${dir}`);
  const { file, profile } = read;
  // The profile's clock starts with the server process; the run's with the first action.
  const runStartMs = startedAt - spawnedAt;
  const windows = {
    warm: { fromMs: warmupMs / 2, toMs: warmupMs },
    end: { fromMs: durationMs * 0.8, toMs: durationMs },
  };
  const usPerAction = (window: { fromMs: number; toMs: number }) =>
    usPerActionByStage(stageTimes(profile, { fromMs: runStartMs + window.fromMs, toMs: runStartMs + window.toMs }), latencies.between(window.fromMs, window.toMs).length);
  const warm = usPerAction(windows.warm);
  const end = usPerAction(windows.end);
  log(`CPU µs per answered action (profile ${file}): stage, warm-up → end`);
  for (const stage of [...STAGES, 'total', 'idle'] as const) log(`  ${stage.padEnd(9)} ${warm[stage].toFixed(1).padStart(7)} → ${end[stage].toFixed(1).padStart(7)}`);
}

/** The ledger's transactions between two moments of the run, from the samples nearest them. */
function describeCommits(fromMs: number, toMs: number): string {
  const first = samples.find((s) => s.at >= fromMs);
  const last = samples.findLast((s) => s.at <= toMs);
  if (!first || !last || last.commits <= first.commits) return 'none sampled';
  const commits = last.commits - first.commits;
  const seconds = (last.at - first.at) / 1000;
  return `${(commits / seconds).toFixed(0)}/s, mean ${(((last.commitSeconds - first.commitSeconds) / commits) * 1000).toFixed(2)} ms, ${(((last.commitsOver25ms - first.commitsOver25ms) / commits) * 100).toFixed(2)}% over 25 ms`;
}

function median(values: number[]): number {
  return samplePercentile(values, 0.5);
}
function fmtMb(bytes: number | undefined): string {
  return bytes === undefined ? '?' : `${(bytes / MB).toFixed(1)} MB`;
}

// The heap saws up and down between collections, and one saw can take longer than a short
// run's warm-up (under load a 2-minute run saws between ~40 and ~160 MB every 25–30 s), so
// the reference level is the highest sample of the run's whole first half: it has seen the
// full saw. The end level is the median of the last 20%, so one sample caught just before a
// collection does not fail the run. A leak still shows: it lifts the whole saw, and the end's
// median climbs past the first half's peak.
const firstHalf = samples.filter((s) => s.at <= durationMs / 2);
const tail = samples.filter((s) => s.at >= durationMs * 0.8);
const heapReference = Math.max(...firstHalf.map((s) => s.heap));
const rssReference = Math.max(...firstHalf.map((s) => s.rss));
const heapEnd = median(tail.map((s) => s.heap));
const rssEnd = median(tail.map((s) => s.rss));
const heapLimit = heapReference + Math.max(0.25 * heapReference, Number(values['heap-growth-mb']) * MB);
const rssLimit = rssReference + Math.max(0.25 * rssReference, Number(values['rss-growth-mb']) * MB);

// The warm-up's second half: its first seconds (cold JIT, first connections) would make a lax reference.
const warmP99 = samplePercentile(latencies.between(warmupMs / 2, warmupMs), 0.99);
const reference = Math.max(Number(values['reference-p99-ms'] ?? warmP99), Number(values['min-reference-ms']));
const afterP99 = samplePercentile(latencies.between(warmupMs), 0.99);
const endP99 = samplePercentile(latencies.between(durationMs * 0.8), 0.99);
const answered = latencies.length;
const badStatuses = [...statuses].filter(([status]) => status !== '201' && status !== '429');

const misses: string[] = [];
if (heapEnd > heapLimit) misses.push(`heap grew from ${fmtMb(heapReference)} to ${fmtMb(heapEnd)} (limit ${fmtMb(heapLimit)})`);
if (rssEnd > rssLimit) misses.push(`RSS grew from ${fmtMb(rssReference)} to ${fmtMb(rssEnd)} (limit ${fmtMb(rssLimit)})`);
if (badStatuses.length > 0) misses.push(`answers other than 201/429: ${JSON.stringify(Object.fromEntries(badStatuses))}`);
if (dropped > 0) misses.push(`${dropped} subscribers dropped`);
if (refreshFailures > 0) misses.push(`${refreshFailures} session refreshes failed`);
const p99Factor = Number(values['p99-factor']);
if (endP99 > p99Factor * reference) misses.push(`p99 ${endP99.toFixed(1)} ms at the end > ${p99Factor} × reference ${reference.toFixed(1)} ms`);
if (answered < 0.9 * scheduled) misses.push(`only ${answered} of ${scheduled} scheduled actions answered`);

log(`memory samples (s: heap / external / rss MB): ${samples.map((s) => `${Math.round(s.at / 1000)}: ${(s.heap / MB).toFixed(0)}/${(s.external / MB).toFixed(0)}/${(s.rss / MB).toFixed(0)}`).join(', ')}`);
const tenths = Array.from({ length: 10 }, (_, i) => latencies.between((i * durationMs) / 10, ((i + 1) * durationMs) / 10));
log(`submit p99 per tenth of the run (ms): ${tenths.map((tenth) => samplePercentile(tenth, 0.99).toFixed(1)).join(', ')}`);
log(`the load generator (this process) per tenth: event-loop delay p99 ${clientTenths.map((t) => t.loopP99Ms.toFixed(0)).join(', ')} ms; CPU ${clientTenths.map((t) => `${(t.cpuShare * 100).toFixed(0)}%`).join(', ')}`);
log(`heap: first half's peak ${fmtMb(heapReference)} → end ${fmtMb(heapEnd)} (limit ${fmtMb(heapLimit)})`);
log(`rss:  first half's peak ${fmtMb(rssReference)} → end ${fmtMb(rssEnd)} (limit ${fmtMb(rssLimit)})`);
log(`submit p99: warm-up ${warmP99.toFixed(1)} ms, at the end ${endP99.toFixed(1)} ms (limit ${p99Factor} × ${reference.toFixed(1)} ms), over the whole run after warm-up ${afterP99.toFixed(1)} ms; p50 ${samplePercentile(latencies.between(0), 0.5).toFixed(1)} ms`);
log(`actions: ${scheduled} scheduled at ${rate}/s, ${answered} answered ${JSON.stringify(Object.fromEntries(statuses))}; ${wsMessages()} WebSocket messages to ${subscriberCount} subscribers, ${dropped} dropped`);
log(`ledger transactions: warm-up ${describeCommits(warmupMs / 2, warmupMs)}; at the end ${describeCommits(durationMs * 0.8, durationMs)}`);
if (profileDir !== undefined) await compareProfiledStages(profileDir);
log(misses.length === 0 ? 'PASS' : `FAIL: ${misses.join('; ')}`);
console.log(
  JSON.stringify({
    minutes: Number(values.minutes),
    rate,
    scheduled,
    answered,
    statuses: Object.fromEntries(statuses),
    subscribers: subscriberCount,
    wsMessages: wsMessages(),
    dropped,
    heapFirstHalfPeakMb: +(heapReference / MB).toFixed(1),
    heapEndMb: +(heapEnd / MB).toFixed(1),
    rssFirstHalfPeakMb: +(rssReference / MB).toFixed(1),
    rssEndMb: +(rssEnd / MB).toFixed(1),
    p99WarmMs: +warmP99.toFixed(2),
    p99AfterMs: +afterP99.toFixed(2),
    p99EndMs: +endP99.toFixed(2),
    misses,
  }),
);
process.exit(misses.length === 0 ? 0 : 1);
