import type { Registry } from 'prom-client';
import type { RateLimitConfig } from '../platform/config.js';
import type { Service } from '../platform/service.js';
import { applySqliteMigrations, type SqliteDatabase } from '../platform/sqlite.js';
import { InMemoryRateLimiter } from '../platform/in-memory-rate-limiter.js';
import type { RateLimiter } from '../platform/rate-limiter.js';
import { AuthService } from './auth-service.js';
import type { KeyStore } from './key-store.js';
import { LoginLimiter } from './login-limiter.js';
import type { RefreshTokenStore } from './refresh-token-store.js';
import type { UserStore } from './user-store.js';
import { PasswordHasher } from './password-hasher.js';
import { registerAuthRoutes } from './routes.js';
import { AUTH_SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import { TokenIssuer } from './token-issuer.js';
import type { TokenVerifier } from './token-verifier.js';

export interface AuthDeps {
  users: UserStore;
  refreshTokens: RefreshTokenStore;
  keys: KeyStore;
  verifier: TokenVerifier;
  adminUsers: ReadonlySet<string>;
  /** Tests pass a cheap one; production uses the default scrypt cost. */
  hasher?: PasswordHasher;
  /** Builds a token bucket set for one limit: in-process (embedded) or shared in Redis. */
  rateLimiter: (limit: RateLimitConfig) => RateLimiter;
  /** Login attempts per username; `perSec` or `burst` 0 turns it off. */
  loginRateLimitUser: RateLimitConfig;
  /** Login attempts per client IP; `perSec` or `burst` 0 turns it off. */
  loginRateLimitIp: RateLimitConfig;
  metrics?: Registry;
  /** @default Date.now */
  now?: () => number;
}

export type EmbeddedAuthDeps = Omit<AuthDeps, 'users' | 'refreshTokens' | 'rateLimiter'> & { db: SqliteDatabase };

/** The auth service on embedded storage: migrates its tables, in-process login buckets, its routes. */
export async function createEmbeddedAuthService({ db, ...deps }: EmbeddedAuthDeps): Promise<Service> {
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  return createAuthService({
    ...deps,
    users: new SqliteUserStore(db),
    refreshTokens: new SqliteRefreshTokenStore(db),
    rateLimiter: (limit) => new InMemoryRateLimiter({ ...limit, now: deps.now }),
  });
}

/** The auth service on whatever stores and buckets the composition root picked. */
export async function createAuthService({ users, refreshTokens, keys, verifier, adminUsers, hasher, now, ...deps }: AuthDeps): Promise<Service> {
  // Generate the signing key at start, not on the first login, so a fresh node's JWKS is never empty.
  await keys.activeSigningKey();
  const limiter = (limit: RateLimitConfig) => (limit.perSec > 0 && limit.burst > 0 ? deps.rateLimiter(limit) : undefined);
  const loginLimiter = new LoginLimiter({ user: limiter(deps.loginRateLimitUser), ip: limiter(deps.loginRateLimitIp), metrics: deps.metrics });
  const auth = new AuthService({
    users,
    refreshTokens,
    issuer: new TokenIssuer(keys, { now }),
    hasher: hasher ?? new PasswordHasher(),
    loginLimiter,
    adminUsers,
    now,
  });
  return {
    name: 'auth',
    registerRoutes: (app) => registerAuthRoutes(app, { auth, verifier, keys }),
    stop: () => loginLimiter.close(),
  };
}
