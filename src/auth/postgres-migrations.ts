import type { PostgresMigration } from '../platform/postgres.js';

/** The auth service's tables in the shared PostgreSQL database (distributed mode). */
export const AUTH_POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'users, refresh-token families and signing keys',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        -- Named, because PostgresUserStore tells a taken name from other violations by it.
        CONSTRAINT users_username_key_unique UNIQUE (username_key)
      );
      CREATE TABLE refresh_token_families (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        revoked_at TIMESTAMPTZ
      );
      CREATE TABLE refresh_tokens (
        token_hash TEXT PRIMARY KEY,
        family_id TEXT NOT NULL REFERENCES refresh_token_families (id),
        user_id TEXT NOT NULL,
        expires_at TIMESTAMPTZ NOT NULL,
        spent_at TIMESTAMPTZ
      );
      CREATE INDEX refresh_tokens_by_family ON refresh_tokens (family_id);
      CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        private_jwk JSONB NOT NULL,
        public_jwk JSONB NOT NULL,
        created_at TIMESTAMPTZ NOT NULL,
        -- TRUE on the one key that signs, NULL on retired ones: the unique constraint admits a
        -- single TRUE, so auth processes starting at once settle on one key by ON CONFLICT alone.
        active BOOLEAN UNIQUE CHECK (active)
      );
    `,
  },
];
