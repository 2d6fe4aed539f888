import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { TokenVerifier } from '../auth/token-verifier.js';
import type { BoardEntry } from '../platform/events.js';
import { RealtimeHub } from './realtime-hub.js';
import { RealtimeMetrics } from './realtime-metrics.js';
import { FakeSocket } from '../../test/support/fake-socket.js';

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

describe('RealtimeHub delta subscriptions', () => {
  const top = (...scores: number[]): BoardEntry[] => scores.map((score, i) => ({ rank: i + 1, userId: `u${score}`, username: `user${score}`, score }));
  async function hubWith() {
    const hub = new RealtimeHub(['global'], {} as TokenVerifier, new RealtimeMetrics(new Registry()), { warn: () => undefined }, { windowMs: 1 });
    const connect = async (subscribe: object): Promise<FakeSocket> => {
      const socket = new FakeSocket();
      hub.accept(socket as unknown as WebSocket);
      socket.receive({ op: 'subscribe', board: 'global', ...subscribe });
      await new Promise((resolve) => setImmediate(resolve));
      return socket;
    };
    const change = async (seq: number, entries: BoardEntry[]): Promise<void> => {
      hub.onBoardChanged({ type: 'board.changed', board: 'global', seq, top: entries });
      await new Promise((resolve) => setTimeout(resolve, 5));
    };
    return { hub, connect, change };
  }

  it('sends a snapshot, then deltas chained by from/seq, the same bytes to every subscriber at the same point', async () => {
    const { hub, connect, change } = await hubWith();
    hub.seed('global', 1, top(50, 40, 30));
    const [a, b] = [await connect({ limit: 3, delta: true }), await connect({ limit: 3, delta: true })];
    const plain = await connect({ limit: 3 });
    await change(2, top(50, 45, 40, 30));
    expect(a.messages()).toEqual([
      { type: 'snapshot', board: 'global', seq: 1, entries: top(50, 40, 30) },
      { type: 'delta', board: 'global', seq: 2, from: 1, size: 3, changes: top(50, 45, 40).slice(1) },
    ]);
    expect(b.sent).toEqual(a.sent);
    expect(plain.messages().at(-1)).toEqual({ type: 'update', board: 'global', seq: 2, entries: top(50, 45, 40) });
    // A ban that shrinks the list: the new size, nothing else to change.
    await change(3, top(50, 45));
    expect(a.messages().at(-1)).toEqual({ type: 'delta', board: 'global', seq: 3, from: 2, size: 2, changes: [] });
    hub.onBoardChanged({ type: 'board.changed', board: 'global', seq: 4, top: [] });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(a.messages().at(-1)).toEqual({ type: 'delta', board: 'global', seq: 4, from: 3, size: 0, changes: [] });
  });

  it('sends a snapshot when the chain cannot go on: a subscriber held back past the tops the node keeps', async () => {
    const { hub, connect, change } = await hubWith();
    hub.seed('global', 1, top(10));
    const slow = await connect({ limit: 1, delta: true });
    slow.bufferedAmount = 10 * 1024 * 1024; // skipped while backed up
    for (let seq = 2; seq <= 70; seq += 1) hub.onBoardChanged({ type: 'board.changed', board: 'global', seq, top: top(seq * 10) });
    await change(71, top(710));
    slow.bufferedAmount = 0;
    await change(72, top(720));
    expect(slow.messages().map((message) => message.type)).toEqual(['snapshot', 'snapshot']);
    expect(slow.messages().at(-1)).toMatchObject({ seq: 72, entries: top(720) });
  });

  it('resumes from `since`: a delta from a seq it holds (none when nothing was missed), a snapshot from one it does not or one ahead of it', async () => {
    const { hub, connect, change } = await hubWith();
    hub.seed('global', 5, top(10, 9));
    await change(6, top(11, 10, 9));
    expect((await connect({ limit: 5, delta: true, since: 6 })).messages()).toEqual([{ type: 'delta', board: 'global', seq: 6, from: 6, size: 3, changes: [] }]);
    expect((await connect({ limit: 5, delta: true, since: 5 })).messages()).toEqual([{ type: 'delta', board: 'global', seq: 6, from: 5, size: 3, changes: top(11, 10, 9) }]);
    for (const since of [4, 7, 1_000_000]) {
      expect((await connect({ limit: 5, delta: true, since })).messages()).toEqual([{ type: 'snapshot', board: 'global', seq: 6, entries: top(11, 10, 9) }]);
    }
  });

  it('answers bad delta and around-me subscriptions with an error, the connection staying open', async () => {
    const { connect } = await hubWith();
    for (const subscribe of [
      { limit: 5, since: 3 },
      { limit: 5, delta: true, since: 1.5 },
      { limit: 5, delta: true, since: -1 },
      { limit: 5, delta: true, since: '3' },
      { limit: 5, delta: 'yes' },
      { around: 'me', delta: true },
      { around: 'me', radius: 26 },
      { around: 'me', radius: -1 },
      { around: 'you' },
      { limit: 5, radius: 3 },
    ]) {
      const socket = await connect(subscribe);
      expect(socket.messages(), JSON.stringify(subscribe)).toEqual([{ type: 'error', code: 'invalid_request', message: expect.any(String) as string }]);
      expect(socket.terminated).toBe(false);
    }
  });
});
