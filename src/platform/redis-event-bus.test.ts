import { describe, expect, it, onTestFinished } from 'vitest';
import { REDIS_URL, redisAvailable, redisTestNamespace } from '../../test/infrastructure.js';
import { privateRedis, redisServerAvailable } from '../../test/faults/private-servers.js';
import { eventually, freePort } from '../../test/process.js';
import type { BoardChanged, ScoreUpdated } from './events.js';
import { RedisEventBus, type RedisEventBusOptions } from './redis-event-bus.js';

const quiet = { error: () => {}, warn: () => {} };
/** A logger keeping the messages of its errors in `errors`, and of its warnings in `warnings`. */
const recording = (errors: string[], warnings: string[] = []) => ({
  error: (...args: unknown[]) => void errors.push(String(args[1])),
  warn: (...args: unknown[]) => void warnings.push(String(args[1])),
});
const { redis, keys } = redisAvailable ? redisTestNamespace() : ({} as ReturnType<typeof redisTestNamespace>);

function bus(options: Partial<RedisEventBusOptions> = {}): RedisEventBus {
  const created = new RedisEventBus(REDIS_URL, { keys, logger: quiet, ...options });
  onTestFinished(() => created.close());
  return created;
}

let actions = 0;
function scoreUpdated(userId = 'u1'): ScoreUpdated {
  actions += 1;
  return { type: 'score.updated', actionId: String(actions), userId, points: 1, at: Date.now(), totals: [] };
}

describe.skipIf(!redisAvailable)('RedisEventBus', () => {
  it('delivers score.updated over a stream to one consumer of the group, and acknowledges it', async () => {
    const group = `g-${Date.now()}-1`;
    const [a, b] = [bus({ group }), bus({ group })];
    const seen: string[] = [];
    a.subscribe('score.updated', (event) => void seen.push(`a:${event.actionId}`));
    b.subscribe('score.updated', (event) => void seen.push(`b:${event.actionId}`));
    const publisher = bus();
    const sent = Array.from({ length: 20 }, () => scoreUpdated());
    for (const event of sent) await publisher.publish(event);

    await eventually(() => expect(seen).toHaveLength(20));
    expect(new Set(seen.map((entry) => entry.split(':')[1]))).toEqual(new Set(sent.map((event) => event.actionId)));
    await eventually(async () => {
      const [pending] = (await redis.xpending(keys.stream('score.updated'), group)) as [number];
      expect(pending).toBe(0);
    });
  });

  it("reclaims the entries of a consumer that died before acknowledging them", async () => {
    const group = `g-${Date.now()}-2`;
    const dying = new RedisEventBus(REDIS_URL, { keys, logger: quiet, group, claimIdleMs: 300 });
    let received = false;
    // Reads the entry and never finishes handling it, as a process killed mid-handler.
    dying.subscribe('score.updated', () => {
      received = true;
      return new Promise<void>(() => {});
    });
    const event = scoreUpdated('crash-victim');
    await bus().publish(event);
    await eventually(() => expect(received).toBe(true));
    void dying.close();

    const seen: string[] = [];
    bus({ group, claimIdleMs: 300 }).subscribe('score.updated', (e) => void seen.push(e.actionId));
    await eventually(() => expect(seen).toContain(event.actionId));
  });

  it('forgets consumers of gone processes once they hold nothing', async () => {
    const group = `g-${Date.now()}-4`;
    const stream = keys.stream('score.updated');
    await redis.xgroup('CREATE', stream, group, '0', 'MKSTREAM').catch(() => {});
    await redis.xreadgroup('GROUP', group, 'ghost-of-an-old-process', 'COUNT', 1, 'STREAMS', stream, '>');
    await new Promise((resolve) => setTimeout(resolve, 50));
    bus({ group, claimIdleMs: 200, forgetConsumersAfterMs: 20 }).subscribe('score.updated', () => {});
    await eventually(async () => {
      const names = ((await redis.xinfo('CONSUMERS', stream, group)) as unknown[][]).map((fields) => String(fields[1]));
      expect(names).not.toContain('ghost-of-an-old-process');
      expect(names).toHaveLength(1);
    });
  });

  it('keeps consuming after Redis lost the stream and its group', async () => {
    const group = `g-${Date.now()}-3`;
    const seen: string[] = [];
    bus({ group }).subscribe('score.updated', (e) => void seen.push(e.actionId));
    const publisher = bus();
    const before = scoreUpdated();
    await publisher.publish(before);
    await eventually(() => expect(seen).toContain(before.actionId));

    await redis.del(keys.stream('score.updated'));
    const after = scoreUpdated();
    await eventually(async () => {
      await publisher.publish(after);
      expect(seen).toContain(after.actionId);
    }, 10_000);
  });

  it('broadcasts board.changed to every subscribed node over pub/sub', async () => {
    const nodes = [bus(), bus()];
    const seen: number[][] = [[], []];
    nodes.forEach((node, i) => node.subscribe('board.changed', (event) => void seen[i]?.push(event.seq)));
    // A subscription takes a moment to reach Redis; pub/sub keeps nothing for late listeners.
    const change = (seq: number): BoardChanged => ({ type: 'board.changed', board: 'global', seq, top: [] });
    let seq = 0;
    await eventually(async () => {
      await bus().publish(change((seq += 1)));
      expect(seen[0]?.length).toBeGreaterThan(0);
      expect(seen[1]?.length).toBeGreaterThan(0);
    });
    await nodes[0]?.publish(change(1_000));
    await eventually(() => {
      expect(seen[0]).toContain(1_000);
      expect(seen[1]).toContain(1_000);
    });
  });

  it.runIf(redisServerAvailable)('subscribes once Redis comes up, however late, and is ready only then', async () => {
    const server = await privateRedis();
    const errors: string[] = [];
    const warnings: string[] = [];
    const late = new RedisEventBus(server.url, { keys, logger: recording(errors, warnings) });
    onTestFinished(() => late.close());
    const seen: string[] = [];
    late.subscribe('credential.revoked', (event) => void seen.push(event.name));
    let ready = false;
    void late.ready().then(() => (ready = true));
    // Longer than a command's timeout and a few reconnect attempts: still waiting, not given up.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(ready).toBe(false);
    expect(warnings).toEqual(['still waiting for Redis to subscribe; not ready until then']);

    await server.start();
    await eventually(() => expect(ready).toBe(true));
    const publisher = new RedisEventBus(server.url, { keys, logger: quiet });
    onTestFinished(() => publisher.close());
    await publisher.publish({ type: 'credential.revoked', name: 'arena' });
    await eventually(() => expect(seen).toEqual(['arena']));
    expect(errors).toEqual([]);
  }, 20_000);

  it('ends a subscription still waiting for Redis when closed, quietly', async () => {
    const errors: string[] = [];
    const nowhere = new RedisEventBus(`redis://127.0.0.1:${await freePort()}`, { keys, logger: recording(errors) });
    nowhere.subscribe('credential.revoked', () => {});
    const ready = nowhere.ready();
    await nowhere.close();
    await ready;
    expect(errors).toEqual([]);
  });
});
