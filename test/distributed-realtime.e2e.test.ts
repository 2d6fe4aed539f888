import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { WebSocket } from 'ws';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/platform/config.js';
import type { BoardEntry } from '../src/platform/events.js';
import { RedisKeys } from '../src/platform/redis-keys.js';
import { createRedis } from '../src/platform/redis.js';
import type { ServerMessage } from '../src/realtime/protocol.js';
import { distributedStorage } from '../src/storage/distributed-storage.js';
import { cheapHasher } from './helpers.js';
import { deleteNamespace, freshDatabase, postgresAvailable, REDIS_URL, redisAvailable } from './infrastructure.js';
import { eventually } from './process.js';
import { FakeSocket } from './support/fake-socket.js';
import { injectClient } from './support/test-client.js';

type Window = Extract<ServerMessage, { type: 'window' }>;

describe.skipIf(!postgresAvailable || !redisAvailable)('realtime v2 across nodes (PostgreSQL and Redis)', () => {
  it('serves around-me windows and deltas from a realtime-only node, fed through the bus', { timeout: 60_000 }, async () => {
    const prefix = `rt_${randomBytes(5).toString('hex')}`;
    const redis = createRedis(REDIS_URL);
    onTestFinished(async () => {
      await deleteNamespace(redis, new RedisKeys(prefix));
      redis.disconnect();
    });
    const env = { DATABASE_URL: await freshDatabase(), REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0' };
    const open = async (services: string) => {
      const node = await compose(loadConfig({ ...env, SERVICES: services }), distributedStorage, {
        logger: pino({ level: 'silent' }),
        passwordHasher: cheapHasher(),
        realtime: { windowMs: 5 },
      });
      onTestFinished(() => node.close());
      return node;
    };
    const core = await open('auth,score,leaderboard');
    const edge = await open('realtime');
    const client = injectClient(core.app);
    const players = await Promise.all(['ann', 'bob', 'cid', 'dee'].map((name) => client.player(name)));
    const [ann, bob, cid, dee] = players as [(typeof players)[0], (typeof players)[0], (typeof players)[0], (typeof players)[0]];
    for (const [player, clicks] of [[bob, 5], [cid, 3], [ann, 4], [dee, 1]] as const) for (let i = 0; i < clicks; i += 1) await client.act(player.token);

    const hub = edge.realtime;
    if (!hub) throw new Error('the edge node runs realtime');
    const socket = new FakeSocket();
    hub.accept(socket as unknown as WebSocket);
    socket.receive({ op: 'auth', token: ann.token });
    await eventually(() => expect(socket.messages().some((message) => message.type === 'authenticated')).toBe(true));
    socket.receive({ op: 'subscribe', board: 'global', around: 'me', radius: 1 });
    socket.receive({ op: 'subscribe', board: 'global', limit: 3, delta: true });
    const windows = () => socket.messages<ServerMessage>().filter((message): message is Window => message.type === 'window');
    const ranks = (entries: BoardEntry[] | undefined) => entries?.map((entry) => `${entry.rank}:${entry.username}:${entry.score}`);
    await eventually(() => expect(ranks(windows().at(-1)?.entries)).toEqual(['1:bob:5', '2:ann:4', '3:cid:3']));

    // dee climbs from 4th to 1st on the core node: the edge node hears the moved ranks over
    // Redis and reads ann's window again from the shared rank store.
    for (let i = 0; i < 9; i += 1) await client.act(dee.token);
    await eventually(() => expect(ranks(windows().at(-1)?.entries)).toEqual(['2:bob:5', '3:ann:4', '4:cid:3']));
    // The delta subscription on the same node followed as well.
    await eventually(() => expect(socket.messages<ServerMessage>().some((message) => message.type === 'delta' && message.changes[0]?.userId === dee.userId)).toBe(true));
  });
});
