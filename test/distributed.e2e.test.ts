import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { BoardEntry } from '../src/platform/events.js';
import { RedisKeys } from '../src/platform/redis-keys.js';
import type { ServerMessage } from '../src/realtime/protocol.js';
import { deleteNamespace, freshDatabase, postgresAvailable, REDIS_URL, redisAvailable } from './infrastructure.js';
import { createRedis } from '../src/platform/redis.js';
import { eventually, exited, startServerProcess, type ServerProcess } from './process.js';

async function post(url: string, body: object, token?: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** A browser's view of the global board through one realtime node: the latest top it was sent. */
async function watchGlobal(node: ServerProcess): Promise<{ top: () => BoardEntry[] }> {
  const socket = new WebSocket(`${node.url.replace('http', 'ws')}/ws`);
  onTestFinished(() => socket.terminate());
  let top: BoardEntry[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString()) as ServerMessage;
    if (message.type === 'snapshot' || message.type === 'update') top = message.entries;
  });
  await once(socket, 'open');
  socket.send(JSON.stringify({ op: 'subscribe', board: 'global', limit: 10 }));
  return { top: () => top };
}

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

    const players = ['ada', 'bob'].map((name) => ({ username: `${name}-${prefix.slice(-4)}`, password: 'password-123' }));
    const tokens: string[] = [];
    for (const player of players) {
      expect((await post(`${core.url}/api/v1/auth/register`, player)).status).toBe(201);
      tokens.push(((await (await post(`${core.url}/api/v1/auth/login`, player)).json()) as { accessToken: string }).accessToken);
    }
    const [ada, bob] = players as [(typeof players)[0], (typeof players)[0]];
    const [adaToken, bobToken] = tokens as [string, string];
    const watchers = await Promise.all([watchGlobal(realtimeA), watchGlobal(realtimeB)]);

    // Actions on either score node reach subscribers of either realtime node.
    expect((await post(`${core.url}/api/v1/actions`, { type: 'click', idempotencyKey: 'ada-1-xxxxxx' }, adaToken)).status).toBe(201);
    expect((await post(`${secondScore.url}/api/v1/actions`, { type: 'click', idempotencyKey: 'ada-2-xxxxxx' }, adaToken)).status).toBe(201);
    expect((await post(`${secondScore.url}/api/v1/actions`, { type: 'click', idempotencyKey: 'bob-1-xxxxxx' }, bobToken)).status).toBe(201);
    for (const watcher of watchers) {
      await eventually(() => {
        expect(scoreOf(watcher.top(), ada.username)).toBe(2);
        expect(scoreOf(watcher.top(), bob.username)).toBe(1);
      });
    }

    // A key used on one score node replays on the other.
    const replay = await post(`${secondScore.url}/api/v1/actions`, { type: 'click', idempotencyKey: 'ada-1-xxxxxx' }, adaToken);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    // One bucket per user across nodes: ada spent 3 of 5 (two actions and the replay); two more pass, then none.
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const node = i % 2 === 0 ? core : secondScore;
      statuses.push((await post(`${node.url}/api/v1/actions`, { type: 'click', idempotencyKey: `ada-limit-${i}-xx` }, adaToken)).status);
    }
    expect(statuses).toEqual([201, 201, 429, 429]);
    await eventually(async () => {
      const board = (await (await fetch(`${core.url}/api/v1/leaderboards/global`)).json()) as { entries: BoardEntry[] };
      expect(scoreOf(board.entries, ada.username)).toBe(4);
    });

    // The leaderboard node and Redis die together (one host goes down: no shutdown flush, no
    // data); the restarted node rebuilds the boards from PostgreSQL.
    const seqBefore = ((await (await fetch(`${core.url}/api/v1/leaderboards/global`)).json()) as { seq: number }).seq;
    core.child.kill('SIGKILL');
    await exited(core.child);
    await deleteNamespace(redis, keys);
    const restarted = await startServerProcess({ ...shared, SERVICES: 'auth,score,leaderboard' });
    const board = (await (await fetch(`${restarted.url}/api/v1/leaderboards/global`)).json()) as { total: number; seq: number; entries: BoardEntry[] };
    expect(board.total).toBe(2);
    expect(board.seq).toBeGreaterThan(seqBefore);
    expect(board.entries.map((entry) => [entry.username, entry.score])).toEqual([
      [ada.username, 4],
      [bob.username, 1],
    ]);
    // The realtime nodes ran through it all and keep following the board: its seq went on
    // growing (they would take every update with a lower one for an old one).
    expect((await post(`${secondScore.url}/api/v1/actions`, { type: 'click', idempotencyKey: 'bob-2-xxxxxx' }, bobToken)).status).toBe(201);
    for (const watcher of watchers) await eventually(() => expect(scoreOf(watcher.top(), bob.username)).toBe(2));

    // Losing Redis while running: the leaderboard node notices the missing boards and rebuilds them.
    await deleteNamespace(redis, keys);
    await eventually(async () => {
      const again = (await (await fetch(`${restarted.url}/api/v1/leaderboards/global`)).json()) as { entries: BoardEntry[] };
      expect(again.entries.map((entry) => entry.score)).toEqual([4, 2]);
    }, 20_000);
  });
});
