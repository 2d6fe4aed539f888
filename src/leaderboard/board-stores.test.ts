import { randomBytes } from 'node:crypto';
import { redisAvailable, redisTestNamespace } from '../../test/infrastructure.js';
import { RedisKeys } from '../platform/redis-keys.js';
import { describeBoardStore } from './board-store.contract.js';
import { InMemoryBoardStore } from './in-memory-board-store.js';
import { RedisBoardStore } from './redis-board-store.js';

describeBoardStore('in-memory', () => new InMemoryBoardStore());

if (redisAvailable) {
  const { redis, keys } = redisTestNamespace();
  // A namespace inside the file's own per store, so each test starts empty; all are deleted with the file's.
  describeBoardStore('Redis', () => new RedisBoardStore(redis, new RedisKeys(`${keys.namespace}:${randomBytes(4).toString('hex')}`)));
}
