/**
 * The subscriber side of `bench/fanout.ts` and `bench/realtime.ts`, in its own process so
 * clients and server do not share an event loop. Told over IPC to connect N sockets to a URL
 * with a plan, it subscribes them and records what arrives:
 *
 * - `top10` (the fan-out bench): `global` top 10; per socket, each update's top score and
 *   arrival time (epoch ms).
 * - `top`: top `limit` of a board, every other socket with `"delta": true` (odd socket
 *   numbers); sockets 0 (whole updates) and 1 (deltas) also keep the list they were sent,
 *   applied as a browser would, so the parent can check both against the REST board.
 * - `around`: socket i authenticates with `tokens[i]` and, once answered, subscribes
 *   around-me; per socket, each window's `me.score` and arrival time.
 *
 * Every plan counts each socket's messages and payload bytes since the last 'mark';
 * 'tally' reads them without stopping anything; on 'report' it sends the arrivals back, with
 * the count and when it was read, and closes. The sockets are lean receive-only clients
 * (`lean-ws-subscriber.ts`), the same for the bare-broadcast ceiling and the system.
 */
import type { Socket } from 'node:net';
import type { BoardEntry } from '../src/realtime/protocol.js';
import { connectLeanSubscriber, sendText } from './lean-ws-subscriber.js';

/** What the sockets subscribe to (see the file's comment). */
export type SubscriberPlan =
  | { kind: 'top10' }
  | { kind: 'top'; board: string; limit: number }
  | { kind: 'around'; board: string; radius: number; tokens: string[] };

export interface Connect {
  cmd: 'connect';
  /** Socket i connects to `urls[i % urls.length]` (several realtime nodes share the subscribers). */
  urls: string[];
  count: number;
  /** Bare-broadcast baseline: count messages only. */
  countOnly: boolean;
  /** @default { kind: 'top10' } */
  plan?: SubscriberPlan;
}

/** 'connected': with a `top` or `around` plan, once every socket had its first snapshot or window (or 60 s passed). */
export interface Connected {
  cmd: 'connected';
  /** Sockets still without their first snapshot or window. */
  waiting: number;
  /** `error` messages the server sent, and the first few of them. */
  errors: number;
  errorSamples: string[];
}

export interface Tally {
  cmd: 'tally';
  /** When it was read (epoch ms). */
  at: number;
  /** Per socket since the last 'mark': payload bytes (text frames, headers not counted) and messages. */
  bytes: number[];
  messages: number[];
}

/** A list as a subscribed page keeps it: what socket 0 (`update`s) and socket 1 (`delta`s) of a `top` plan were sent. */
export interface KeptList {
  delta: boolean;
  seq: number;
  entries: BoardEntry[];
}

export interface Report {
  cmd: 'report';
  counted: number;
  countedAt: number;
  /** Per socket, `[score, arrival]` of each `update` (top10) or `window` (around). */
  arrivals: [number, number][][];
  lists: KeptList[];
  errors: number;
  errorSamples: string[];
}

const UPDATE_PREFIX = Buffer.from('{"type":"update"');
const WINDOW_PREFIX = Buffer.from('{"type":"window"');
const ERROR_PREFIX = Buffer.from('{"type":"error"');
const AUTHENTICATED_PREFIX = Buffer.from('{"type":"authenticated"');

/** True when `data[start, end)` starts with `prefix`. */
function startsWith(data: Buffer, start: number, end: number, prefix: Buffer): boolean {
  return end - start >= prefix.length && data.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
}
const SCORE_KEY = Buffer.from('"score":');

/** The first `"score":` number in `data[start, end)`, read from the bytes. */
function firstScore(data: Buffer, start: number, end: number): number {
  const at = data.indexOf(SCORE_KEY, start);
  if (at < 0 || at >= end) return 0;
  let score = 0;
  for (let i = at + SCORE_KEY.length; i < end; i += 1) {
    const digit = (data[i] as number) - 48;
    if (digit < 0 || digit > 9) break;
    score = score * 10 + digit;
  }
  return score;
}

/**
 * Every update's arrival, in flat typed arrays rather than a tuple per message: a 10 s run at
 * 5,000 subscribers records ≈ 650,000 of them, and that many small arrays kept the garbage
 * collector busy in the very process whose timestamps are measured.
 */
class Arrivals {
  private length = 0;
  private sockets = new Int32Array(1 << 16);
  private scores = new Float64Array(1 << 16);
  private times = new Float64Array(1 << 16);

  push(socket: number, score: number, at: number): void {
    if (this.length === this.sockets.length) this.grow();
    this.sockets[this.length] = socket;
    this.scores[this.length] = score;
    this.times[this.length] = at;
    this.length += 1;
  }

  /** Per socket, its `[score, arrival]` pairs in arrival order. */
  bySocket(count: number): [number, number][][] {
    const result = Array.from({ length: count }, (): [number, number][] => []);
    for (let i = 0; i < this.length; i += 1) result[this.sockets[i] as number]?.push([this.scores[i] as number, this.times[i] as number]);
    return result;
  }

  private grow(): void {
    const grown = <T extends Int32Array | Float64Array>(from: T, make: (n: number) => T): T => {
      const to = make(from.length * 2);
      to.set(from);
      return to;
    };
    this.sockets = grown(this.sockets, (n) => new Int32Array(n));
    this.scores = grown(this.scores, (n) => new Float64Array(n));
    this.times = grown(this.times, (n) => new Float64Array(n));
  }
}

let sockets: Socket[] = [];
let arrivals = new Arrivals();
let socketCount = 0;
let counted = 0;
let bytes = new Float64Array(0);
let messages = new Float64Array(0);
let lists: KeptList[] = [];
let errors = 0;
let errorSamples: string[] = [];

/** What a top-N subscriber sends first. */
const topSubscribe = (board: string, limit: number, delta: boolean): string => JSON.stringify({ op: 'subscribe', board, limit, ...(delta && { delta: true }) });

/** A kept list after one message: a snapshot or update replaces it; a delta is truncated to `size`, then each change goes at its rank. */
function keep(list: KeptList, text: string): void {
  const message = JSON.parse(text) as { type: string; seq?: number; entries?: BoardEntry[]; size?: number; changes?: BoardEntry[] };
  if (message.type === 'snapshot' || message.type === 'update') list.entries = message.entries ?? [];
  else if (message.type === 'delta') {
    list.entries = list.entries.slice(0, message.size);
    for (const change of message.changes ?? []) list.entries[change.rank - 1] = change;
  } else return;
  list.seq = message.seq ?? list.seq;
}

async function connect(message: Connect): Promise<Connected> {
  counted = 0;
  arrivals = new Arrivals();
  socketCount = message.count;
  bytes = new Float64Array(message.count);
  messages = new Float64Array(message.count);
  errors = 0;
  errorSamples = [];
  const plan = message.plan ?? { kind: 'top10' };
  lists = plan.kind === 'top' ? [false, true].slice(0, message.count).map((delta) => ({ delta, seq: -1, entries: [] })) : [];
  /** Sockets that had their first snapshot or window. */
  const started = new Uint8Array(message.count);
  let waiting = plan.kind === 'top10' ? 0 : message.count;
  let allStarted: () => void = () => undefined;
  const everyoneStarted = new Promise<void>((resolve) => (allStarted = resolve));
  const first = (i: number): void => {
    if (started[i] === 1) return;
    started[i] = 1;
    waiting -= 1;
    if (waiting === 0) allStarted();
  };
  const firstMessage = (i: number): string | undefined => {
    if (message.countOnly) return undefined;
    if (plan.kind === 'top10') return topSubscribe('global', 10, false);
    if (plan.kind === 'top') return topSubscribe(plan.board, plan.limit, i % 2 === 1);
    return JSON.stringify({ op: 'auth', token: plan.tokens[i] });
  };
  sockets = await Promise.all(
    Array.from({ length: message.count }, (_, i) =>
      connectLeanSubscriber(message.urls[i % message.urls.length] as string, firstMessage(i), (data, start, end, at, socket) => {
        counted += 1;
        messages[i] = (messages[i] as number) + 1;
        bytes[i] = (bytes[i] as number) + (end - start);
        if (message.countOnly) return;
        // No JSON.parse, not even a string, but on the few sockets that keep a list: the
        // clients must cost about what the bare-broadcast clients cost, or they would take
        // CPU from the server (and delay their own timestamps) in a way the baseline did not
        // have to share.
        if (startsWith(data, start, end, ERROR_PREFIX)) {
          errors += 1;
          if (errorSamples.length < 5) errorSamples.push(data.toString('utf8', start, end));
          return;
        }
        if (plan.kind === 'top10') {
          if (startsWith(data, start, end, UPDATE_PREFIX)) arrivals.push(i, firstScore(data, start, end), at);
        } else if (plan.kind === 'top') {
          const list = lists[i];
          if (list) keep(list, data.toString('utf8', start, end));
          first(i);
        } else if (startsWith(data, start, end, WINDOW_PREFIX)) {
          // `me` comes before `entries`: the first score is the player's own (none while unranked).
          arrivals.push(i, firstScore(data, start, end), at);
          first(i);
        } else if (startsWith(data, start, end, AUTHENTICATED_PREFIX)) {
          sendText(socket, JSON.stringify({ op: 'subscribe', board: plan.board, around: 'me', radius: plan.radius }));
        }
      }),
    ),
  );
  if (waiting > 0) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([everyoneStarted, new Promise((resolve) => (timer = setTimeout(resolve, 60_000)))]);
    clearTimeout(timer);
  }
  return { cmd: 'connected', waiting, errors, errorSamples };
}

process.on('message', (message: Connect | { cmd: 'mark' } | { cmd: 'tally' } | { cmd: 'report' } | { cmd: 'exit' }) => {
  void (async () => {
    if (message.cmd === 'connect') {
      process.send?.(await connect(message));
    } else if (message.cmd === 'mark') {
      counted = 0;
      bytes.fill(0);
      messages.fill(0);
      process.send?.({ cmd: 'marked', at: Date.now() });
    } else if (message.cmd === 'tally') {
      process.send?.({ cmd: 'tally', at: Date.now(), bytes: [...bytes], messages: [...messages] } satisfies Tally);
    } else if (message.cmd === 'report') {
      process.send?.({ cmd: 'report', counted, countedAt: Date.now(), arrivals: arrivals.bySocket(socketCount), lists, errors, errorSamples } satisfies Report);
      for (const socket of sockets) socket.destroy();
      sockets = [];
    } else {
      process.exit(0);
    }
  })();
});
