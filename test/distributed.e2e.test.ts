import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { BoardEntry } from '../src/platform/events.js';
import { RedisKeys } from '../src/platform/redis-keys.js';
import { testClient } from './helpers.js';
import { deleteNamespace, freshDatabase, postgresAvailable, REDIS_URL, redisAvailable } from './infrastructure.js';
import { createRedis } from '../src/platform/redis.js';
import { eventually, exited, startServerProcess } from './process.js';

const scoreOf = (top: readonly BoardEntry[], username: string) => top.find((entry) => entry.username === username)?.score;

describe.skipIf(!postgresAvailable || !redisAvailable)('distributed mode: processes sharing PostgreSQL and Redis', () => {
  it('serves one deployment from several score and realtime nodes, and rebuilds Redis from PostgreSQL', { timeout: 90_000 }, async () => {
    const prefix = `e2e_${randomBytes(5).toString('hex')}`;
    const keys = new RedisKeys(prefix);
    const redis = createRedis(REDIS_URL);
    onTestFinished(async () => {
      await deleteNamespace(redis, keys);
      redis.disconnect();
    });
    const shared = {
      DATABASE_URL: await freshDatabase(),
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      // The shared bucket under test: 5 actions, then (practically) no refill during the test.
      RATE_LIMIT_USER_PER_SEC: '0.01',
      RATE_LIMIT_USER_BURST: '5',
      RATE_LIMIT_IP_PER_SEC: '0',
    };
    const core = await startServerProcess({ ...shared, SERVICES: 'auth,score,leaderboard' });
    const [secondScore, realtimeA, realtimeB] = await Promise.all([
      startServerProcess({ ...shared, SERVICES: 'score' }),
      startServerProcess({ ...shared, SERVICES: 'realtime' }),
      startServerProcess({ ...shared, SERVICES: 'realtime' }),
    ]);

    const [onCore, onSecondScore] = [testClient(core.url), testClient(secondScore.url)];
    const players = ['ada', 'bob'].map((name) => ({ username: `${name}-${prefix.slice(-4)}` }));
    const tokens: string[] = [];
    for (const player of players) {
      expect((await onCore.register(player.username)).status).toBe(201);
      tokens.push(((await (await onCore.login(player.username)).json()) as { accessToken: string }).accessToken);
    }
    const [ada, bob] = players as [(typeof players)[0], (typeof players)[0]];
    const [adaToken, bobToken] = tokens as [string, string];
    const watchers = await Promise.all([testClient(realtimeA.url).watch(), testClient(realtimeB.url).watch()]);

    // Actions on either score node reach subscribers of either realtime node.
    expect((await onCore.act(adaToken, { idempotencyKey: 'ada-1-xxxxxx' })).status).toBe(201);
    expect((await onSecondScore.act(adaToken, { idempotencyKey: 'ada-2-xxxxxx' })).status).toBe(201);
    expect((await onSecondScore.act(bobToken, { idempotencyKey: 'bob-1-xxxxxx' })).status).toBe(201);
    for (const watcher of watchers) {
      await eventually(() => {
        expect(scoreOf(watcher.top, ada.username)).toBe(2);
        expect(scoreOf(watcher.top, bob.username)).toBe(1);
      });
    }

    // A key used on one score node replays on the other.
    const replay = await onSecondScore.act(adaToken, { idempotencyKey: 'ada-1-xxxxxx' });
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    // One bucket per user across nodes: ada spent 3 of 5 (two actions and the replay); two more pass, then none.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const node = i % 2 === 0 ? onCore : onSecondScore;
      statuses.push((await node.act(adaToken, { idempotencyKey: `ada-limit-${i}-xx` })).status);
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
    await eventually(async () => {
      const board = await onCore.board();
      expect(scoreOf(board.entries, ada.username)).toBe(4);
    });

    // The leaderboard node and Redis die together (one host goes down: no shutdown flush, no
    // data); the restarted node rebuilds the boards from PostgreSQL.
    const seqBefore = (await onCore.board()).seq;
    core.child.kill('SIGKILL');
    await exited(core.child);
    await deleteNamespace(redis, keys);
    const restarted = await startServerProcess({ ...shared, SERVICES: 'auth,score,leaderboard' });
    const onRestarted = testClient(restarted.url);
    const board = await onRestarted.board();
    expect(board.total).toBe(2);
    expect(board.seq).toBeGreaterThan(seqBefore);
    expect(board.entries.map((entry) => [entry.username, entry.score])).toEqual([
      [ada.username, 4],
      [bob.username, 1],
    ]);
    // The realtime nodes ran through it all and keep following the board: its seq went on
    // growing (they would take every update with a lower one for an old one).
    expect((await onSecondScore.act(bobToken, { idempotencyKey: 'bob-2-xxxxxx' })).status).toBe(201);
    for (const watcher of watchers) await eventually(() => expect(scoreOf(watcher.top, bob.username)).toBe(2));

    // Losing Redis while running: the leaderboard node notices the missing boards and rebuilds them.
    await deleteNamespace(redis, keys);
    await eventually(async () => {
      const again = await onRestarted.board();
      expect(again.entries.map((entry) => entry.score)).toEqual([4, 2]);
    }, 20_000);
  });
});
