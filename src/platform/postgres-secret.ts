import { randomBytes } from 'node:crypto';
import type { PostgresMigration, PostgresPool } from './postgres.js';

/**
 * Tables every distributed process may need whatever services it runs (component
 * `platform`), so a score-only process can share secrets without the auth tables.
 */
export const PLATFORM_POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'shared secrets',
    sql: `
      CREATE TABLE secrets (
        name TEXT PRIMARY KEY,
        -- base64url, as the embedded secret files hold it.
        value TEXT NOT NULL
      );
    `,
  },
];

/**
 * The 256-bit secret called `name`, generated on first use and shared by every process on
 * the database — the distributed twin of `loadOrCreateSecret`. Expects
 * `PLATFORM_POSTGRES_MIGRATIONS` applied.
 */
export async function loadOrCreatePostgresSecret(pool: PostgresPool, name: string): Promise<Buffer> {
  // Processes starting at once each offer a value; the primary key lets exactly one in.
  await pool.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  // A separate statement, so it reads the winner's value even if that committed after our INSERT began.
  const { rows } = await pool.query<{ value: string }>('SELECT value FROM secrets WHERE name = $1', [name]);
  const row = rows[0];
  if (!row) throw new Error(`secret ${name} missing right after it was inserted`);
  return Buffer.from(row.value, 'base64url');
}
