import { describe, expect, it } from 'vitest';
import { embeddedApp, temporaryDirectory } from './helpers.js';
import { freshDatabase, postgresAvailable, REDIS_URL, redisAvailable } from './infrastructure.js';
import { eventually, runProgram } from './process.js';
import { compose } from '../src/compose.js';
import { loadConfig } from '../src/platform/config.js';
import { distributedStorage } from '../src/storage/distributed-storage.js';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';

/** Runs `npm run credentials`'s program (from source). */
const credentials = (env: Record<string, string>, ...args: string[]) => runProgram('credentials.ts', args, env);

/** The secret `create` printed on its own line. */
const secretOf = (stdout: string): string => stdout.split('\n').find((line) => line.startsWith('llb_sk_')) ?? '';

describe('npm run credentials', () => {
  it('creates, lists and revokes credentials in DATA_DIR beside a running server, which follows at once', { timeout: 60_000 }, async () => {
    const dataDir = temporaryDirectory();
    const server = await embeddedApp({ dataDir });
    const env = { DATA_DIR: dataDir };

    const empty = await credentials(env, 'list');
    expect(empty).toMatchObject({ code: 0 });
    expect(empty.stdout).toMatch(/no server credentials yet/);

    const created = await credentials(env, 'create', 'tournament');
    expect(created.code).toBe(0);
    const secret = secretOf(created.stdout);
    expect(secret).toMatch(/^llb_sk_[A-Za-z0-9_-]{43}$/);
    expect(await server.credentials.authenticate(secret)).toEqual({ name: 'tournament' });
    expect((await credentials(env, 'list')).stdout).toMatch(/^tournament {2}created \S+ {2}last used never$/m);

    const taken = await credentials(env, 'create', 'tournament');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/exists/);

    expect((await credentials(env, 'revoke', 'tournament')).code).toBe(0);
    expect(await server.credentials.authenticate(secret)).toBeUndefined();
    expect((await credentials(env, 'revoke', 'tournament')).code).toBe(1);
  });

  it('refuses a bad command or name with its usage, changing nothing', { timeout: 30_000 }, async () => {
    const env = { DATA_DIR: temporaryDirectory() };
    for (const args of [[], ['make', 'x'], ['create'], ['create', 'Bad Name'], ['list', 'extra'], ['revoke', 'a', 'b']]) {
      const run = await credentials(env, ...args);
      expect(run.code, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(/usage: npm run credentials/);
    }
    expect((await credentials(env, 'list')).stdout).toMatch(/no server credentials yet/);
  });

  it.runIf(postgresAvailable && redisAvailable)('does the same on PostgreSQL, telling running nodes over Redis', { timeout: 60_000 }, async () => {
    const env = { DATABASE_URL: await freshDatabase(), REDIS_URL, REDIS_KEY_PREFIX: `creds${Date.now()}` };
    const node = await compose(loadConfig({ ...env, SERVICES: 'auth' }), distributedStorage, { logger: pino({ level: 'silent' }) });
    onTestFinished(() => node.close());
    const secret = secretOf((await credentials(env, 'create', 'arena')).stdout);
    // A hash this node never saw is asked of the database.
    expect(await node.credentials.authenticate(secret)).toEqual({ name: 'arena' });
    // Told, and nothing else said (no log line of a subscription the program never needed).
    expect(await credentials(env, 'revoke', 'arena')).toEqual({ code: 0, stdout: 'revoked "arena": its secret works no more\n', stderr: '' });
    // The node had it cached: the revocation reaches it over Redis pub/sub.
    await eventually(async () => expect(await node.credentials.authenticate(secret)).toBeUndefined(), 3_000);
  });
});
