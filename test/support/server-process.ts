import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

/**
 * Our server in a process of its own: the one way the tests, the fault suite, the soak and
 * the benchmarks start it. It imports nothing from vitest (the soak and the benchmarks run
 * outside it); `test/process.ts` adds the per-test cleanup for tests.
 */

const ROOT = path.resolve(import.meta.dirname, '../..');
/** Enough of a long run's log to show what went wrong, without holding all of it. */
const KEPT_OUTPUT = 1_000_000;

export interface ServerProcessOptions {
  /** The process's whole environment besides PATH: nothing else is inherited. `PORT` defaults to 0. */
  env?: Record<string, string>;
  /**
   * What to run, relative to the repository: a `.ts` file runs through tsx. It must log
   * `ready on <url>` once it listens. @default 'src/main.ts'
   */
  program?: string;
  args?: readonly string[];
  /** Node flags (e.g. `--cpu-prof`). */
  execArgv?: readonly string[];
  /** An IPC channel to the child, for a program that takes commands over it (`bench/bench-server.ts`). */
  ipc?: boolean;
  /** Pass the child's stderr through to this process's instead of keeping it (long runs, where a crash must show). */
  inheritStderr?: boolean;
  /** @default 30_000 */
  readyTimeoutMs?: number;
  /** Called as soon as the process exists, before it is ready: where a test registers its cleanup. */
  onSpawn?: (server: SpawnedServer) => void;
}

/** A server process that may not be ready yet. */
export interface SpawnedServer {
  child: ChildProcess;
  /** What the process wrote to stdout (its logs), the last megabyte of it. */
  output(): string;
  /** What it wrote to stderr (empty when passed through). */
  errors(): string;
  /** Resolves with the URL from its ready line; rejects if it exits first or is not ready in time (it is then killed). */
  ready: Promise<string>;
  /** Resolves with the exit code (null after a signal) once the process has exited, even if it already has. */
  exited(): Promise<number | null>;
  /** Sends `signal` (SIGTERM: a graceful stop), escalates to SIGKILL after `graceMs`, and resolves with the exit code. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | null>;
  /** SIGKILL, without waiting. */
  kill(): void;
}

export interface ServerProcess extends SpawnedServer {
  /** e.g. `http://127.0.0.1:40123` */
  url: string;
  port: number;
}

/** The server exited before it was ready: its exit code and what it wrote to stderr. */
export class ServerExitedError extends Error {
  override readonly name = 'ServerExitedError';

  constructor(
    readonly code: number | null,
    readonly stderr: string,
    stdout: string,
  ) {
    super(`server exited with ${code} before ready: ${stderr.trim() || stdout.trim().slice(-2_000)}`);
  }
}

// No child outlives the process that started it, however that process ends.
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Starts the server process and returns at once; `ready` tells when it listens. */
export function spawnServerProcess(options: ServerProcessOptions = {}): SpawnedServer {
  const program = options.program ?? 'src/main.ts';
  const child = spawn(process.execPath, [...(program.endsWith('.ts') ? ['--import', 'tsx'] : []), ...(options.execArgv ?? []), program, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...options.env },
    stdio: ['ignore', 'pipe', options.inheritStderr ? 'inherit' : 'pipe', ...(options.ipc ? ['ipc' as const] : [])],
  });
  children.add(child);
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-KEPT_OUTPUT)));

  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const ready = new Promise<string>((resolve, reject) => {
    let found = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout = (stdout + chunk.toString()).slice(-KEPT_OUTPUT);
      const match = found ? null : /ready on (http:\/\/[\d.:]+)/.exec(stdout);
      if (match?.[1]) {
        found = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exit.then((code) => {
      clearTimeout(timer);
      reject(new ServerExitedError(code, stderr, stdout));
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server not ready in ${readyTimeoutMs} ms: ${stderr.trim() || stdout.trim().slice(-2_000)}`));
    }, readyTimeoutMs);
    timer.unref();
  });
  // Nobody may be waiting on `ready` when the process ends later on: that is not an error.
  ready.catch(() => undefined);

  const server: SpawnedServer = {
    child,
    output: () => stdout,
    errors: () => stderr,
    ready,
    exited: () => exit,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (!gone()) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exit;
        clearTimeout(timer);
      }
      return exit;
    },
    kill: () => void child.kill('SIGKILL'),
  };
  options.onSpawn?.(server);
  return server;
}

/** Starts the server process and resolves once it is ready (see `spawnServerProcess`). */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const server = spawnServerProcess(options);
  const url = await server.ready;
  return { ...server, url, port: Number(new URL(url).port) };
}

/** Resolves when `child` has exited, even if it already has. */
export async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await once(child, 'exit');
}
