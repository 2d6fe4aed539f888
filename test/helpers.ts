import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { createApp } from '../src/app.js';
import { createEmbeddedAuthService } from '../src/auth/create-auth-service.js';
import { FileKeyStore } from '../src/auth/file-key-store.js';
import { keyStoreResolver } from '../src/auth/key-resolvers.js';
import { PasswordHasher } from '../src/auth/password-hasher.js';
import { TokenVerifier } from '../src/auth/token-verifier.js';
import type { RateLimitConfig } from '../src/platform/config.js';
import { InProcessEventBus } from '../src/platform/in-process-event-bus.js';
import { createMetricsRegistry } from '../src/platform/metrics.js';
import type { Service } from '../src/platform/service.js';
import { applySqliteMigrations, openSqliteDatabase, type SqliteDatabase } from '../src/platform/sqlite.js';
import { AUTH_SQLITE_MIGRATIONS } from '../src/auth/sqlite-migrations.js';
import { createEmbeddedLeaderboardService } from '../src/leaderboard/create-leaderboard-service.js';
import type { LeaderboardService } from '../src/leaderboard/leaderboard-service.js';
import { createEmbeddedScoreService } from '../src/score/create-score-service.js';
import { SqliteAuditLog } from '../src/score/sqlite-audit-log.js';
import { SqliteBanList } from '../src/score/sqlite-ban-list.js';
import { SCORE_SQLITE_MIGRATIONS } from '../src/score/sqlite-migrations.js';
import type { AuditLog } from '../src/score/audit-log.js';
import type { BanList } from '../src/score/ban-list.js';
import type { ScoreService } from '../src/score/score-service.js';

/** scrypt at 2^10: the same code path as production, a thousand times cheaper, for tests only. */
export const cheapHasher = (): PasswordHasher => new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 });

/** A fresh directory under the OS temp dir, removed when the calling test finishes. */
export function temporaryDirectory(prefix = 'll-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface EmbeddedAppOptions {
  adminUsers?: string[];
  /** Also run the score service. @default true */
  score?: boolean;
  /** A clock the test moves; the default is Date.now. */
  now?: () => number;
  rateLimitUser?: RateLimitConfig;
  rateLimitIp?: RateLimitConfig;
  catalogPath?: string;
  /** Also run the leaderboard service (needs score). @default true */
  leaderboard?: boolean;
  /** An existing data dir, to restart on the same storage. */
  dataDir?: string;
}

export interface EmbeddedApp {
  app: FastifyInstance;
  db: SqliteDatabase;
  bus: InProcessEventBus;
  score: ScoreService | undefined;
  leaderboard: LeaderboardService | undefined;
  bans: BanList;
  audit: AuditLog;
  dataDir: string;
  /** Stops everything (also done when the test finishes). */
  close: () => Promise<void>;
  /** Registers `username` (unless it exists) and answers its user id and a fresh access token. */
  player: (username: string) => Promise<{ userId: string; token: string }>;
}

/** Rate limits off: most tests exercise rules, not buckets. */
export const NO_RATE_LIMIT: RateLimitConfig = { perSec: 0, burst: 0 };

/**
 * An in-process app on embedded storage in a temp dir (auth, and score unless told
 * otherwise), composed the way `main.ts` composes it, for `app.inject` tests.
 */
export async function embeddedApp(options: EmbeddedAppOptions = {}): Promise<EmbeddedApp> {
  const dataDir = options.dataDir ?? temporaryDirectory();
  const logger = pino({ level: 'silent' });
  const db = openSqliteDatabase(path.join(dataDir, 'test.db'));
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
  const bans = new SqliteBanList(db);
  const audit = new SqliteAuditLog(db);
  const keys = new FileKeyStore(path.join(dataDir, 'signing-keys.json'));
  const verifier = new TokenVerifier(keyStoreResolver(keys), { now: options.now });
  const bus = new InProcessEventBus(logger);
  const metrics = createMetricsRegistry();
  const services: Service[] = [
    await createEmbeddedAuthService({
      db,
      keys,
      verifier,
      adminUsers: new Set((options.adminUsers ?? []).map((name) => name.toLowerCase())),
      hasher: cheapHasher(),
      now: options.now,
    }),
  ];
  const score =
    options.score === false
      ? undefined
      : createEmbeddedScoreService({
          db,
          dataDir,
          bus,
          verifier,
          metrics,
          logger,
          catalogPath: options.catalogPath,
          rateLimitUser: options.rateLimitUser ?? NO_RATE_LIMIT,
          rateLimitIp: options.rateLimitIp ?? NO_RATE_LIMIT,
          now: options.now,
          bans,
          audit,
        });
  if (score) services.push(score);
  const leaderboard =
    score && options.leaderboard !== false
      ? await createEmbeddedLeaderboardService({ db, bus, verifier, bans, audit, now: options.now })
      : undefined;
  if (leaderboard) services.push(leaderboard);
  const app = await createApp({ logger, metrics, services });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      await app.close();
      for (const service of [...services].reverse()) await service.stop?.();
      await audit.close();
      db.close();
    })());
  onTestFinished(close);

  const player = async (username: string): Promise<{ userId: string; token: string }> => {
    const credentials = { username, password: 'password-123' };
    await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: credentials });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: credentials });
    const token = login.json<{ accessToken: string }>().accessToken;
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    return { userId: me.json<{ id: string }>().id, token };
  };
  return { app, db, bus, score: score?.score, leaderboard: leaderboard?.leaderboard, bans, audit, dataDir, close, player };
}

/** An in-process app running only the embedded auth service. */
export async function embeddedAuthApp(options: { adminUsers?: string[] } = {}): Promise<FastifyInstance> {
  return (await embeddedApp({ ...options, score: false })).app;
}
