import type { Registry } from 'prom-client';
import type { RateLimitConfig } from '../platform/config.js';
import type { Service } from '../platform/service.js';
import type { RateLimiter } from '../platform/rate-limiter.js';
import { AuthService } from './auth-service.js';
import type { KeyStore } from './key-store.js';
import { LoginLimiter } from './login-limiter.js';
import type { RefreshTokenStore } from './refresh-token-store.js';
import type { UserStore } from './user-store.js';
import { PasswordHasher } from './password-hasher.js';
import { registerAuthRoutes } from './routes.js';
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

/** The auth service on the stores and buckets the storage set gives: its routes and login limits. */
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
