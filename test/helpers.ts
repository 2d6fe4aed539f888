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
import { openSqliteDatabase, type SqliteDatabase } from '../src/platform/sqlite.js';
import { createEmbeddedScoreService } from '../src/score/create-score-service.js';
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
}

export interface EmbeddedApp {
  app: FastifyInstance;
  db: SqliteDatabase;
  bus: InProcessEventBus;
  score: ScoreService | undefined;
  bans: BanList | undefined;
  audit: AuditLog | undefined;
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
  const dataDir = temporaryDirectory();
  const logger = pino({ level: 'silent' });
  const db = openSqliteDatabase(path.join(dataDir, 'test.db'));
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
        });
  if (score) services.push(score);
  const app = await createApp({ logger, metrics, services });
  onTestFinished(async () => {
    await app.close();
    for (const service of [...services].reverse()) await service.stop?.();
    db.close();
  });

  const player = async (username: string): Promise<{ userId: string; token: string }> => {
    const credentials = { username, password: 'password-123' };
    await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: credentials });
    const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: credentials });
    const token = login.json<{ accessToken: string }>().accessToken;
    const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    return { userId: me.json<{ id: string }>().id, token };
  };
  return { app, db, bus, score: score?.score, bans: score?.bans, audit: score?.audit, player };
}

/** An in-process app running only the embedded auth service. */
export async function embeddedAuthApp(options: { adminUsers?: string[] } = {}): Promise<FastifyInstance> {
  return (await embeddedApp({ ...options, score: false })).app;
}
