import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { remoteJwksResolver } from '../src/auth/key-resolvers.js';
import { TokenVerifier } from '../src/auth/token-verifier.js';
import { startServer, type RunningServer } from '../src/main.js';
import { loadConfig } from '../src/platform/config.js';
import { cheapHasher, temporaryDirectory, testClient } from './helpers.js';
import { spawnServerProcess, startServerProcess } from './process.js';

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, ...env });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), passwordHasher: cheapHasher() });
  onTestFinished(() => server.stop());
  return server;
}

describe('the started server, over real sockets', () => {
  it('serves register, login, /me and JWKS, and a remote verifier (AUTH_URL) accepts its tokens', async () => {
    const server = await start(temporaryDirectory());
    const client = testClient(server.url);
    expect((await client.register('olga')).status).toBe(201);
    const login = await client.login('olga');
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };

    const me = await client.get('/api/v1/me', accessToken);
    expect(await me.json()).toMatchObject({ username: 'olga', roles: [] });

    const remote = new TokenVerifier(remoteJwksResolver(new URL(server.url)));
    await expect(remote.verify(accessToken)).resolves.toMatchObject({ roles: [] });
    expect((await client.get('/healthz')).status).toBe(200);
  });

  it('keeps tokens and sessions valid across a restart on the same DATA_DIR', async () => {
    const dataDir = temporaryDirectory();
    const first = await start(dataDir);
    const pair = await testClient(first.url).player('pete');
    await first.stop();

    const second = testClient((await start(dataDir)).url);
    const me = await second.get('/api/v1/me', pair.token);
    expect(me.status).toBe(200);
    expect((await second.post('/api/v1/auth/refresh', { refreshToken: pair.refreshToken })).status).toBe(200);
  });
});

describe('the process', () => {
  it('stops at start with one clear line naming each bad variable', async () => {
    const child = spawnServerProcess({ PORT: 'abc', LOG_LEVEL: 'loud' });
    const code = await child.exited();
    const stderr = child.errors();
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT .*"abc"/);
    expect(lines[0]).toMatch(/LOG_LEVEL .*"loud"/);
  });

  it('stops at start with one line naming a broken action catalog', async () => {
    const child = spawnServerProcess({ PORT: '0', DATA_DIR: temporaryDirectory(), ACTION_CATALOG: '/nonexistent/actions.json' });
    const code = await child.exited();
    const stderr = child.errors();
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('/nonexistent/actions.json');
  });

  it('refuses, with one line, to start on a data dir another process is serving; a killed holder leaves no stale claim', async () => {
    const dataDir = temporaryDirectory();
    const holder = await startServerProcess({ PORT: '0', DATA_DIR: dataDir, SERVICES: 'auth' });

    // A second process on another port: its boards would silently differ from the first's.
    const second = spawnServerProcess({ PORT: '0', DATA_DIR: dataDir, SERVICES: 'auth' });
    const code = await second.exited();
    expect(code).toBe(1);
    expect(second.errors().trim().split('\n')).toEqual([
      `live-leaderboard: DATA_DIR ${dataDir} is in use by another live-leaderboard process; embedded mode runs one process per data dir (for several processes, run distributed)`,
    ]);

    // kill -9 runs no cleanup: the kernel drops the file lock with the process.
    holder.kill();
    await holder.exited();
    const next = await start(dataDir);
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
  });

  it('logs one ready line with its URL, serves /healthz, and exits 0 on SIGTERM', async () => {
    const child = await startServerProcess({ PORT: '0', DATA_DIR: temporaryDirectory(), SERVICES: 'auth' });
    expect(await (await fetch(`${child.url}/healthz`)).json()).toEqual({ status: 'ok' });

    const code = await child.stop('SIGTERM');
    expect(code).toBe(0);
  });
});
