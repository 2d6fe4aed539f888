import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import Database from 'better-sqlite3';
import pg from 'pg';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { compose } from '../../src/compose.js';
import { loadConfig } from '../../src/platform/config.js';
import { distributedStorage } from '../../src/storage/distributed-storage.js';
import { DATA_DIR_FILE_NAMES } from '../../src/storage/data-dir.js';
import { embeddedStorage } from '../../src/storage/embedded-storage.js';
import { cheapHasher, temporaryDirectory } from '../helpers.js';
import { deleteNamespace, freshDatabase, postgresAvailable, REDIS_URL, redisAvailable } from '../infrastructure.js';
import { createRedis } from '../../src/platform/redis.js';
import { RedisKeys } from '../../src/platform/redis-keys.js';

/**
 * Data written by release 0.1.0 (`fixtures/v1`, see its README), started under this release:
 * every player, key, ban and score is there, the boards of 0.1.0 show what they showed, the
 * new boards are filled from the ledger, and play goes on from there.
 */
const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'v1');
/** Later on the day the fixture was made: its daily, weekly and monthly periods are current. */
const NOW = Date.parse('2026-11-29T12:00:00Z');

interface Expected {
  players: Record<string, { id: string; password: string; refreshToken: string }>;
  banned: string[];
  boards: Record<string, { userId: string; username: string; score: number; rank: number }[]>;
  jwksKids: string[];
}

const expectedOf = (file: string): Expected => JSON.parse(fs.readFileSync(path.join(FIXTURE, file), 'utf8')) as Expected;
const options = { logger: pino({ level: 'silent' }), passwordHasher: cheapHasher(), now: () => NOW };
const env = { ADMIN_USERS: 'admin', RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0', LOGIN_RATE_LIMIT_USER_PER_MIN: '0', LOGIN_RATE_LIMIT_IP_PER_MIN: '0' };

async function expectUpgraded(app: FastifyInstance, expected: Expected): Promise<void> {
  const call = async (method: 'GET' | 'POST', url: string, payload?: object, token?: string) =>
    app.inject({ method, url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} });

  // The signing keys are the ones 0.1.0 made.
  const jwks = (await call('GET', '/.well-known/jwks.json')).json<{ keys: { kid: string }[] }>();
  expect(jwks.keys.map((key) => key.kid)).toEqual(expected.jwksKids);

  // Every player logs in with their password, and a refresh token of 0.1.0 still refreshes.
  const tokens: Record<string, string> = {};
  for (const [name, player] of Object.entries(expected.players)) {
    const login = await call('POST', '/api/v1/auth/login', { username: name, password: player.password });
    expect(login.statusCode, name).toBe(200);
    tokens[name] = login.json<{ accessToken: string }>().accessToken;
    expect((await call('GET', '/api/v1/me', undefined, tokens[name])).json<{ id: string }>().id).toBe(player.id);
  }
  const refreshed = await call('POST', '/api/v1/auth/refresh', { refreshToken: expected.players.ada?.refreshToken });
  expect(refreshed.statusCode).toBe(200);

  // The boards of 0.1.0 show what they showed; the new monthly board, filled from the
  // ledger, agrees with them; the banned player is on none.
  for (const board of ['global', 'daily', 'weekly']) {
    const page = (await call('GET', `/api/v1/leaderboards/${board}?limit=100`)).json<{ entries: unknown[] }>();
    expect(page.entries, board).toEqual(expected.boards[board]);
  }
  expect((await call('GET', '/api/v1/leaderboards/monthly?limit=100')).json<{ entries: unknown[] }>().entries).toEqual(expected.boards.global);
  const boards = (await call('GET', '/api/v1/leaderboards')).json<{ boards: { id: string }[] }>().boards.map((board) => board.id);
  expect(boards).toEqual(['global', 'daily', 'weekly', 'monthly', 'fastest-sprint', 'best-match']);

  // Play goes on: a click adds to the total of 0.1.0, the ban still holds, the audit log of
  // 0.1.0 is readable.
  const click = await call('POST', '/api/v1/actions', { type: 'click', idempotencyKey: 'after-upgrade-1' }, tokens.ada);
  expect(click.statusCode).toBe(201);
  const before = expected.boards.global?.find((entry) => entry.username === 'ada')?.score ?? 0;
  expect(click.json<{ totals: Record<string, number> }>().totals).toEqual({ global: before + 1, daily: before + 1, weekly: before + 1, monthly: before + 1 });
  const eve = await call('POST', '/api/v1/actions', { type: 'click', idempotencyKey: 'after-upgrade-2' }, tokens.eve);
  expect(eve.statusCode).toBe(403);
  const audit = (await call('GET', '/api/v1/admin/audit?limit=200', undefined, tokens.admin)).json<{ entries: { event: string; userId?: string }[] }>();
  expect(audit.entries.map((entry) => entry.event)).toEqual(expect.arrayContaining(['user.banned', 'action.rejected']));
  // An idempotency key used under 0.1.0 replays its original answer.
  const replay = await call('POST', '/api/v1/actions', { type: 'click', idempotencyKey: 'fixture-ada-1' }, tokens.ada);
  expect(replay.statusCode).toBe(200);
  expect(replay.json<{ action: { values: Record<string, number> } }>().action.values).toEqual({ points: 1 });
}

describe('upgrade from 0.1.0', () => {
  it('starts embedded on a data dir 0.1.0 wrote, with every player, key, ban and score', async () => {
    const dataDir = temporaryDirectory();
    fs.cpSync(path.join(FIXTURE, 'data-dir'), dataDir, { recursive: true });
    // The database is kept as the text `sqlite3 .dump` wrote of it; rebuilt as it was.
    const dump = path.join(dataDir, 'live-leaderboard.sql');
    const db = new Database(path.join(dataDir, DATA_DIR_FILE_NAMES.database));
    db.exec(fs.readFileSync(dump, 'utf8'));
    db.close();
    fs.rmSync(dump);
    const composed = await compose(loadConfig({ ...env, DATA_DIR: dataDir }), embeddedStorage, options);
    onTestFinished(() => composed.close());
    await expectUpgraded(composed.app, expectedOf('data-dir-expected.json'));
  });

  it.runIf(postgresAvailable && redisAvailable)('starts distributed on a database 0.1.0 wrote, with every player, key, ban and score', async () => {
    const url = await freshDatabase();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    // psql's meta-commands (`\restrict`) are for psql; the SQL around them is plain.
    const dump = fs.readFileSync(path.join(FIXTURE, 'postgres.sql'), 'utf8').split('\n').filter((line) => !line.startsWith('\\')).join('\n');
    await client.query(dump);
    await client.end();
    const prefix = `upgrade${Date.now()}`;
    const redis = createRedis(REDIS_URL);
    onTestFinished(async () => {
      await deleteNamespace(redis, new RedisKeys(prefix));
      redis.disconnect();
    });
    const composed = await compose(loadConfig({ ...env, DATABASE_URL: url, REDIS_URL, REDIS_KEY_PREFIX: prefix }), distributedStorage, options);
    onTestFinished(() => composed.close());
    await expectUpgraded(composed.app, expectedOf('postgres-expected.json'));
  });
});
