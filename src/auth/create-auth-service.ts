import type { Service } from '../platform/service.js';
import { applySqliteMigrations, type SqliteDatabase } from '../platform/sqlite.js';
import { AuthService } from './auth-service.js';
import type { KeyStore } from './key-store.js';
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
  /** @default Date.now */
  now?: () => number;
}

export type EmbeddedAuthDeps = Omit<AuthDeps, 'users' | 'refreshTokens'> & { db: SqliteDatabase };

/** The auth service on embedded storage: migrates its tables and wires its routes. */
export async function createEmbeddedAuthService({ db, ...deps }: EmbeddedAuthDeps): Promise<Service> {
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  return createAuthService({ ...deps, users: new SqliteUserStore(db), refreshTokens: new SqliteRefreshTokenStore(db) });
}

/** The auth service on whatever stores the composition root picked. */
export async function createAuthService({ users, refreshTokens, keys, verifier, adminUsers, hasher, now }: AuthDeps): Promise<Service> {
  // Generate the signing key at start, not on the first login, so a fresh node's JWKS is never empty.
  await keys.activeSigningKey();
  const auth = new AuthService({
    users,
    refreshTokens,
    issuer: new TokenIssuer(keys, { now }),
    hasher: hasher ?? new PasswordHasher(),
    adminUsers,
    now,
  });
  return {
    name: 'auth',
    registerRoutes: (app) => registerAuthRoutes(app, { auth, verifier, keys }),
  };
}
