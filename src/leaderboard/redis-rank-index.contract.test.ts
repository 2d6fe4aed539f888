import { describe } from 'vitest';
import { present, redisRunnerNamespace } from '../../test/infrastructure.js';
import { describeRankIndex } from './rank-index.contract.js';
import { RedisRankIndex } from './redis-rank-index.js';

const namespace = redisRunnerNamespace();

describe.skipIf(!namespace)('RedisRankIndex', () => {
  let boards = 0;
  // A fresh, empty index per test: a board of its own in this file's namespace.
  describeRankIndex('Redis', (order) => {
    const { redis, keys } = present(namespace);
    return new RedisRankIndex(redis, keys, `board-${(boards += 1)}`, 'all', order);
  });
});
