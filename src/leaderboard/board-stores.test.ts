import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { temporaryDirectory } from '../../test/helpers.js';
import { postgresAvailable, postgresTestPool, redisAvailable, redisTestNamespace } from '../../test/infrastructure.js';
import { applyPostgresMigrations } from '../platform/postgres.js';
import { applySqliteMigrations, openSqliteDatabase } from '../platform/sqlite.js';
import { RedisKeys } from '../platform/redis-keys.js';
import { describeBoardStore } from './board-store.contract.js';
import { InMemoryBoardStore } from './in-memory-board-store.js';
import { LEADERBOARD_POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { PostgresSeqFloor } from './postgres-seq-floor.js';
import { RedisBoardStore } from './redis-board-store.js';
import { LEADERBOARD_SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteSeqFloor } from './sqlite-seq-floor.js';

describeBoardStore('in-memory', () => new InMemoryBoardStore());

function sqliteDatabase() {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'seq.db'));
  onTestFinished(() => void db.close());
  applySqliteMigrations(db, 'leaderboard', LEADERBOARD_SQLITE_MIGRATIONS);
  return db;
}

describeBoardStore('in-memory, seq reserved in SQLite (as deployed)', () => new InMemoryBoardStore(new SqliteSeqFloor(sqliteDatabase())));

describe('InMemoryBoardStore seq, across restarts of an embedded process', () => {
  it('starts again above every seq handed out before, even after a crash, with one write per block', async () => {
    const db = sqliteDatabase();
    const first = new InMemoryBoardStore(new SqliteSeqFloor(db, 10));
    const handedOut = await Promise.all(Array.from({ length: 25 }, () => first.nextSeq('global')));
    expect(handedOut).toEqual(Array.from({ length: 25 }, (_, i) => i + 1)); // concurrent callers never share a value
    expect(db.prepare('SELECT reserved FROM board_seq').all()).toEqual([{ reserved: 33 }]); // written at 1 (up to 11), 12 (22) and 23 (33)

    const restarted = new InMemoryBoardStore(new SqliteSeqFloor(db, 10)); // no shutdown: the reservation is all there is
    expect([await restarted.nextSeq('global'), await restarted.nextSeq('global'), await restarted.nextSeq('daily')]).toEqual([34, 35, 1]);
  });
});

if (redisAvailable) {
  const { redis, keys } = redisTestNamespace();
  // A namespace inside the file's own per store, so each test starts empty; all are deleted with the file's.
  const freshKeys = () => new RedisKeys(`${keys.namespace}:${randomBytes(4).toString('hex')}`);
  describeBoardStore('Redis', () => new RedisBoardStore(redis, freshKeys()));

  if (postgresAvailable) {
    const pool = await postgresTestPool();
    await applyPostgresMigrations(pool, 'leaderboard', LEADERBOARD_POSTGRES_MIGRATIONS);
    describeBoardStore('Redis, seq reserved in PostgreSQL (as deployed)', async () => {
      await pool.query('TRUNCATE board_seq');
      return new RedisBoardStore(redis, freshKeys(), new PostgresSeqFloor(pool));
    });

    describe('RedisBoardStore seq, when Redis loses its counter', () => {
      it('starts again above every seq any node may have handed out, with one write per block', async () => {
        await pool.query('TRUNCATE board_seq');
        const storeKeys = freshKeys();
        const store = new RedisBoardStore(redis, storeKeys, new PostgresSeqFloor(pool, 10));
        const handedOut = [];
        for (let i = 0; i < 25; i += 1) handedOut.push(await store.nextSeq('global'));
        expect(handedOut.at(-1)).toBe(25);
        expect((await pool.query('SELECT reserved FROM board_seq')).rows).toEqual([{ reserved: '33' }]); // three writes: at 1 (up to 11), 12 (22) and 23 (33)

        await redis.del(storeKeys.boardSeq('global')); // Redis restarted empty, and so did every leaderboard node
        const restarted = new RedisBoardStore(redis, storeKeys, new PostgresSeqFloor(pool, 10));
        expect(await restarted.nextSeq('global')).toBe(34);
        expect(await restarted.nextSeq('global')).toBe(35);
        expect(await restarted.nextSeq('daily')).toBe(1);
      });
    });
  }
}
