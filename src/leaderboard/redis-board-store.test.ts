import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { emptied, migratedPostgresPool, present, redisRunnerNamespace } from '../../test/infrastructure.js';
import { RedisKeys } from '../platform/redis-keys.js';
import { PostgresSeqFloor } from './postgres-seq-floor.js';
import { RedisBoardStore } from './redis-board-store.js';

const namespace = redisRunnerNamespace();
const pool = namespace ? await migratedPostgresPool() : undefined;

describe.skipIf(!namespace || !pool)('RedisBoardStore seq, when Redis loses its counter', () => {
  it('starts again above every seq any node may have handed out, with one write per block', async () => {
    const { redis, keys } = present(namespace);
    const db = await emptied(pool, 'board_seq');
    const storeKeys = new RedisKeys(`${keys.namespace}:${randomBytes(4).toString('hex')}`);
    const store = new RedisBoardStore(redis, storeKeys, new PostgresSeqFloor(db, 10));
    const handedOut = [];
    for (let i = 0; i < 25; i += 1) handedOut.push(await store.nextSeq('global'));
    expect(handedOut.at(-1)).toBe(25);
    expect((await db.query('SELECT reserved FROM board_seq')).rows).toEqual([{ reserved: '33' }]); // three writes: at 1 (up to 11), 12 (22) and 23 (33)

    await redis.del(storeKeys.boardSeq('global')); // Redis restarted empty, and so did every leaderboard node
    const restarted = new RedisBoardStore(redis, storeKeys, new PostgresSeqFloor(db, 10));
    expect(await restarted.nextSeq('global')).toBe(34);
    expect(await restarted.nextSeq('global')).toBe(35);
    expect(await restarted.nextSeq('daily')).toBe(1);
  });
});
