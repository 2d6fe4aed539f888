import { randomBytes } from 'node:crypto';
import { onTestFinished } from 'vitest';
import { REDIS_URL, redisAvailable, redisTestNamespace } from '../../test/infrastructure.js';
import { describeEventBus } from './event-bus.contract.js';
import { InProcessEventBus } from './in-process-event-bus.js';
import { RedisEventBus } from './redis-event-bus.js';
import { RedisKeys } from './redis-keys.js';

const quiet = { error: () => {}, warn: () => {} };

describeEventBus('in-process', () => {
  const bus = new InProcessEventBus(quiet);
  return { publisher: bus, subscriber: bus, ready: async () => {} };
});

if (redisAvailable) {
  const { keys } = redisTestNamespace();
  describeEventBus('Redis', () => {
    // Two nodes on a namespace of their own, so each test's stream starts empty.
    const namespace = new RedisKeys(`${keys.namespace}:${randomBytes(4).toString('hex')}`);
    const publisher = new RedisEventBus(REDIS_URL, { keys: namespace, logger: quiet });
    const subscriber = new RedisEventBus(REDIS_URL, { keys: namespace, logger: quiet });
    onTestFinished(async () => {
      await subscriber.close();
      await publisher.close();
    });
    return { publisher, subscriber, ready: () => subscriber.ready() };
  });
}
