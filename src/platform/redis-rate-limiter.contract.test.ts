import { describe } from 'vitest';
import { present, redisRunnerNamespace } from '../../test/infrastructure.js';
import { describeRateLimiter } from './rate-limiter.contract.js';
import { RedisKeys } from './redis-keys.js';
import { RedisRateLimiter } from './redis-rate-limiter.js';

const namespace = redisRunnerNamespace();

describe.skipIf(!namespace)('RedisRateLimiter', () => {
  let limiters = 0;
  // Buckets of their own per limiter: a namespace inside this file's, deleted with it.
  describeRateLimiter('Redis', (options) => {
    const { redis, keys } = present(namespace);
    return new RedisRateLimiter(redis, new RedisKeys(`${keys.namespace}:${(limiters += 1)}`), options);
  });
});
