import type { Service } from '../platform/service.js';
import { applySqliteMigrations, type SqliteDatabase } from '../platform/sqlite.js';
import { AuthService } from './auth-service.js';
import type { KeyStore } from './key-store.js';
import { PasswordHasher } from './password-hasher.js';
import { registerAuthRoutes } from './routes.js';
import { AUTH_SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { SqliteRefreshTokenStore } from './sqlite-refresh-token-store.js';
import { SqliteUserStore } from './sqlite-user-store.js';
import { TokenIssuer } from './token-issuer.js';
import type { TokenVerifier } from './token-verifier.js';

export interface EmbeddedAuthDeps {
  db: SqliteDatabase;
  keys: KeyStore;
  verifier: TokenVerifier;
  adminUsers: ReadonlySet<string>;
  /** Tests pass a cheap one; production uses the default scrypt cost. */
  hasher?: PasswordHasher;
  /** @default Date.now */
  now?: () => number;
}

/** The auth service on embedded storage: migrates its tables and wires its routes. */
export async function createEmbeddedAuthService({ db, keys, verifier, adminUsers, hasher, now }: EmbeddedAuthDeps): Promise<Service> {
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  // Generate the signing key at start, not on the first login, so a fresh node's JWKS is never empty.
  await keys.activeSigningKey();
  const auth = new AuthService({
    users: new SqliteUserStore(db),
    refreshTokens: new SqliteRefreshTokenStore(db),
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
