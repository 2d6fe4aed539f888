import { randomBytes } from 'node:crypto';
import { describe } from 'vitest';
import { emptied, migratedPostgresPool, present, redisRunnerNamespace } from '../../test/infrastructure.js';
import { RedisKeys } from '../platform/redis-keys.js';
import { describeBoardStore } from './board-store.contract.js';
import { PostgresSeqFloor } from './postgres-seq-floor.js';
import { RedisBoardStore } from './redis-board-store.js';

const namespace = redisRunnerNamespace();
const pool = namespace ? await migratedPostgresPool() : undefined;

/** A store on a namespace inside the file's own, so each test starts empty; all are deleted with the file's. */
function freshStore(seqFloor?: PostgresSeqFloor): RedisBoardStore {
  const { redis, keys } = present(namespace);
  return new RedisBoardStore(redis, new RedisKeys(`${keys.namespace}:${randomBytes(4).toString('hex')}`), seqFloor);
}

describe.skipIf(!namespace)('RedisBoardStore', () => {
  describeBoardStore('Redis', () => freshStore());
});

describe.skipIf(!namespace || !pool)('RedisBoardStore with PostgresSeqFloor', () => {
  describeBoardStore('Redis, seq reserved in PostgreSQL (as deployed)', async () => freshStore(new PostgresSeqFloor(await emptied(pool, 'board_seq'))));
});
