import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { onTestFinished } from 'vitest';
import { eventually, exited, freePort } from '../process.js';

/**
 * Redis and PostgreSQL servers of a test's own, on free ports, that the test may stop and
 * start again; the shared servers other tests use are never touched.
 */
export interface PrivateServer {
  url: string;
  /** Starts the server (again, on the same port and, for PostgreSQL, the same data) and resolves once it answers. */
  start(): Promise<void>;
  /** Stops it with `signal` and resolves once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Stops `child` with `signal`, escalating to SIGKILL if it lingers. */
async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited(child);
  clearTimeout(timer);
}

export const redisServerAvailable = commandWorks('redis-server', ['--version']);

/** `redis-server` on a free port, keeping nothing on disk: a restart comes back empty, like a lost cache. */
export async function privateRedis(): Promise<PrivateServer> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  onTestFinished(() => stopChild(child, 'SIGKILL'));
  return {
    url,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
        stdio: 'ignore',
      });
      await eventually(async () => {
        const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        probe.on('error', () => {});
        try {
          await probe.connect();
          await probe.ping();
        } finally {
          probe.disconnect();
        }
      });
    },
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
  };
}

/** The newest PostgreSQL server binaries of the Debian layout, or undefined. */
export const postgresBinaries: string | undefined = (() => {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).filter((version) => fs.existsSync(path.join(root, version, 'bin', 'initdb')));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest && path.join(root, newest, 'bin');
})();

/**
 * initdb and postgres refuse to run as root: as root they run as the `postgres` system user
 * (which the Debian packages create), in a data directory it owns.
 */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return { uid, gid };
}

/**
 * A PostgreSQL cluster of its own: `initdb` into a temp dir (trust auth), `postgres` on a
 * free port as a child process. `stop()` defaults to SIGINT, PostgreSQL's fast shutdown
 * (open sessions are cut, the data stays).
 */
export async function privatePostgres(): Promise<PrivateServer> {
  if (!postgresBinaries) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql/*/bin');
  const bin = postgresBinaries;
  const user = postgresUser();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-fault-pg-'));
  if (user) fs.chownSync(dataDir, user.uid, user.gid);
  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;
  onTestFinished(async () => {
    await stopChild(child, 'SIGINT');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const initdb = spawn(path.join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...user,
  });
  let initdbErrors = '';
  initdb.stderr?.on('data', (chunk: Buffer) => (initdbErrors += chunk.toString()));
  await exited(initdb);
  if (initdb.exitCode !== 0) throw new Error(`initdb failed (${initdb.exitCode}): ${initdbErrors.trim()}`);

  return {
    url,
    async start() {
      const args = ['-D', dataDir, '-p', String(port), '-k', os.tmpdir(), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'];
      child = spawn(path.join(bin, 'postgres'), args, { stdio: 'ignore', ...user });
      await eventually(async () => {
        const probe = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
        try {
          await probe.connect();
          await probe.query('SELECT 1');
        } finally {
          await probe.end().catch(() => {});
        }
      }, 20_000);
    },
    stop: (signal = 'SIGINT') => stopChild(child, signal),
  };
}

function commandWorks(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
