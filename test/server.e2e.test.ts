import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { remoteJwksResolver } from '../src/auth/key-resolvers.js';
import { TokenVerifier } from '../src/auth/token-verifier.js';
import { startServer, type RunningServer } from '../src/main.js';
import { loadConfig } from '../src/platform/config.js';
import { cheapHasher, temporaryDirectory } from './helpers.js';

const ROOT = path.resolve(import.meta.dirname, '..');

async function start(dataDir: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, ...env });
  const server = await startServer(config, { logger: pino({ level: 'silent' }), passwordHasher: cheapHasher() });
  onTestFinished(() => server.stop());
  return server;
}

async function post(url: string, body: object): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('the started server, over real sockets', () => {
  it('serves register, login, /me and JWKS, and a remote verifier (AUTH_URL) accepts its tokens', async () => {
    const server = await start(temporaryDirectory());
    expect((await post(`${server.url}/api/v1/auth/register`, { username: 'olga', password: 'password-123' })).status).toBe(201);
    const login = await post(`${server.url}/api/v1/auth/login`, { username: 'olga', password: 'password-123' });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };

    const me = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(await me.json()).toMatchObject({ username: 'olga', roles: [] });

    const remote = new TokenVerifier(remoteJwksResolver(new URL(server.url)));
    await expect(remote.verify(accessToken)).resolves.toMatchObject({ roles: [] });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it('keeps tokens and sessions valid across a restart on the same DATA_DIR', async () => {
    const dataDir = temporaryDirectory();
    const first = await start(dataDir);
    await post(`${first.url}/api/v1/auth/register`, { username: 'pete', password: 'password-123' });
    const pair = (await (await post(`${first.url}/api/v1/auth/login`, { username: 'pete', password: 'password-123' })).json()) as {
      accessToken: string;
      refreshToken: string;
    };
    await first.stop();

    const second = await start(dataDir);
    const me = await fetch(`${second.url}/api/v1/me`, { headers: { authorization: `Bearer ${pair.accessToken}` } });
    expect(me.status).toBe(200);
    expect((await post(`${second.url}/api/v1/auth/refresh`, { refreshToken: pair.refreshToken })).status).toBe(200);
  });
});

describe('the process', () => {
  const node = (env: Record<string, string>) =>
    spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });

  it('stops at start with one clear line naming each bad variable', async () => {
    const child = node({ PORT: 'abc', LOG_LEVEL: 'loud' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT .*"abc"/);
    expect(lines[0]).toMatch(/LOG_LEVEL .*"loud"/);
  });

  it('stops at start with one line naming a broken action catalog', async () => {
    const child = node({ PORT: '0', DATA_DIR: temporaryDirectory(), ACTION_CATALOG: '/nonexistent/actions.json' });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('/nonexistent/actions.json');
  });

  it('refuses, with one line, to start on a data dir another process is serving; a killed holder leaves no stale claim', async () => {
    const dataDir = temporaryDirectory();
    const holder = node({ PORT: '0', DATA_DIR: dataDir, SERVICES: 'auth' });
    onTestFinished(() => void holder.kill('SIGKILL'));
    await new Promise<void>((resolve, reject) => {
      let stdout = '';
      holder.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('ready on')) resolve();
      });
      holder.once('exit', (code) => reject(new Error(`exited with ${code} before ready: ${stdout}`)));
    });

    // A second process on another port: its boards would silently differ from the first's.
    const second = node({ PORT: '0', DATA_DIR: dataDir, SERVICES: 'auth' });
    let stderr = '';
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(second, 'exit')) as [number];
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `live-leaderboard: DATA_DIR ${dataDir} is in use by another live-leaderboard process; embedded mode runs one process per data dir (for several processes, run distributed)`,
    ]);

    // kill -9 runs no cleanup: the kernel drops the file lock with the process.
    holder.kill('SIGKILL');
    await once(holder, 'exit');
    const next = await start(dataDir);
    expect((await fetch(`${next.url}/healthz`)).status).toBe(200);
  });

  it('logs one ready line with its URL, serves /healthz, and exits 0 on SIGTERM', async () => {
    const child = node({ PORT: '0', DATA_DIR: temporaryDirectory(), SERVICES: 'auth' });
    onTestFinished(() => void child.kill('SIGKILL'));
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /ready on (http:\/\/[\d.:]+)/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before ready: ${stdout}`)));
    });
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' });

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).toBe(0);
  });
});
