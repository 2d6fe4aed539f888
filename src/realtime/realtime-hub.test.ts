import { EventEmitter } from 'node:events';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { BoardEntry } from '../platform/events.js';
import { RealtimeHub } from './realtime-hub.js';
import { RealtimeMetrics } from './realtime-metrics.js';

/** A server-side socket whose send buffer the test controls. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  readonly sent: string[] = [];
  /** When each update frame was written (`performance.now()`). */
  readonly updateTimes: number[] = [];
  terminated = false;
  /** The TCP socket broadcasts write ready-made frames to: unwrap them to their text. */
  readonly _socket = {
    write: (frame: Buffer): void => {
      const length = (frame[1] as number) & 0x7f;
      this.sent.push(frame.subarray(length === 126 ? 4 : length === 127 ? 10 : 2).toString());
      this.updateTimes.push(performance.now());
    },
  };
  send(data: string | Buffer): void {
    this.sent.push(String(data));
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  close(): void {
    this.terminate();
  }
  pings = 0;
  ping(): void {
    this.pings += 1;
  }
  /** What the client sends. */
  receive(frame: object): void {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false);
  }
  updates(): number {
    return this.sent.filter((text) => text.includes('"type":"update"')).length;
  }
}

const entry = (n: number): BoardEntry => ({ rank: n, userId: `u${n}`, username: `user${n}`, score: 100 - n });

describe('RealtimeHub slow consumers', () => {
  it('skips a backed-up socket, drops it once it stays backed up, and keeps serving the others', async () => {
    const clock = { now: 1_000 };
    const registry = new Registry();
    const metrics = new RealtimeMetrics(registry);
    const hub = new RealtimeHub(['global'], {} as TokenVerifier, metrics, { warn: () => undefined }, {
      windowMs: 1,
      maxBufferedBytes: 1_000,
      slowConsumerGraceMs: 500,
      now: () => clock.now,
    });
    const slow = new FakeSocket();
    const healthy = new FakeSocket();
    for (const socket of [slow, healthy]) {
      hub.accept(socket as unknown as WebSocket);
      socket.receive({ op: 'subscribe', board: 'global', limit: 10 });
    }
    await new Promise((resolve) => setImmediate(resolve));

    const change = async (seq: number): Promise<void> => {
      hub.onBoardChanged({ type: 'board.changed', board: 'global', seq, top: [entry(1), entry(2)] });
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    slow.bufferedAmount = 5_000;
    await change(1);
    expect(healthy.updates()).toBe(1);
    expect(slow.updates()).toBe(0); // skipped, not queued behind
    expect(slow.terminated).toBe(false); // within its grace

    clock.now += 600;
    await change(2);
    expect(slow.terminated).toBe(true);
    expect(healthy.updates()).toBe(2);
    expect(await registry.getSingleMetricAsString('realtime_slow_consumers_dropped_total')).toMatch(/ 1$/m);
    await hub.close();
  });

  it('sends the same bytes to every subscriber of a (board, limit), built once per window', async () => {
    const hub = new RealtimeHub(['global'], {} as TokenVerifier, new RealtimeMetrics(new Registry()), { warn: () => undefined }, { windowMs: 1 });
    const sockets = Array.from({ length: 3 }, () => new FakeSocket());
    for (const socket of sockets) {
      hub.accept(socket as unknown as WebSocket);
      socket.receive({ op: 'subscribe', board: 'global', limit: 1 });
    }
    await new Promise((resolve) => setImmediate(resolve));
    for (let seq = 1; seq <= 5; seq += 1) hub.onBoardChanged({ type: 'board.changed', board: 'global', seq, top: [entry(seq)] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    const updates = sockets.map((socket) => socket.sent.filter((text) => text.includes('"update"')));
    expect(updates.map((list) => list.length)).toEqual([1, 1, 1]);
    expect(new Set(updates.flat()).size).toBe(1);
    expect(JSON.parse(updates[0]?.[0] ?? '{}')).toMatchObject({ seq: 5, entries: [{ userId: 'u5' }] });
    await hub.close();
  });

  it('writes a board update only to its current subscribers and counts what it wrote', async () => {
    const registry = new Registry();
    const hub = new RealtimeHub(['global', 'daily'], {} as TokenVerifier, new RealtimeMetrics(registry), { warn: () => undefined }, { windowMs: 1 });
    const [onGlobal, onDaily, leaving] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    for (const [socket, board] of [[onGlobal, 'global'], [onDaily, 'daily'], [leaving, 'global']] as const) {
      hub.accept(socket as unknown as WebSocket);
      socket.receive({ op: 'subscribe', board, limit: 10 });
    }
    await new Promise((resolve) => setImmediate(resolve));
    leaving.receive({ op: 'unsubscribe', board: 'global' });
    hub.onBoardChanged({ type: 'board.changed', board: 'global', seq: 1, top: [entry(1)] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect([onGlobal.updates(), onDaily.updates(), leaving.updates()]).toEqual([1, 0, 0]);
    // Three snapshots through ws, one update written to a TCP socket, in one pass of the sweep.
    expect(await registry.getSingleMetricAsString('realtime_messages_sent_total')).toMatch(/ 4$/m);
    expect(await registry.getSingleMetricAsString('realtime_sweep_pass_seconds')).toMatch(/^realtime_sweep_pass_seconds_count 1$/m);
    await hub.close();
  });

  it('under a steady stream of changes gives every connection at most one update per window, and the latest state in the end', async () => {
    const windowMs = 30;
    const hub = new RealtimeHub(['global'], {} as TokenVerifier, new RealtimeMetrics(new Registry()), { warn: () => undefined }, { windowMs });
    const sockets = Array.from({ length: 300 }, () => new FakeSocket());
    for (const socket of sockets) {
      hub.accept(socket as unknown as WebSocket);
      socket.receive({ op: 'subscribe', board: 'global', limit: 3 });
    }
    await new Promise((resolve) => setImmediate(resolve));
    let seq = 0;
    const until = performance.now() + 200;
    while (performance.now() < until) {
      seq += 1;
      hub.onBoardChanged({ type: 'board.changed', board: 'global', seq, top: [entry(seq % 50)] });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await new Promise((resolve) => setTimeout(resolve, windowMs * 3));
    for (const socket of sockets) {
      const gaps = socket.updateTimes.slice(1).map((at, i) => at - (socket.updateTimes[i] as number));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(windowMs - 1); // timers fire to the ms
      expect(socket.updates()).toBeLessThanOrEqual(Math.ceil(200 / windowMs) + 2);
      expect(JSON.parse(socket.sent.at(-1) ?? '{}')).toMatchObject({ type: 'update', seq });
    }
    await hub.close();
  });

  it('spreads heartbeat pings over the interval and terminates a connection that missed one', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] });
    try {
      const hub = new RealtimeHub(['global'], {} as TokenVerifier, new RealtimeMetrics(new Registry()), { warn: () => undefined }, { pingIntervalMs: 3_000 });
      const sockets = Array.from({ length: 30 }, () => new FakeSocket());
      for (const socket of sockets) hub.accept(socket as unknown as WebSocket);
      const pinged = (): number => sockets.filter((socket) => socket.pings > 0).length;

      vi.advanceTimersByTime(1_000);
      expect(pinged()).toBe(10); // a third of them per 1 s tick, not all at once
      vi.advanceTimersByTime(2_000);
      expect(pinged()).toBe(30);
      expect(sockets.every((socket) => socket.pings === 1)).toBe(true);

      // Everyone answers except the first socket; the next round of visits finds it silent.
      for (const socket of sockets.slice(1)) socket.emit('pong');
      vi.advanceTimersByTime(4_000);
      expect(sockets[0]?.terminated).toBe(true);
      expect(sockets.slice(1).some((socket) => socket.terminated)).toBe(false);
      await hub.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers a subscribe with the seeded top, even at seq 0 (a leaderboard rebuilt after a restart)', async () => {
    const hub = new RealtimeHub(['global'], {} as TokenVerifier, new RealtimeMetrics(new Registry()), { warn: () => undefined });
    hub.seed('global', 0, [entry(1), entry(2)]);
    const socket = new FakeSocket();
    hub.accept(socket as unknown as WebSocket);
    socket.receive({ op: 'subscribe', board: 'global', limit: 1 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(JSON.parse(socket.sent[0] ?? '{}')).toEqual({ type: 'snapshot', board: 'global', seq: 0, entries: [entry(1)] });
    await hub.close();
  });
});
