import { AUTH_POSTGRES_MIGRATIONS } from '../auth/postgres-migrations.js';
import { AUTH_SQLITE_MIGRATIONS } from '../auth/sqlite-migrations.js';
import { LEADERBOARD_POSTGRES_MIGRATIONS } from '../leaderboard/postgres-migrations.js';
import { LEADERBOARD_SQLITE_MIGRATIONS } from '../leaderboard/sqlite-migrations.js';
import { MODERATION_POSTGRES_MIGRATIONS } from '../moderation/postgres-migrations.js';
import { MODERATION_SQLITE_MIGRATIONS } from '../moderation/sqlite-migrations.js';
import { applyPostgresMigrations, type PostgresPool } from '../platform/postgres.js';
import { PLATFORM_POSTGRES_MIGRATIONS } from '../platform/postgres-secret.js';
import { applySqliteMigrations, type SqliteDatabase } from '../platform/sqlite.js';
import { SCORE_POSTGRES_MIGRATIONS } from '../score/postgres-migrations.js';
import { SCORE_SQLITE_MIGRATIONS } from '../score/sqlite-migrations.js';

/*
 * Each service declares the steps of its own tables; these two apply all of them, once per
 * start, before any adapter is built. Every process migrates every component whatever
 * SERVICES says: the one database holds them all, and a leaderboard-only node still reads
 * users and totals through the auth and score ports.
 *
 * The moderation service's first tables (banned_users, audit_log) were created by the score
 * component's first steps, and shipped steps never change: they stay there; its later ones
 * are its own.
 */

/** Brings the embedded database to the current schema. */
export function migrateEmbeddedSchema(db: SqliteDatabase): void {
  applySqliteMigrations(db, 'auth', AUTH_SQLITE_MIGRATIONS);
  applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
  applySqliteMigrations(db, 'leaderboard', LEADERBOARD_SQLITE_MIGRATIONS);
  applySqliteMigrations(db, 'moderation', MODERATION_SQLITE_MIGRATIONS);
}

/** Brings the PostgreSQL schema to the current one; safe with several processes starting at once (advisory lock). */
export async function migratePostgresSchema(pool: PostgresPool): Promise<void> {
  await applyPostgresMigrations(pool, 'platform', PLATFORM_POSTGRES_MIGRATIONS);
  await applyPostgresMigrations(pool, 'auth', AUTH_POSTGRES_MIGRATIONS);
  await applyPostgresMigrations(pool, 'score', SCORE_POSTGRES_MIGRATIONS);
  await applyPostgresMigrations(pool, 'leaderboard', LEADERBOARD_POSTGRES_MIGRATIONS);
  await applyPostgresMigrations(pool, 'moderation', MODERATION_POSTGRES_MIGRATIONS);
}
