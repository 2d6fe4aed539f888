import { randomBytes } from 'node:crypto';
import { describe, onTestFinished } from 'vitest';
import { present, REDIS_URL, redisRunnerNamespace } from '../../test/infrastructure.js';
import { describeEventBus } from './event-bus.contract.js';
import { RedisEventBus } from './redis-event-bus.js';
import { RedisKeys } from './redis-keys.js';

const quiet = { error: () => {}, warn: () => {} };
const namespace = redisRunnerNamespace();

describe.skipIf(!namespace)('RedisEventBus', () => {
  describeEventBus('Redis', () => {
    // Two nodes on a namespace of their own, so each test's stream starts empty.
    const keys = new RedisKeys(`${present(namespace).keys.namespace}:${randomBytes(4).toString('hex')}`);
    const publisher = new RedisEventBus(REDIS_URL, { keys, logger: quiet });
    const subscriber = new RedisEventBus(REDIS_URL, { keys, logger: quiet });
    onTestFinished(async () => {
      await subscriber.close();
      await publisher.close();
    });
    return { publisher, subscriber, ready: () => subscriber.ready() };
  });
});
