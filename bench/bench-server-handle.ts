/**
 * The parent side of the benchmark's child processes. `startBenchServer` starts
 * `bench/bench-server.ts` the one way server processes are started
 * (`test/support/server-process.ts`) and asks it things over IPC; `forkBenchChild` and `ask`
 * do the same for the other children (the subscribers, the action firer). No child outlives
 * the benchmark.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ServerExitedError, startServerProcess } from '../test/support/server-process.js';
import type { ServerCommand, ServerKind, ServerReply } from './bench-server.js';

const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/**
 * Node flags from an environment variable: `BENCH_SERVER_EXEC_ARGV` for server children,
 * `BENCH_CLIENTS_EXEC_ARGV` for the fan-out subscribers (e.g. `--cpu-prof
 * --cpu-prof-dir=/tmp/prof` to profile one of them under load).
 */
export function execArgvFrom(variable: string): string[] {
  return (process.env[variable] ?? '').split(' ').filter((flag) => flag !== '');
}

/** Forks `bench/<file>` under tsx. */
export function forkBenchChild(file: string, extraExecArgv: readonly string[] = []): ChildProcess {
  const child = fork(path.resolve(import.meta.dirname, file), [], { execArgv: ['--import', 'tsx', ...extraExecArgv] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** Sends `command` and resolves with the first reply whose `cmd` is one of `expected`. */
export function ask<T extends { cmd: string }>(child: ChildProcess, command: object, expected: readonly string[], timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const finish = (error: Error | undefined, message?: T): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message as T);
    };
    const onMessage = (message: T): void => {
      if (expected.includes(message.cmd)) finish(undefined, message);
    };
    const onExit = (code: number | null): void => finish(new Error(`child process exited (${code}) before replying ${expected.join('/')}`));
    const timer = setTimeout(() => finish(new Error(`no ${expected.join('/')} reply within ${timeoutMs} ms`)), timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(command);
  });
}

/** The server refused to start with the environment it was given (a `ConfigError`, say). */
export class ServerRefused extends Error {
  override readonly name = 'ServerRefused';
}

export interface BenchServer {
  url: string;
  /** The server process's resident set size, bytes. */
  rss(): Promise<number>;
  /** CPU time the server process has used since it started (user + system), seconds. */
  cpuSeconds(): Promise<number>;
  /** `bare-ws` only: broadcast `payload` to every client for `seconds`; resolves with frames sent. */
  broadcast(payload: string, seconds: number): Promise<number>;
  stop(): Promise<void>;
}

export interface BenchServerOptions {
  /** The server's whole environment (nothing is inherited from this process). */
  env?: Record<string, string>;
  /** @default true */
  groupCommit?: boolean;
}

/** Starts a server of `kind` in its own process; rejects with `ServerRefused` when it will not start. */
export async function startBenchServer(kind: ServerKind, options: BenchServerOptions = {}): Promise<BenchServer> {
  const server = await startServerProcess({
    program: 'bench/bench-server.ts',
    args: [kind, ...(options.groupCommit === false ? ['no-group-commit'] : [])],
    env: options.env ?? {},
    execArgv: execArgvFrom('BENCH_SERVER_EXEC_ARGV'),
    ipc: true,
    readyTimeoutMs: 60_000,
  }).catch((error: unknown) => {
    // bench-server.ts exits 2 with the reason when the server refuses its environment.
    if (error instanceof ServerExitedError && error.code === 2) throw new ServerRefused(error.stderr.trim());
    throw error;
  });
  const { child } = server;
  const command = (message: ServerCommand, expected: ServerReply['cmd'][], timeoutMs: number): Promise<ServerReply> =>
    ask<ServerReply>(child, message, expected, timeoutMs);
  return {
    // The bare broadcaster is a WebSocket server with no HTTP routes.
    url: kind === 'bare-ws' ? server.url.replace(/^http/, 'ws') : server.url,
    rss: async () => {
      const answer = await command({ cmd: 'rss' }, ['rss'], 10_000);
      return answer.cmd === 'rss' ? answer.rss : 0;
    },
    cpuSeconds: async () => {
      const answer = await command({ cmd: 'cpu' }, ['cpu'], 10_000);
      return answer.cmd === 'cpu' ? (answer.userUs + answer.systemUs) / 1e6 : 0;
    },
    broadcast: async (payload, seconds) => {
      const answer = await command({ cmd: 'broadcast', payload, seconds }, ['broadcasted'], (seconds + 30) * 1000);
      return answer.cmd === 'broadcasted' ? answer.sent : 0;
    },
    stop: async () => void (await server.stop('SIGTERM', 30_000)),
  };
}
