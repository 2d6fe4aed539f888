import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/platform/config.js';
import { RedisKeys } from '../src/platform/redis-keys.js';
import { createRedis } from '../src/platform/redis.js';
import { distributedStorage } from '../src/storage/distributed-storage.js';
import { cheapHasher } from './helpers.js';
import { deleteNamespace, freshDatabase, postgresAvailable, REDIS_URL, redisAvailable } from './infrastructure.js';
import { eventually } from './process.js';
import { injectClient } from './support/test-client.js';
import { WebhookReceiver } from './support/webhook-receiver.js';

const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const T0 = Date.UTC(2026, 10, 27, 23, 59, 50); // ten seconds before midnight UTC

/**
 * Two nodes of one deployment, each running auth, score, leaderboard (and so moderation),
 * in this process on a clock the test moves: what two leaderboard nodes do at once.
 */
async function twoNodes(receiver: WebhookReceiver) {
  let clock = T0;
  const prefix = `mod_${randomBytes(5).toString('hex')}`;
  const redis = createRedis(REDIS_URL);
  onTestFinished(async () => {
    await deleteNamespace(redis, new RedisKeys(prefix));
    redis.disconnect();
  });
  const config = loadConfig({
    DATABASE_URL: await freshDatabase(),
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    SERVICES: 'auth,score,leaderboard',
    ADMIN_USERS: 'root',
    RATE_LIMIT_USER_PER_SEC: '0',
    RATE_LIMIT_IP_PER_SEC: '0',
    WEBHOOK_URLS: receiver.url,
    WEBHOOK_SECRET: SECRET,
  });
  const open = async () => {
    const node = await compose(config, distributedStorage, {
      logger: pino({ level: 'silent' }),
      passwordHasher: cheapHasher(),
      now: () => clock,
      webhooks: { pollMs: 25, firstRetryMs: 50, closeGraceMs: 1_000 },
    });
    onTestFinished(() => node.close());
    return { ...node, client: injectClient(node.app) };
  };
  const nodes = [await open(), await open()] as const;
  return { nodes, advance: (ms: number) => (clock += ms) };
}

describe.skipIf(!postgresAvailable || !redisAvailable)('moderation across nodes (PostgreSQL and Redis)', () => {
  it('announces a period end once with two leaderboard nodes, and lets one of two racing admins decide a held action', { timeout: 60_000 }, async () => {
    const receiver = await WebhookReceiver.start();
    const { nodes, advance } = await twoNodes(receiver);
    const [a, b] = nodes;
    const root = await a.client.player('root');
    const ann = await a.client.player('ann');
    expect((await b.client.act(ann.token, { idempotencyKey: 'ann-click-1' })).statusCode).toBe(201);

    // Both nodes watch the boards before midnight, then both see it pass.
    await eventually(async () => {
      const { rows } = await a.storage.pool.query<{ since: string }>("SELECT since FROM period_watch WHERE board = 'daily'");
      expect(Number(rows[0]?.since)).toBe(T0);
    });
    advance(10_000 + 1_500);
    await eventually(() => expect(receiver.delivered().length).toBeGreaterThan(0));
    await new Promise((resolve) => setTimeout(resolve, 500)); // many polls of both nodes later
    const closed = receiver.delivered().map((request) => new Webhook(SECRET).verify(request.body, request.headers) as { type: string; data: { board: string; entries: { username: string; score: number }[] } });
    expect(closed.filter((body) => body.type === 'period.closed').map((body) => [body.data.board, body.data.entries.map((entry) => [entry.username, entry.score])])).toEqual([
      ['daily', [['ann', 1]]],
    ]);

    // A held game-server action, decided by two admins on two nodes at once: one wins.
    const { secret } = await a.credentials.create('match-server');
    const held = await a.client.serverAct(secret, { userId: ann.userId, type: 'match-result', idempotencyKey: 'match-0001', values: { 'match-score': 70_000 } });
    expect(held.statusCode).toBe(202);
    const actionId = held.json<{ action: { id: string } }>().action.id;
    const decisions = await Promise.all([a, b].map((node) => node.client.post(`/api/v1/admin/review/${actionId}/approve`, undefined, root.token)));
    expect(decisions.map((response) => response.statusCode).sort()).toEqual([204, 409]);
    // Approved on one node, on the board for every node.
    for (const node of nodes) {
      await eventually(async () => {
        const board = (await node.client.get('/api/v1/leaderboards/best-match')).json<{ entries: { username: string; score: number }[] }>();
        expect(board.entries.map((entry) => [entry.username, entry.score])).toEqual([['ann', 70_000]]);
      });
    }
    await eventually(() => expect(receiver.delivered().map((request) => (JSON.parse(request.body) as { type: string }).type)).toContain('action.held'));
  });
});
