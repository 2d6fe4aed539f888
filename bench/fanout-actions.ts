/**
 * The action side of `bench/fanout-load.ts` and `bench/realtime-load.ts`, in its own process:
 * says 'ready' once loaded, then does what it is told, one command at a time:
 *
 * - 'fire': one user's clicks at a fixed rate; reports when each was accepted, indexed by the
 *   score it brought the user to: `acceptedAt` when this process read the `201` (epoch ms),
 *   and `serverAt` the action's time as the server stamped it (`action.at`); and each
 *   request's round trip (`submitMs`), to show whether fan-out delays the actions themselves.
 * - 'fire-many': the same pacing, each click from a player drawn at random (a seeded draw)
 *   among `tokens`; reports per accepted action who acted, the new global total the `201`
 *   carried (`totals.global`), when the request was sent and the same two times.
 * - 'seed': `counts[i]` clicks for each player i, `concurrency` requests at a time, as fast as
 *   the server takes them: a board with a spread of scores before a run.
 *
 * Plain `node:http` over kept-alive connections, not `fetch`: at 1,000 requests/s `fetch`
 * took 40% of a core, CPU the server under test then did not get on a 2-core machine.
 */
import http from 'node:http';

interface Fire {
  cmd: 'fire';
  url: string;
  token: string;
  rate: number;
  seconds: number;
  /** The user's score before the first action. */
  startScore: number;
}

export interface FireMany {
  cmd: 'fire-many';
  url: string;
  tokens: string[];
  rate: number;
  seconds: number;
  /** Seeds the draw of who acts, so runs with the same settings act alike. */
  seed: number;
}

/** 'fired-many': one entry per accepted action, in the order the `201`s were read. */
export interface FiredMany {
  cmd: 'fired-many';
  /** Index into `tokens` of who acted. */
  actor: number[];
  /** Their new global total, from the `201`. */
  total: number[];
  /** When this process sent the request (epoch ms). */
  postedAt: number[];
  /** When this process read the `201` (epoch ms). */
  acceptedAt: number[];
  /** The action's time as the server stamped it (epoch ms; NaN when absent). */
  serverAt: number[];
  submitMs: number[];
  sent: number;
  /** Requests that got no response, or a status other than `201`. */
  failed: number;
  /** Why, for the first few of them. */
  failures: string[];
}

export interface Seed {
  cmd: 'seed';
  url: string;
  tokens: string[];
  counts: number[];
  concurrency: number;
}

// No cap on sockets (the default): with a cap, requests would queue in this process whenever
// the server is slower than cap ÷ rate (32 sockets, 40 ms in distributed mode: 800/s).
const agent = new http.Agent({ keepAlive: true });

/** POSTs JSON; resolves with the status, the body and when the response ended (epoch ms). */
function post(url: string, token: string, body: string): Promise<{ status: number; body: string; received: number }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), received: Date.now() }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** A click's `201`: the time the server stamped on the action and the user's new global total. */
interface Accepted {
  status: number;
  /** When the request was sent (epoch ms). */
  posted: number;
  received: number;
  submitMs: number;
  score: number | undefined;
  serverAt: number;
}

/** POSTs one click as `token`; resolves with what its response said. */
async function click(url: string, token: string, idempotencyKey: string): Promise<Accepted> {
  const started = performance.now();
  const posted = Date.now();
  const { status, body, received } = await post(`${url}/api/v1/actions`, token, JSON.stringify({ type: 'click', idempotencyKey }));
  const parsed = JSON.parse(body) as { action?: { at?: string }; totals?: { global?: number } };
  return { status, posted, received, submitMs: performance.now() - started, score: parsed.totals?.global, serverAt: Date.parse(parsed.action?.at ?? '') };
}

/**
 * Calls `send(n)` for n = 1, 2, … at `rate` per second for `seconds`, without waiting for the
 * previous ones; resolves once every call has settled, with how many were made.
 */
async function paced(rate: number, seconds: number, send: (n: number) => Promise<void>): Promise<number> {
  const inFlight: Promise<void>[] = [];
  const started = Date.now();
  let sent = 0;
  while (Date.now() - started < seconds * 1000) {
    const due = Math.floor(((Date.now() - started) / 1000) * rate);
    while (sent < due) inFlight.push(send(++sent));
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  await Promise.all(inFlight);
  return sent;
}

/** A small seeded generator (mulberry32), uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function fire(message: Fire): Promise<void> {
  const acceptedAt: (number | null)[] = [];
  const serverAt: (number | null)[] = [];
  const submitMs: number[] = [];
  /** Requests that got no response (a reset connection, say): reported, not fatal. */
  let failed = 0;
  const run = Date.now();
  const sent = await paced(message.rate, message.seconds, (n) =>
    click(message.url, message.token, `fanout-${n}-${run}`).then(
      (accepted) => {
        if (accepted.status !== 201 || accepted.score === undefined) return;
        submitMs.push(accepted.submitMs);
        acceptedAt[accepted.score] = accepted.received;
        serverAt[accepted.score] = accepted.serverAt;
      },
      () => {
        failed += 1;
      },
    ),
  );
  process.send?.({ cmd: 'fired', acceptedAt, serverAt, submitMs, sent, failed });
}

async function fireMany(message: FireMany): Promise<void> {
  const result: FiredMany = { cmd: 'fired-many', actor: [], total: [], postedAt: [], acceptedAt: [], serverAt: [], submitMs: [], sent: 0, failed: 0, failures: [] };
  const fail = (why: string): void => {
    result.failed += 1;
    if (result.failures.length < 5) result.failures.push(why);
  };
  const draw = seededRandom(message.seed);
  const run = Date.now();
  result.sent = await paced(message.rate, message.seconds, (n) => {
    const actor = Math.floor(draw() * message.tokens.length);
    return click(message.url, message.tokens[actor] as string, `many-${n}-${run}`).then(
      (accepted) => {
        if (accepted.status !== 201 || accepted.score === undefined) {
          fail(`${accepted.status}${accepted.score === undefined ? ' without totals.global' : ''}`);
          return;
        }
        result.actor.push(actor);
        result.total.push(accepted.score);
        result.postedAt.push(accepted.posted);
        result.acceptedAt.push(accepted.received);
        result.serverAt.push(accepted.serverAt);
        result.submitMs.push(accepted.submitMs);
      },
      (error: unknown) => fail(error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
    );
  });
  process.send?.(result);
}

async function seed(message: Seed): Promise<void> {
  const jobs = message.counts.flatMap((count, player) => Array.from({ length: count }, () => player));
  const run = Date.now();
  let next = 0;
  let accepted = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const n = next++;
      const outcome = await click(message.url, message.tokens[jobs[n] as number] as string, `seed-${n}-${run}`).catch(() => undefined);
      if (outcome?.status === 201) accepted += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(message.concurrency, jobs.length) }, worker));
  process.send?.({ cmd: 'seeded', accepted, failed });
}

process.on('message', (message: Fire | FireMany | Seed) => {
  if (message.cmd === 'fire') void fire(message);
  else if (message.cmd === 'fire-many') void fireMany(message);
  else void seed(message);
});
process.send?.({ cmd: 'ready' });
