import { randomBytes } from 'node:crypto';
import { describe, expect, it, onTestFinished } from 'vitest';
import { anotherPostgresProcess, POSTGRES_URL, postgresAvailable, postgresTestPool, present } from '../../test/infrastructure.js';
import { applyPostgresMigrations, createPostgresPool, quoteIdentifier } from '../platform/postgres.js';
import { AUTH_POSTGRES_MIGRATIONS } from './postgres-migrations.js';

// Only a connection to make schemas with: the test migrates schemas of its own.
const pool = postgresAvailable ? await postgresTestPool() : undefined;

describe.skipIf(!pool)('PostgreSQL migrations', () => {
  it('applies migrations once when two processes migrate a fresh schema at once', async () => {
    const admin = present(pool);
    const schema = `t_${randomBytes(6).toString('hex')}`;
    await admin.query(`CREATE SCHEMA ${quoteIdentifier(schema)}`);
    onTestFinished(async () => {
      await admin.query(`DROP SCHEMA ${quoteIdentifier(schema)} CASCADE`);
    });
    const first = createPostgresPool(POSTGRES_URL, { schema, max: 1 });
    onTestFinished(() => first.end());
    const second = await anotherPostgresProcess(first);

    await Promise.all([first, second].map((on) => applyPostgresMigrations(on, 'auth', AUTH_POSTGRES_MIGRATIONS)));

    const { rows } = await first.query('SELECT component, version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual(AUTH_POSTGRES_MIGRATIONS.map(({ version }) => ({ component: 'auth', version })));
  });
});
