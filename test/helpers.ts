import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { expect, onTestFinished } from 'vitest';
import { PasswordHasher } from '../src/auth/password-hasher.js';
import { compose, type Composed } from '../src/compose.js';
import type { WebhookTimings } from '../src/moderation/index.js';
import type { RealtimeOptions } from '../src/realtime/index.js';
import { loadConfig, type Durability, type RateLimitConfig } from '../src/platform/config.js';
import { openSqliteDatabase, type SqliteDatabase } from '../src/platform/sqlite.js';
import { embeddedStorage, type EmbeddedStorage } from '../src/storage/embedded-storage.js';
import { migrateEmbeddedSchema } from '../src/storage/schema.js';
import { injectClient, TestClient, type ApiClient, type Player, type TestClientOptions } from './support/test-client.js';

/** scrypt at 2^10: the same code path as production, a thousand times cheaper, for tests only. */
export const cheapHasher = (): PasswordHasher => new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

/** Asserts a problem+json answer with this status and catalog code. */
export function expectProblem(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect({ status: response.statusCode, code: response.json<{ code: string }>().code }).toEqual({ status, code });
}

/** A fresh directory under the OS temp dir, removed when the calling test finishes. */
export function temporaryDirectory(prefix = 'll-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Global, daily, weekly and monthly on points: the boards for a test catalog that yields nothing else. */
export const POINTS_BOARDS = path.join(import.meta.dirname, 'support', 'points-boards.json');

export interface EmbeddedAppOptions {
  adminUsers?: string[];
  /** Also run the score service. @default true */
  score?: boolean;
  /** Also run the leaderboard service (needs score). @default true */
  leaderboard?: boolean;
  /** A clock the test moves; the default is Date.now. */
  now?: () => number;
  /** Token buckets; off unless given (most tests exercise rules, not buckets). */
  rateLimitUser?: RateLimitConfig;
  rateLimitIp?: RateLimitConfig;
  rateLimitServer?: RateLimitConfig;
  /** Login buckets, per minute as in the environment; off unless given. */
  loginRateLimitUser?: { perMin: number; burst: number };
  loginRateLimitIp?: { perMin: number; burst: number };
  /** An action catalog of the test's own. */
  catalogPath?: string;
  /**
   * A board file of the test's own. @default the shipped boards, or — with a catalog of the
   * test's own, which yields points only — `test/support/points-boards.json`
   */
  boardConfig?: string;
  /** An existing data dir, to restart on the same storage. */
  dataDir?: string;
  /** `TRUST_PROXY`. */
  trustProxy?: string;
  /** `CORS_ORIGINS`. */
  corsOrigins?: string;
  /** Also run the realtime service (tests hand it sockets: `realtime.accept`), with these options. */
  realtime?: RealtimeOptions;
  /** `WEBHOOK_URLS` and `WEBHOOK_SECRET`, and shorter polling, retries and timeouts. */
  webhooks?: { urls: readonly string[]; secret: string; timings?: WebhookTimings };
}

export interface EmbeddedApp extends Composed<EmbeddedStorage> {
  dataDir: string;
  /** The storage set's parts tests look into. */
  db: EmbeddedStorage['db'];
  bus: EmbeddedStorage['bus'];
  bans: EmbeddedStorage['bans'];
  audit: EmbeddedStorage['audit'];
  /** The player's API over `app.inject` (`test/support/test-client.ts`). */
  client: ApiClient<LightMyRequestResponse>;
  /** Registers `username` (unless it exists) and logs in: its user id and a fresh session. */
  player: (username: string) => Promise<Player>;
  /** `times` clicks as `token`, each answered 201, then `settled()`. */
  click: (token: string, times?: number) => Promise<void>;
  /** Resolves once the leaderboard has applied everything committed and published its changes. */
  settled: () => Promise<void>;
}

/**
 * An in-process app on embedded storage in a temp dir, composed by the same `compose`
 * and `embeddedStorage` as the real server, for `app.inject` tests. Closed when the test ends.
 */
export async function embeddedApp(options: EmbeddedAppOptions = {}): Promise<EmbeddedApp> {
  const dataDir = options.dataDir ?? temporaryDirectory();
  const services = [
    'auth',
    ...(options.score === false ? [] : ['score']),
    ...(options.score === false || options.leaderboard === false ? [] : ['leaderboard']),
    ...(options.realtime ? ['realtime'] : []),
  ];
  const limit = (prefix: string, limit: RateLimitConfig = { perSec: 0, burst: 0 }) => ({
    [`${prefix}_PER_SEC`]: String(limit.perSec),
    [`${prefix}_BURST`]: String(limit.burst),
  });
  const config = loadConfig({
    DATA_DIR: dataDir,
    SERVICES: services.join(','),
    ADMIN_USERS: (options.adminUsers ?? []).join(','),
    ACTION_CATALOG: options.catalogPath,
    BOARD_CONFIG: options.boardConfig ?? (options.catalogPath === undefined ? undefined : POINTS_BOARDS),
    ...limit('RATE_LIMIT_USER', options.rateLimitUser),
    ...limit('RATE_LIMIT_IP', options.rateLimitIp),
    ...limit('RATE_LIMIT_SERVER', options.rateLimitServer),
    LOGIN_RATE_LIMIT_USER_PER_MIN: String(options.loginRateLimitUser?.perMin ?? 0),
    LOGIN_RATE_LIMIT_USER_BURST: String(options.loginRateLimitUser?.burst ?? 0),
    LOGIN_RATE_LIMIT_IP_PER_MIN: String(options.loginRateLimitIp?.perMin ?? 0),
    LOGIN_RATE_LIMIT_IP_BURST: String(options.loginRateLimitIp?.burst ?? 0),
    TRUST_PROXY: options.trustProxy,
    CORS_ORIGINS: options.corsOrigins,
    WEBHOOK_URLS: options.webhooks?.urls.join(','),
    WEBHOOK_SECRET: options.webhooks?.secret,
  });
  const composed = await compose(config, embeddedStorage, {
    logger: pino({ level: 'silent' }),
    passwordHasher: cheapHasher(),
    now: options.now,
    webhooks: options.webhooks?.timings,
    realtime: options.realtime,
  });
  const { app, storage } = composed;
  onTestFinished(() => composed.close());

  const client = injectClient(app);
  const settled = async (): Promise<void> => {
    for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
    await composed.leaderboard?.flush();
  };
  const click = async (token: string, times = 1): Promise<void> => {
    for (let i = 0; i < times; i += 1) expect((await client.act(token)).statusCode).toBe(201);
    await settled();
  };
  return { ...composed, db: storage.db, bus: storage.bus, bans: storage.bans, audit: storage.audit, dataDir, client, player: (username) => client.player(username), click, settled };
}

/** An in-process app running only the embedded auth service. */
export async function embeddedAuthApp(options: { adminUsers?: string[] } = {}): Promise<FastifyInstance> {
  return (await embeddedApp({ ...options, score: false })).app;
}

/** The client of a listening server (`test/support/test-client.ts`); its WebSockets end with the test. */
export function testClient(url: string, options: TestClientOptions = {}): TestClient {
  const client = new TestClient(url, options);
  onTestFinished(() => client.close());
  return client;
}

/** A SQLite file in a temp dir at the current schema (`migrateEmbeddedSchema`), closed when the test ends. */
export function embeddedDatabase(): SqliteDatabase {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'test.db'));
  onTestFinished(() => void db.close());
  migrateEmbeddedSchema(db);
  return db;
}

/** A SQLite file in a temp dir with one table `t (x INTEGER)`, opened as `DURABILITY` says; closed when the test ends. */
export function scratchDatabase(durability: Durability = 'fsync'): SqliteDatabase {
  const db = openSqliteDatabase(path.join(temporaryDirectory(), 'test.db'), durability);
  onTestFinished(() => void db.close());
  db.exec('CREATE TABLE t (x INTEGER)');
  return db;
}
