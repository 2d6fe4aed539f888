/**
 * The subscriber side of `bench/fanout.ts`, in its own process so clients and server do not
 * share an event loop. Told over IPC to connect N sockets to a URL, it subscribes them to
 * `global` top 10 and records, per socket, each update's top score and arrival time
 * (epoch ms); 'mark' restarts the message count; on 'report' it sends them back, with the
 * count and when it was read, and closes. The sockets are lean receive-only clients
 * (`lean-ws-subscriber.ts`), the same for the bare-broadcast ceiling and the system.
 */
import type { Socket } from 'node:net';
import { connectLeanSubscriber } from './lean-ws-subscriber.js';

interface Connect {
  cmd: 'connect';
  /** Socket i connects to `urls[i % urls.length]` (several realtime nodes share the subscribers). */
  urls: string[];
  count: number;
  /** Bare-broadcast baseline: count messages only. */
  countOnly: boolean;
}

const UPDATE_PREFIX = Buffer.from('{"type":"update"');
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

process.on('message', (message: Connect | { cmd: 'mark' } | { cmd: 'report' } | { cmd: 'exit' }) => {
  void (async () => {
    if (message.cmd === 'connect') {
      counted = 0;
      arrivals = new Arrivals();
      socketCount = message.count;
      const subscribe = message.countOnly ? undefined : JSON.stringify({ op: 'subscribe', board: 'global', limit: 10 });
      sockets = await Promise.all(
        Array.from({ length: message.count }, (_, i) =>
          connectLeanSubscriber(message.urls[i % message.urls.length] as string, subscribe, (data, start, end, at) => {
            counted += 1;
            if (message.countOnly) return;
            // No JSON.parse, not even a string: the clients must cost about what the
            // bare-broadcast clients cost, or they would take CPU from the server (and
            // delay their own timestamps) in a way the baseline did not have to share.
            if (end - start < UPDATE_PREFIX.length || data.compare(UPDATE_PREFIX, 0, UPDATE_PREFIX.length, start, start + UPDATE_PREFIX.length) !== 0) return;
            arrivals.push(i, firstScore(data, start, end), at);
          }),
        ),
      );
      process.send?.({ cmd: 'connected' });
    } else if (message.cmd === 'mark') {
      counted = 0;
      process.send?.({ cmd: 'marked', at: Date.now() });
    } else if (message.cmd === 'report') {
      process.send?.({ cmd: 'report', counted, countedAt: Date.now(), arrivals: arrivals.bySocket(socketCount) });
      for (const socket of sockets) socket.destroy();
      sockets = [];
    } else {
      process.exit(0);
    }
  })();
});
