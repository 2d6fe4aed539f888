import { describe, expect, it, vi } from 'vitest';
import { GroupCommitter } from './group-commit.js';
import type { ActionReceipt, ActionToRecord, Ledger, RecordOutcome } from './ledger.js';

/** A promise with its resolve exposed. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Records every `record` batch and accepts each action with a receipt naming its key. `failCalls`
 * lists the (0-based) calls that throw instead; `gate`, when set, holds each call until opened.
 */
class FakeLedger implements Pick<Ledger, 'findReceipt' | 'record'> {
  readonly batches: ActionToRecord[][] = [];
  failCalls = new Set<number>();
  gate: Promise<void> | undefined;
  private calledWaiters: { count: number; resolve: () => void }[] = [];

  async findReceipt(): Promise<ActionReceipt | undefined> {
    return undefined;
  }

  async record(actions: readonly ActionToRecord[]): Promise<RecordOutcome[]> {
    const call = this.batches.length;
    this.batches.push([...actions]);
    for (const waiter of this.calledWaiters.filter((w) => this.batches.length >= w.count)) waiter.resolve();
    if (this.gate) await this.gate;
    if (this.failCalls.has(call)) throw new Error(`disk full on call ${call}`);
    return actions.map((action) => acceptedOutcome(action));
  }

  /** Resolves once `record` has been called `count` times. */
  calledTimes(count: number): Promise<void> {
    if (this.batches.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.calledWaiters.push({ count, resolve }));
  }

  keysPerCall(): string[][] {
    return this.batches.map((batch) => batch.map((action) => action.idempotencyKey));
  }
}

function receiptFor(action: ActionToRecord): ActionReceipt {
  return {
    action: { id: `id-${action.idempotencyKey}`, type: action.type, points: action.points, values: action.values, at: new Date(action.at).toISOString() },
    totals: { global: action.points },
  };
}

function action(n: number): ActionToRecord {
  return { userId: `user-${n % 3}`, type: 'click', points: n + 1, values: { points: n + 1 }, at: 1_795_000_000_000 + n, idempotencyKey: `key-${n}-abcdef`, cooldownMs: 0 };
}

function acceptedOutcome(recorded: ActionToRecord): RecordOutcome {
  const event = { type: 'score.updated' as const, actionId: `id-${recorded.idempotencyKey}`, userId: recorded.userId, points: recorded.points, at: recorded.at, totals: [] };
  return { status: 'accepted', receipt: receiptFor(recorded), committed: { outboxId: recorded.at, event } };
}

function accepted(n: number): RecordOutcome {
  return acceptedOutcome(action(n));
}

const range = (count: number): number[] => Array.from({ length: count }, (_, i) => i);

/** One turn of the event loop: lets a pending `setImmediate` flush run. Not a timed wait. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitter', () => {
  it('commits every action recorded in one tick in ONE ledger call, each caller getting its own outcome', async () => {
    const ledger = new FakeLedger();
    const committer = new GroupCommitter(ledger);

    const pending = range(50).map((n) => committer.record(action(n)));
    expect(ledger.batches).toHaveLength(0);
    const outcomes = await Promise.all(pending);

    expect(ledger.batches).toHaveLength(1);
    expect(ledger.batches[0]).toEqual(range(50).map(action));
    expect(outcomes).toEqual(range(50).map(accepted));
  });

  it('hands each caller the outcome at its own index, whatever the outcome', async () => {
    const outcomesByKey: Record<string, RecordOutcome> = {
      'key-0-abcdef': { status: 'rejected', code: 'cooldown', retryAfterMs: 1500 },
      'key-1-abcdef': accepted(1),
      'key-2-abcdef': { status: 'replayed', receipt: receiptFor(action(99)) },
      'key-3-abcdef': { status: 'rejected', code: 'daily_cap' },
    };
    const record = vi.fn(async (actions: readonly ActionToRecord[]) => actions.map((a) => outcomesByKey[a.idempotencyKey] as RecordOutcome));
    const ledger: Pick<Ledger, 'findReceipt' | 'record'> = { findReceipt: async () => undefined, record };
    const committer = new GroupCommitter(ledger);

    const outcomes = await Promise.all(range(4).map((n) => committer.record(action(n))));

    expect(record).toHaveBeenCalledTimes(1);
    expect(outcomes).toEqual([
      outcomesByKey['key-0-abcdef'],
      outcomesByKey['key-1-abcdef'],
      outcomesByKey['key-2-abcdef'],
      outcomesByKey['key-3-abcdef'],
    ]);
  });

  it('makes a new batch for actions recorded after the previous one committed', async () => {
    const ledger = new FakeLedger();
    const committer = new GroupCommitter(ledger);

    await Promise.all([committer.record(action(0)), committer.record(action(1))]);
    expect(await committer.record(action(2))).toEqual(accepted(2));

    expect(ledger.keysPerCall()).toEqual([['key-0-abcdef', 'key-1-abcdef'], ['key-2-abcdef']]);
  });

  it('with { enabled: false } commits each action in its own ledger call', async () => {
    const ledger = new FakeLedger();
    const committer = new GroupCommitter(ledger, { enabled: false });

    const outcomes = await Promise.all(range(5).map((n) => committer.record(action(n))));

    expect(ledger.batches).toHaveLength(5);
    expect(ledger.batches).toEqual(range(5).map((n) => [action(n)]));
    expect(outcomes).toEqual(range(5).map(accepted));
  });

  it('splits a burst larger than maxBatch into several calls, in arrival order', async () => {
    const ledger = new FakeLedger();
    const committer = new GroupCommitter(ledger, { maxBatch: 3 });

    const outcomes = await Promise.all(range(8).map((n) => committer.record(action(n))));

    expect(ledger.batches.map((batch) => batch.length)).toEqual([3, 3, 2]);
    expect(ledger.batches.flat()).toEqual(range(8).map(action));
    expect(outcomes).toEqual(range(8).map(accepted));
  });

  it('commits batches one after another even when the ledger is slow', async () => {
    const ledger = new FakeLedger();
    const gate = deferred();
    ledger.gate = gate.promise;
    const committer = new GroupCommitter(ledger, { maxBatch: 2 });

    const pending = range(4).map((n) => committer.record(action(n)));
    await ledger.calledTimes(1);
    await nextTurn();
    await nextTurn();

    // The second batch waits for the first commit.
    expect(ledger.batches).toHaveLength(1);
    gate.resolve();
    expect(await Promise.all(pending)).toEqual(range(4).map(accepted));
    expect(ledger.keysPerCall()).toEqual([
      ['key-0-abcdef', 'key-1-abcdef'],
      ['key-2-abcdef', 'key-3-abcdef'],
    ]);
  });

  it('gathers everything that arrives during a slow commit, over many ticks, into the next batch', async () => {
    const ledger = new FakeLedger();
    const gate = deferred();
    ledger.gate = gate.promise;
    const committer = new GroupCommitter(ledger);

    const pending = [committer.record(action(0))];
    await ledger.calledTimes(1);
    // A network ledger takes milliseconds: requests keep arriving, one per event-loop turn.
    for (let n = 1; n <= 5; n += 1) {
      pending.push(committer.record(action(n)));
      await nextTurn();
    }
    expect(ledger.batches).toHaveLength(1);
    ledger.gate = undefined;
    gate.resolve();
    expect(await Promise.all(pending)).toEqual(range(6).map(accepted));
    expect(ledger.keysPerCall()).toEqual([['key-0-abcdef'], range(5).map((n) => `key-${n + 1}-abcdef`)]);
  });

  it('rejects every caller of a batch whose ledger call throws, and still commits a later batch', async () => {
    const ledger = new FakeLedger();
    ledger.failCalls.add(0);
    const onCommitted = vi.fn();
    const committer = new GroupCommitter(ledger, { onCommitted });

    const failed = await Promise.allSettled(range(3).map((n) => committer.record(action(n))));

    expect(ledger.batches).toHaveLength(1);
    expect(failed).toHaveLength(3);
    for (const result of failed) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toEqual(new Error('disk full on call 0'));
    }
    expect(onCommitted).not.toHaveBeenCalled();

    const later = await Promise.all([committer.record(action(3)), committer.record(action(4))]);
    expect(later).toEqual([accepted(3), accepted(4)]);
    expect(ledger.batches).toHaveLength(2);
    expect(onCommitted).toHaveBeenCalledTimes(1);
  });

  it('rejects only the failing batch when a burst spans several batches', async () => {
    const ledger = new FakeLedger();
    ledger.failCalls.add(1);
    const committer = new GroupCommitter(ledger, { maxBatch: 2 });

    const results = await Promise.allSettled(range(6).map((n) => committer.record(action(n))));

    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled', 'fulfilled']);
    expect((results[5] as PromiseFulfilledResult<RecordOutcome>).value).toEqual(accepted(5));
  });

  it('rejects the caller when the ledger throws with group commit disabled', async () => {
    const ledger = new FakeLedger();
    ledger.failCalls.add(0);
    const committer = new GroupCommitter(ledger, { enabled: false });

    await expect(committer.record(action(0))).rejects.toThrow('disk full on call 0');
    await expect(committer.record(action(1))).resolves.toEqual(accepted(1));
  });

  it('calls onCommitted with each batch’s outcomes', async () => {
    const ledger = new FakeLedger();
    const onCommitted = vi.fn<(outcomes: readonly RecordOutcome[]) => void>();
    const committer = new GroupCommitter(ledger, { maxBatch: 2, onCommitted });

    await Promise.all(range(5).map((n) => committer.record(action(n))));

    expect(onCommitted.mock.calls).toEqual([[[accepted(0), accepted(1)]], [[accepted(2), accepted(3)]], [[accepted(4)]]]);
  });

  it('calls onCommitted for every action when disabled', async () => {
    const ledger = new FakeLedger();
    const onCommitted = vi.fn<(outcomes: readonly RecordOutcome[]) => void>();
    const committer = new GroupCommitter(ledger, { enabled: false, onCommitted });

    await committer.record(action(0));
    await committer.record(action(1));

    expect(onCommitted.mock.calls).toEqual([[[accepted(0)]], [[accepted(1)]]]);
  });

  it('flush() commits what is queued and resolves only after the commit', async () => {
    const ledger = new FakeLedger();
    const gate = deferred();
    ledger.gate = gate.promise;
    const committer = new GroupCommitter(ledger);
    const settled: string[] = [];
    const pending = range(3).map((n) =>
      committer.record(action(n)).then((outcome) => {
        settled.push(n.toString());
        return outcome;
      }),
    );

    let flushed = false;
    const flushing = committer.flush().then(() => {
      flushed = true;
    });
    await ledger.calledTimes(1);
    expect(ledger.keysPerCall()).toEqual([['key-0-abcdef', 'key-1-abcdef', 'key-2-abcdef']]);
    expect(flushed).toBe(false);
    expect(settled).toEqual([]);

    gate.resolve();
    await flushing;
    expect(flushed).toBe(true);
    expect(settled).toEqual(['0', '1', '2']);
    expect(await Promise.all(pending)).toEqual(range(3).map(accepted));
    expect(ledger.batches).toHaveLength(1);
  });

  it('flush() commits every batch of a burst larger than maxBatch before resolving', async () => {
    const ledger = new FakeLedger();
    const committer = new GroupCommitter(ledger, { maxBatch: 2 });
    let done = 0;
    const pending = range(5).map((n) => committer.record(action(n)).then(() => (done += 1)));

    await committer.flush();

    expect(ledger.batches.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(done).toBe(5);
    await Promise.all(pending);
  });

  it('flush() with nothing queued resolves without calling the ledger', async () => {
    const ledger = new FakeLedger();
    const committer = new GroupCommitter(ledger);

    await committer.flush();

    expect(ledger.batches).toHaveLength(0);
  });

  // A drain that found the queue empty once left its settled promise in place, so every later
  // drain returned it and nothing was committed again: the server stopped answering actions.
  it('commits actions recorded after a drain that found nothing to do', async () => {
    const ledger = new FakeLedger();
    const committer = new GroupCommitter(ledger);

    await committer.flush();
    const outcome = await Promise.race([committer.record(action(1)), new Promise((resolve) => setTimeout(() => resolve('never committed'), 1000))]);

    expect(outcome).toMatchObject({ status: 'accepted' });
    expect(ledger.batches).toHaveLength(1);
  });

  it('flush() waits for a batch already in flight', async () => {
    const ledger = new FakeLedger();
    const gate = deferred();
    ledger.gate = gate.promise;
    const committer = new GroupCommitter(ledger);
    let settled = false;
    const pending = committer.record(action(0)).then((outcome) => {
      settled = true;
      return outcome;
    });
    await ledger.calledTimes(1);

    let flushed = false;
    const flushing = committer.flush().then(() => {
      flushed = true;
    });
    await nextTurn();
    expect(flushed).toBe(false);

    gate.resolve();
    await flushing;
    expect(settled).toBe(true);
    expect(await pending).toEqual(accepted(0));
  });
});

/**
 * Like the embedded ledger: commits a batch at once (it is in `batches` when `record` returns
 * its promise), then waits for that batch's disk flush, which the test finishes — or fails —
 * in any order it likes.
 */
class FlushingLedger implements Pick<Ledger, 'record'> {
  readonly batches: ActionToRecord[][] = [];
  readonly flushes: { finish: () => void; fail: (error: Error) => void }[] = [];

  async record(actions: readonly ActionToRecord[]): Promise<RecordOutcome[]> {
    this.batches.push([...actions]);
    await new Promise<void>((finish, fail) => this.flushes.push({ finish, fail }));
    return actions.map((recorded) => acceptedOutcome(recorded));
  }
}

describe('GroupCommitter, pipelined', () => {
  it('commits the next batch while the previous one waits for the disk, and answers in commit order', async () => {
    const ledger = new FlushingLedger();
    const committed: string[][] = [];
    const committer = new GroupCommitter(ledger, { pipelined: true, onCommitted: (outcomes) => committed.push(outcomes.map(keyOf)) });
    const answered: number[] = [];
    const first = [0, 1].map((n) => committer.record(action(n)).then(() => answered.push(n)));
    await nextTurn();
    const second = [2].map((n) => committer.record(action(n)).then(() => answered.push(n)));
    await nextTurn();
    expect(ledger.batches.map((batch) => batch.map((a) => a.idempotencyKey))).toEqual([
      ['key-0-abcdef', 'key-1-abcdef'],
      ['key-2-abcdef'],
    ]);

    ledger.flushes[1]?.finish(); // the later flush finishes first
    await nextTurn();
    expect(answered).toEqual([]);
    ledger.flushes[0]?.finish();
    await Promise.all([...first, ...second]);
    expect(answered).toEqual([0, 1, 2]);
    expect(committed).toEqual([['key-0-abcdef', 'key-1-abcdef'], ['key-2-abcdef']]);
  });

  it('rejects only the batch whose flush failed; the batches after it are still answered', async () => {
    const ledger = new FlushingLedger();
    const committed: string[][] = [];
    const committer = new GroupCommitter(ledger, { pipelined: true, onCommitted: (outcomes) => committed.push(outcomes.map(keyOf)) });
    const failing = committer.record(action(0));
    await nextTurn();
    const later = committer.record(action(1));
    await nextTurn();

    ledger.flushes[0]?.fail(new Error('EIO'));
    ledger.flushes[1]?.finish();
    await expect(failing).rejects.toThrow('EIO');
    expect(await later).toEqual(accepted(1));
    expect(committed).toEqual([['key-1-abcdef']]);
  });

  it('flush() resolves only once every batch in flight is answered', async () => {
    const ledger = new FlushingLedger();
    const committer = new GroupCommitter(ledger, { pipelined: true });
    let answered = false;
    void committer.record(action(0)).then(() => (answered = true));
    let flushed = false;
    const flushing = committer.flush().then(() => (flushed = true));
    await nextTurn();
    expect(ledger.batches).toHaveLength(1);
    expect(flushed).toBe(false);

    ledger.flushes[0]?.finish();
    await flushing;
    expect(answered).toBe(true);
  });
});

function keyOf(outcome: RecordOutcome): string {
  return outcome.status === 'accepted' ? outcome.committed.event.actionId.replace(/^id-/, '') : outcome.status;
}
