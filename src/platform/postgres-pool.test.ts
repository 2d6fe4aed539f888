import { describe, expect, it, onTestFinished } from 'vitest';
import { POSTGRES_URL, postgresAvailable } from '../../test/infrastructure.js';
import { createPostgresPool } from './postgres.js';

describe.skipIf(!postgresAvailable)('createPostgresPool', () => {
  it.each([
    ['fsync', 'on'],
    ['os', 'off'],
  ] as const)('with DURABILITY=%s runs its sessions with synchronous_commit %s', async (durability, setting) => {
    const pool = createPostgresPool(POSTGRES_URL, { max: 1, durability, schema: 'public' });
    onTestFinished(() => pool.end());
    const { rows } = await pool.query<{ synchronous_commit: string }>('SHOW synchronous_commit');
    expect(rows[0]?.synchronous_commit).toBe(setting);
    // Both settings travel in one startup `options` string: the schema still applies.
    const { rows: path } = await pool.query<{ search_path: string }>('SHOW search_path');
    expect(path[0]?.search_path).toMatch(/public/);
  });
});
