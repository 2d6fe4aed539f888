import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { anotherPostgresProcess, POSTGRES_URL, postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { applyPostgresMigrations, createPostgresPool, quoteIdentifier, type PostgresPool } from '../platform/postgres.js';
import { describeKeyStore } from './key-store.contract.js';
import { AUTH_POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { PostgresKeyStore } from './postgres-key-store.js';
import { PostgresRefreshTokenStore } from './postgres-refresh-token-store.js';
import { PostgresUserStore } from './postgres-user-store.js';
import { describeRefreshTokenStore } from './refresh-token-store.contract.js';
import { describeUserStore } from './user-store.contract.js';

// One schema for the whole file, migrated once; only when there is a server to make it on.
const pool = postgresAvailable ? await postgresTestPool() : undefined;
if (pool) await applyPostgresMigrations(pool, 'auth', AUTH_POSTGRES_MIGRATIONS);

/**
 * The file's pool with every auth table emptied: a fresh store per test for the price of one
 * TRUNCATE instead of a schema and its migrations. Tests in a file run one at a time.
 */
async function emptyTables(): Promise<PostgresPool> {
  if (!pool) throw new Error('PostgreSQL is unreachable; these suites should have been skipped');
  await pool.query('TRUNCATE users, refresh_token_families, refresh_tokens, signing_keys');
  return pool;
}

function userAdder(on: PostgresPool): () => Promise<string> {
  const users = new PostgresUserStore(on);
  return async () => {
    const id = randomUUID();
    await users.create({ id, username: `u${id.slice(0, 8)}`, passwordHash: 'x', createdAt: new Date() });
    return id;
  };
}

describe.skipIf(!postgresAvailable)('PostgreSQL auth stores', () => {
  describeUserStore('PostgreSQL', async () => new PostgresUserStore(await emptyTables()));

  describeRefreshTokenStore('PostgreSQL', async () => {
    const db = await emptyTables();
    return { store: new PostgresRefreshTokenStore(db), addUser: userAdder(db) };
  });

  describeKeyStore('PostgreSQL', async () => {
    const db = await emptyTables();
    return { store: new PostgresKeyStore(db), reopen: () => new PostgresKeyStore(db) };
  });

  describe('across processes', () => {
    it('lets exactly one of two processes spend a refresh token, and counts the other as reuse', async () => {
      const db = await emptyTables();
      const other = await anotherPostgresProcess(db);
      const userId = await userAdder(db)();
      const familyId = randomUUID();
      const now = new Date();
      await new PostgresRefreshTokenStore(db).add({ tokenHash: 'hash-raced', familyId, userId, expiresAt: new Date(now.getTime() + 60_000) });

      const stores = [new PostgresRefreshTokenStore(db), new PostgresRefreshTokenStore(other)];
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]!.spend('hash-raced', now)));

      expect(results.filter((result) => result.outcome === 'spent')).toHaveLength(1);
      // Every loser saw a spent token: one of them revoked the family, the rest found it revoked.
      expect(results.filter((result) => result.outcome === 'reused')).toEqual([{ outcome: 'reused', familyId }]);
      const { rows } = await db.query<{ revoked_at: Date | null }>('SELECT revoked_at FROM refresh_token_families WHERE id = $1', [familyId]);
      expect(rows[0]?.revoked_at).toBeInstanceOf(Date);
    });

    it('settles processes starting on an empty key table on one signing key', async () => {
      const db = await emptyTables();
      const other = await anotherPostgresProcess(db);
      const stores = [db, other, db, other].map((on) => new PostgresKeyStore(on));

      const keys = await Promise.all(stores.map((store) => store.activeSigningKey()));

      expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
      expect(await new PostgresKeyStore(other).publicKeys()).toEqual([keys[0]?.publicJwk]);
    });

    it('applies migrations once when two processes migrate a fresh schema at once', async () => {
      if (!pool) throw new Error('unreachable: skipped without PostgreSQL');
      const schema = `t_${randomBytes(6).toString('hex')}`;
      await pool.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
      onTestFinished(async () => {
        await pool.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
      });
      const first = createPostgresPool(POSTGRES_URL, { schema, max: 1 });
      onTestFinished(() => first.end());
      const second = await anotherPostgresProcess(first);

      await Promise.all([first, second].map((on) => applyPostgresMigrations(on, 'auth', AUTH_POSTGRES_MIGRATIONS)));

      const { rows } = await first.query('SELECT component, version FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(AUTH_POSTGRES_MIGRATIONS.map(({ version }) => ({ component: 'auth', version })));
    });
  });
});
