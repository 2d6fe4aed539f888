import { describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, postgresTestPool } from '../../test/infrastructure.js';
import { applyPostgresMigrations, createPostgresPool } from './postgres.js';
import { loadOrCreatePostgresSecret, PLATFORM_POSTGRES_MIGRATIONS } from './postgres-secret.js';

const pool = postgresAvailable ? await postgresTestPool() : undefined;
if (pool) await applyPostgresMigrations(pool, 'platform', PLATFORM_POSTGRES_MIGRATIONS);

describe.skipIf(!postgresAvailable)('loadOrCreatePostgresSecret', () => {
  it('creates a 256-bit secret once and returns it on every later call', async () => {
    if (!pool) throw new Error('unreachable: skipped without PostgreSQL');
    const first = await loadOrCreatePostgresSecret(pool, 'ticket-hmac');
    expect(first).toHaveLength(32);
    expect(await loadOrCreatePostgresSecret(pool, 'ticket-hmac')).toEqual(first);
    expect(await loadOrCreatePostgresSecret(pool, 'other-hmac')).not.toEqual(first);
  });

  it('gives processes racing to create it the same bytes', async () => {
    if (!pool) throw new Error('unreachable: skipped without PostgreSQL');
    const { rows } = await pool.query<{ schema: string }>('SELECT current_schema() AS schema');
    const other = createPostgresPool(POSTGRES_URL, { schema: rows[0]?.schema ?? 'public', max: 4 });
    try {
      const secrets = await Promise.all(Array.from({ length: 8 }, (_, i) => loadOrCreatePostgresSecret(i % 2 === 0 ? pool : other, 'raced')));
      expect(new Set(secrets.map((secret) => secret.toString('hex'))).size).toBe(1);
    } finally {
      await other.end();
    }
  });
});
