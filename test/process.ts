import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { onTestFinished } from 'vitest';
import {
  spawnServerProcess as spawnProcess,
  startServerProcess as startProcess,
  type ServerProcess,
  type ServerProcessOptions,
  type SpawnedServer,
} from './support/server-process.js';

export { exited, ServerExitedError, type ServerProcess, type SpawnedServer } from './support/server-process.js';

const ROOT = path.resolve(import.meta.dirname, '..');

/**
 * The server in a process of its own (`test/support/server-process.ts`, the one way to start
 * it), with `env` as its whole environment besides PATH, killed with SIGKILL when the test
 * ends. Ready once it logged its ready line (at `info`: keep LOG_LEVEL at info or below).
 */
export function startServerProcess(env: Record<string, string>, options: Omit<ServerProcessOptions, 'env' | 'onSpawn'> = {}): Promise<ServerProcess> {
  return startProcess({ ...options, env, onSpawn: (server) => onTestFinished(() => server.kill()) });
}

/** The same, returning at once: for a process expected to refuse to start (`await server.exited()`). */
export function spawnServerProcess(env: Record<string, string>, options: Omit<ServerProcessOptions, 'env' | 'onSpawn'> = {}): SpawnedServer {
  return spawnProcess({ ...options, env, onSpawn: (server) => onTestFinished(() => server.kill()) });
}

/** Retries `check` until it passes or `timeoutMs` runs out (then throws its last error). */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** A TCP port nothing listens on right now (for servers a test starts itself). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Runs one of the project's command-line programs from source (`src/<file>` through tsx)
 * to its end, with only `env` (and PATH) in its environment.
 */
export function runProgram(file: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('src', file), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
