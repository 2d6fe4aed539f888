import { describe, expect, it, onTestFinished } from 'vitest';
import { REDIS_URL, redisAvailable } from '../../test/infrastructure.js';
import { eventually } from '../../test/process.js';
import { createRedis } from './redis.js';

describe.skipIf(!redisAvailable)('createRedis, a subscriber connection', () => {
  it('keeps a subscription asked for while it is still connecting', async () => {
    // A node subscribes to one channel after another while its connection comes up; one asked
    // for between the TCP connect and ready goes out at once. With ioredis's ready check, the
    // check's INFO then meets subscriber mode and ioredis drops the connection and the
    // subscription with it (ioredis#2037).
    const channels = Array.from({ length: 5 }, (_, i) => `connecting-${process.pid}-${Date.now()}-${i}`);
    const failed: unknown[] = [];
    for (const channel of channels) {
      const subscriber = createRedis(REDIS_URL, { subscriber: true });
      onTestFinished(() => void subscriber.disconnect());
      subscriber.once('connect', () => void subscriber.subscribe(channel).catch((error: unknown) => void failed.push(error)));
    }
    const probe = createRedis(REDIS_URL);
    onTestFinished(() => void probe.disconnect());
    await eventually(async () => {
      const counts = (await probe.pubsub('NUMSUB', ...channels)) as (string | number)[];
      expect(counts.filter((_, i) => i % 2 === 1)).toEqual(channels.map(() => 1));
    }, 3_000);
    expect(failed).toEqual([]);
  });
});
