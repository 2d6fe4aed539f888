import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventBus } from '../platform/event-bus.js';
import type { BusEvent, ScoreUpdated } from '../platform/events.js';
import type { CommittedEvent, Outbox } from './ledger.js';
import { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';

/** A promise with its resolve exposed. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The event of outbox row `id`: its action id names the row, so the bus's log can be read as ids. */
function eventFor(id: number): ScoreUpdated {
  return { type: 'score.updated', actionId: `action-${id}`, userId: 'user-1', points: 10, at: 1_700_000_000_000 + id, totals: [] };
}

function idOf(event: BusEvent): number {
  if (event.type !== 'score.updated') throw new Error(`unexpected event ${event.type}`);
  return Number(event.actionId.replace('action-', ''));
}

/** The outbox table in memory: rows in commit order, ids growing from 1. */
class FakeOutbox implements Outbox {
  rows: CommittedEvent[] = [];
  readonly pendingCalls: number[] = [];
  readonly acknowledged: number[] = [];
  private nextId = 1;
  private emptyReadWaiters: (() => void)[] = [];

  /** Writes `count` events as one commit would, and returns them as the ledger hands them over. */
  commit(count: number): CommittedEvent[] {
    const committed: CommittedEvent[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.nextId++;
      committed.push({ outboxId: id, event: eventFor(id) });
    }
    this.rows.push(...committed);
    return committed;
  }

  ids(): number[] {
    return this.rows.map((row) => row.outboxId);
  }

  async pending(limit: number): Promise<CommittedEvent[]> {
    this.pendingCalls.push(limit);
    const rows = this.rows.slice(0, limit);
    if (rows.length === 0) for (const resolve of this.emptyReadWaiters.splice(0)) resolve();
    return rows;
  }

  /** Resolves on the next read that finds the table empty: the end of a drain. */
  nextEmptyRead(): Promise<void> {
    return new Promise((resolve) => this.emptyReadWaiters.push(resolve));
  }

  async acknowledge(upToId: number): Promise<void> {
    this.acknowledged.push(upToId);
    this.rows = this.rows.filter((row) => row.outboxId > upToId);
  }
}

/** Records every accepted event in order; the publishes (1-based) named in `failOn` throw instead. */
class FakeBus implements EventBus {
  readonly published: BusEvent[] = [];
  readonly failOn = new Set<number>();
  attempts = 0;
  /** When set, each publish waits for it before accepting its event. */
  gate: Promise<void> | undefined;
  private waiters: { count: number; resolve: () => void }[] = [];

  async publishAll(events: readonly BusEvent[]): Promise<void> {
    for (const event of events) await this.publish(event);
  }

  async publish(event: BusEvent): Promise<void> {
    const attempt = ++this.attempts;
    if (this.gate) await this.gate;
    if (this.failOn.has(attempt)) throw new Error(`bus unavailable on publish ${attempt}`);
    this.published.push(event);
    for (const waiter of this.waiters.filter((w) => this.published.length >= w.count)) waiter.resolve();
  }

  subscribe(): () => void {
    return () => undefined;
  }

  async close(): Promise<void> {}

  ids(): number[] {
    return this.published.map(idOf);
  }

  /** Resolves once `count` events have been accepted. */
  publishedCount(count: number): Promise<void> {
    if (this.published.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }
}

/** Ids in the order of their first delivery. */
function firstDeliveries(ids: readonly number[]): number[] {
  return [...new Set(ids)];
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('OutboxRelay', () => {
  let relay: OutboxRelay | undefined;
  let outbox: FakeOutbox;
  let bus: FakeBus;
  let logger: { error: ReturnType<typeof vi.fn> };
  /** Resolves on the relay's next error log: how a test learns that a failed step is over. */
  let nextError: Promise<void>;

  /** A relay whose timer never fires during a test unless `intervalMs` says otherwise. */
  function start(options: OutboxRelayOptions = {}): OutboxRelay {
    relay = new OutboxRelay(outbox, bus, logger, { intervalMs: 60_000, ...options });
    return relay;
  }

  beforeEach(() => {
    outbox = new FakeOutbox();
    bus = new FakeBus();
    let errorLogged = deferred();
    nextError = errorLogged.promise;
    logger = {
      error: vi.fn(() => {
        errorLogged.resolve();
        errorLogged = deferred();
        nextError = errorLogged.promise;
      }),
    };
  });

  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
  });

  describe('the backlog at construction', () => {
    it('drain() publishes the events already in the table, in order, and empties the table', async () => {
      outbox.commit(5);
      const r = start({ batchSize: 2 });

      await r.drain();

      expect(bus.ids()).toEqual([1, 2, 3, 4, 5]);
      expect(outbox.rows).toEqual([]);
      // One DELETE per batch read, each up to the batch's last id.
      expect(outbox.acknowledged).toEqual([2, 4, 5]);
      expect(outbox.pendingCalls.every((limit) => limit === 2)).toBe(true);
      expect(logger.error).not.toHaveBeenCalled();
    });

    it('the interval tick drains the backlog even if nobody calls drain()', async () => {
      outbox.commit(3);
      start({ intervalMs: 10 });

      await vi.waitFor(() => expect(outbox.rows).toEqual([]), { timeout: 2_000 });

      expect(bus.ids()).toEqual([1, 2, 3]);
    });

    it('an empty table is drained without acknowledging anything', async () => {
      const r = start();

      await r.drain();

      expect(outbox.pendingCalls).toHaveLength(1);
      expect(outbox.acknowledged).toEqual([]);
      expect(bus.published).toEqual([]);
    });
  });

  describe('hand-over of committed events', () => {
    it('publishes them in order without reading the table, and does not delete them at once', async () => {
      const r = start();
      await r.drain();
      const readsAfterDrain = outbox.pendingCalls.length;

      r.publishCommitted(outbox.commit(3));
      await bus.publishedCount(3);

      expect(bus.ids()).toEqual([1, 2, 3]);
      expect(outbox.pendingCalls).toHaveLength(readsAfterDrain);
      expect(outbox.ids()).toEqual([1, 2, 3]);
      expect(outbox.acknowledged).toEqual([]);

      await r.stop();

      // stop() deletes what was published, in one range, still without reading the table.
      expect(outbox.acknowledged).toEqual([3]);
      expect(outbox.rows).toEqual([]);
      expect(outbox.pendingCalls).toHaveLength(readsAfterDrain);
      expect(bus.ids()).toEqual([1, 2, 3]);
    });

    it('the interval tick deletes everything published since the last tick with one acknowledge of the last id', async () => {
      const r = start({ intervalMs: 10 });
      await r.drain();
      const readsAfterDrain = outbox.pendingCalls.length;

      // Both hand-overs complete in microtasks, before any timer can fire.
      r.publishCommitted(outbox.commit(2));
      r.publishCommitted(outbox.commit(1));

      await vi.waitFor(() => expect(outbox.rows).toEqual([]), { timeout: 2_000 });

      expect(outbox.acknowledged).toEqual([3]);
      expect(bus.ids()).toEqual([1, 2, 3]);
      // The ticks found no backlog: they never read the table.
      expect(outbox.pendingCalls).toHaveLength(readsAfterDrain);
    });

    it('ignores an empty hand-over', async () => {
      const r = start();
      await r.drain();

      r.publishCommitted([]);
      await r.stop();

      expect(bus.published).toEqual([]);
      expect(outbox.acknowledged).toEqual([]);
    });

    it('stop() waits for a hand-over still being published, then acknowledges it', async () => {
      const r = start();
      await r.drain();
      const gate = deferred();
      bus.gate = gate.promise;

      r.publishCommitted(outbox.commit(2));
      let stopped = false;
      const stopping = r.stop().then(() => {
        stopped = true;
      });
      // Let every pending microtask run: the publish is still held at the gate.
      await new Promise<void>((resolve) => setImmediate(resolve));
      expect(stopped).toBe(false);
      expect(outbox.acknowledged).toEqual([]);

      gate.resolve();
      await stopping;

      expect(bus.ids()).toEqual([1, 2]);
      expect(outbox.acknowledged).toEqual([2]);
      expect(outbox.rows).toEqual([]);
    });
  });

  describe('ordering', () => {
    it('publishes the rows of the backlog before events handed over while it exists, each once', async () => {
      outbox.commit(3);
      const r = start({ batchSize: 2 });

      // Committed after the crash's leftovers: the relay must not publish them first.
      const drained = outbox.nextEmptyRead();
      r.publishCommitted(outbox.commit(2));
      await drained;

      expect(bus.ids()).toEqual([1, 2, 3, 4, 5]);
      expect(outbox.pendingCalls.length).toBeGreaterThan(0);

      // The backlog is gone: the next commit goes the in-memory way, after everything before it.
      const readsAfterBacklog = outbox.pendingCalls.length;
      r.publishCommitted(outbox.commit(1));
      await r.stop();

      expect(bus.ids()).toEqual([1, 2, 3, 4, 5, 6]);
      expect(outbox.pendingCalls).toHaveLength(readsAfterBacklog);
      expect(outbox.rows).toEqual([]);
    });

    it('hand-overs queued behind a backlog deliver every event, first deliveries in commit order', async () => {
      outbox.commit(3);
      const r = start();

      // What the score service does at start-up: drain, while commits keep arriving.
      const draining = r.drain();
      r.publishCommitted(outbox.commit(1));
      r.publishCommitted(outbox.commit(1));
      r.publishCommitted(outbox.commit(1));
      await draining;
      await r.stop();

      // Nothing lost, nothing twice: the drain already published what the queued hand-overs carry.
      expect(bus.ids()).toEqual(range(1, 6));
      expect(outbox.rows).toEqual([]);
    });

    it('does not publish a hand-over again when a drain started first already did', async () => {
      outbox.commit(3);
      const r = start();
      const draining = r.drain();
      r.publishCommitted(outbox.commit(1));
      await draining;
      await r.stop();
      expect(bus.ids()).toEqual([1, 2, 3, 4]);
    });
  });

  describe('a failed publish', () => {
    it('leaves a backlog: the next hand-over drains the table, so no event is lost', async () => {
      const r = start();
      await r.drain();
      const readsAfterDrain = outbox.pendingCalls.length;
      bus.failOn.add(2);

      const drained = outbox.nextEmptyRead();
      r.publishCommitted(outbox.commit(3)); // event 2 fails to publish
      r.publishCommitted(outbox.commit(1)); // finds the backlog: drains 1..4
      await drained;

      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(outbox.pendingCalls.length).toBeGreaterThan(readsAfterDrain);
      const ids = bus.ids();
      for (const id of range(1, 4)) expect(ids).toContain(id);
      expect(firstDeliveries(ids)).toEqual(range(1, 4));
      expect(outbox.rows).toEqual([]);

      // Recovered: the next commit is handed over in memory again.
      const readsAfterRecovery = outbox.pendingCalls.length;
      r.publishCommitted(outbox.commit(1));
      await r.stop();

      const all = bus.ids();
      expect(firstDeliveries(all)).toEqual(range(1, 5));
      expect(all.filter((id) => id === 5)).toHaveLength(1);
      expect(outbox.pendingCalls).toHaveLength(readsAfterRecovery);
      expect(outbox.rows).toEqual([]);
    });

    it('is recovered by the interval tick when no further commit arrives', async () => {
      const r = start({ intervalMs: 10 });
      await r.drain();
      bus.failOn.add(1);

      r.publishCommitted(outbox.commit(2));

      await vi.waitFor(() => expect(outbox.rows).toEqual([]), { timeout: 2_000 });
      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(bus.ids()).toEqual([1, 2]);
    });

    it('during a drain keeps what was not published: a later drain delivers the rest in order', async () => {
      outbox.commit(5);
      const r = start({ batchSize: 2 });
      bus.failOn.add(3); // event 3, in the second batch

      await r.drain();

      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(bus.ids()).toEqual([1, 2]);
      // The first batch was deleted; the failed one and everything after it stays.
      expect(outbox.ids()).toEqual([3, 4, 5]);

      r.publishCommitted(outbox.commit(1));
      await r.stop();

      const ids = bus.ids();
      expect(firstDeliveries(ids)).toEqual(range(1, 6));
      expect(outbox.rows).toEqual([]);
    });

    it('acknowledges nothing past the failed event before it has been published', async () => {
      const r = start();
      await r.drain();
      r.publishCommitted(outbox.commit(2));
      await bus.publishedCount(2);
      bus.failOn.add(4); // the second event of the next commit

      const failed = nextError;
      r.publishCommitted(outbox.commit(3));
      // The relay logs the failure once the step is over; no other step runs meanwhile.
      await failed;
      expect(logger.error).toHaveBeenCalledTimes(1);

      // Only rows up to the last fully published commit may go.
      expect(outbox.acknowledged.every((id) => id <= 2)).toBe(true);
      expect(outbox.ids()).toEqual(expect.arrayContaining([3, 4, 5]));

      bus.failOn.clear();
      await r.stop();
      expect(firstDeliveries(bus.ids())).toEqual(range(1, 5));
      expect(outbox.rows).toEqual([]);
    });
  });

  describe('stop()', () => {
    it('drains a backlog and acknowledges what it published', async () => {
      outbox.commit(4);
      const r = start({ batchSize: 3 });

      await r.stop();

      expect(bus.ids()).toEqual([1, 2, 3, 4]);
      expect(outbox.rows).toEqual([]);
      expect(outbox.acknowledged.at(-1)).toBe(4);
    });

    it('can be called twice', async () => {
      const r = start();
      await r.drain();
      r.publishCommitted(outbox.commit(1));

      await r.stop();
      await r.stop();

      expect(bus.ids()).toEqual([1]);
      expect(outbox.acknowledged).toEqual([1]);
      expect(outbox.rows).toEqual([]);
    });
  });
});
