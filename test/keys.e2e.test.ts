import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUTH_POSTGRES_MIGRATIONS } from '../src/auth/postgres-migrations.js';
import { DATA_DIR_FILE_NAMES } from '../src/storage/data-dir.js';
import { applyPostgresMigrations, createPostgresPool } from '../src/platform/postgres.js';
import { temporaryDirectory } from './helpers.js';
import { freshDatabase, postgresAvailable } from './infrastructure.js';
import { runProgram } from './process.js';

/** Runs `npm run keys`'s program (from source). */
const keys = (env: Record<string, string>, ...args: string[]) => runProgram('keys.ts', args, env);

/** The kids `list` prints, the signing one first. */
function listed(stdout: string): { active: string | undefined; others: string[] } {
  const lines = stdout.trimEnd().split('\n').filter((line) => /^[* ] \S+$/.test(line));
  return { active: lines.find((line) => line.startsWith('* '))?.slice(2), others: lines.filter((line) => line.startsWith('  ')).map((line) => line.slice(2)) };
}

async function rotateAndRetire(env: Record<string, string>): Promise<void> {
  const empty = await keys(env, 'list');
  expect(empty.code).toBe(0);
  expect(empty.stdout).toMatch(/no keys in .* yet/);

  const first = await keys(env, 'rotate');
  expect(first.code).toBe(0);
  const k1 = /: (\S+) signs from now on/.exec(first.stdout)?.[1];
  const second = await keys(env, 'rotate');
  const k2 = /: (\S+) signs from now on/.exec(second.stdout)?.[1];
  expect(k1).toBeDefined();
  expect(k2).not.toBe(k1);
  expect(listed((await keys(env, 'list')).stdout)).toEqual({ active: k2, others: [k1] });

  // k1 was replaced a moment ago: tokens it signed may still be valid, so a routine retire keeps it…
  expect((await keys(env, 'retire')).stdout).toMatch(/^nothing to retire/);
  // …and an emergency one drops it.
  const now = await keys(env, 'retire', '--now');
  expect(now.stdout).toContain(`retired from`);
  expect(now.stdout).toContain(k1 as string);
  expect(listed(now.stdout)).toEqual({ active: k2, others: [] });
}

describe('npm run keys', () => {
  it('lists, rotates and retires the embedded signing keys in DATA_DIR', { timeout: 60_000 }, async () => {
    const dataDir = temporaryDirectory();
    await rotateAndRetire({ DATA_DIR: dataDir });
    expect(fs.statSync(path.join(dataDir, DATA_DIR_FILE_NAMES.signingKeys)).mode & 0o077).toBe(0);
  });

  it.runIf(postgresAvailable)('does the same on PostgreSQL when DATABASE_URL is set', { timeout: 60_000 }, async () => {
    const url = await freshDatabase();
    const pool = createPostgresPool(url);
    await applyPostgresMigrations(pool, 'auth', AUTH_POSTGRES_MIGRATIONS);
    await pool.end();
    await rotateAndRetire({ DATABASE_URL: url, REDIS_URL: 'redis://127.0.0.1:6379' });
  });

  it('refuses an unknown command with its usage, changing nothing', async () => {
    const dataDir = temporaryDirectory();
    for (const args of [[], ['delete'], ['rotate', '--now'], ['retire', '--force']]) {
      const refused = await keys({ DATA_DIR: dataDir }, ...args);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toBe('live-leaderboard keys: usage: npm run keys -- list | rotate | retire [--now]\n');
    }
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
