/**
 * A server under test, in its own process so that neither the load generator nor the
 * subscribers share its event loop: `bench/bench-server-handle.ts` starts it the one way
 * server processes are started (`test/support/server-process.ts`) and drives it over IPC.
 * Run as `bench-server.ts <kind> [no-group-commit]`, with the server's environment as its
 * own; it logs `ready on <url>` once it listens, and on a refusal to start (e.g. PostgreSQL
 * or Redis unreachable) writes the reason to stderr and exits 2. Three kinds, each the same
 * process shape so their figures compare:
 *
 * - `system`: the real server (`startServer`) with the environment it is given: embedded by
 *   default, distributed once `DATABASE_URL` / `REDIS_URL` are accepted.
 * - `bare-http`: the ceiling of the HTTP path, Fastify answering `POST /api/v1/actions` with
 *   a constant small JSON body.
 * - `bare-ws`: the ceiling of fan-out, a bare `ws` server that broadcasts a payload to every
 *   client as fast as it can when told to.
 */
import { once } from 'node:events';
import Fastify from 'fastify';
import { pino } from 'pino';
import { WebSocketServer } from 'ws';
import { PasswordHasher } from '../src/auth/password-hasher.js';
import { startServer } from '../src/main.js';
import { loadConfig } from '../src/platform/config.js';

export type ServerKind = 'system' | 'bare-http' | 'bare-ws';

/** Parent → child. */
export type ServerCommand = { cmd: 'broadcast'; payload: string; seconds: number } | { cmd: 'rss' } | { cmd: 'cpu' };

/** Child → parent. */
export type ServerReply = { cmd: 'broadcasted'; sent: number } | { cmd: 'rss'; rss: number } | { cmd: 'cpu'; userUs: number; systemUs: number };

const reply = (message: ServerReply): void => void process.send?.(message);
let stop: () => Promise<void> = async () => undefined;
let wss: WebSocketServer | undefined;

/** Starts the server of `kind` and answers its URL. */
async function start(kind: ServerKind, groupCommit: boolean): Promise<string> {
  if (kind === 'system') {
    const server = await startServer(loadConfig(), {
      logger: pino({ level: 'warn' }),
      // Registration cost is not what the benchmark measures.
      passwordHasher: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
      groupCommit,
    });
    stop = () => server.stop();
    return server.url;
  }
  if (kind === 'bare-http') {
    const app = Fastify();
    app.post('/api/v1/actions', async (_request, response) => response.code(201).send({ ok: true }));
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    stop = () => app.close();
    return url;
  }
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(server, 'listening');
  wss = server;
  stop = () => new Promise((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

/** Sends `payload` to every client whose buffer has room, yielding to I/O between rounds. */
async function broadcast(payload: Buffer, seconds: number): Promise<number> {
  let sent = 0;
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    for (const socket of wss?.clients ?? []) {
      if (socket.bufferedAmount < 64 * 1024) {
        socket.send(payload, { binary: false });
        sent += 1;
      }
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
}

process.on('message', (command: ServerCommand) => {
  void (async () => {
    if (command.cmd === 'broadcast') reply({ cmd: 'broadcasted', sent: await broadcast(Buffer.from(command.payload), command.seconds) });
    else if (command.cmd === 'cpu') {
      const { user, system } = process.cpuUsage();
      reply({ cmd: 'cpu', userUs: user, systemUs: system });
    } else reply({ cmd: 'rss', rss: process.memoryUsage().rss });
  })();
});
// SIGTERM stops it gracefully; the parent going away must not leave a server behind.
process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));

const [kind = 'system', commit] = process.argv.slice(2);
try {
  console.log(`bench server (${kind}) ready on ${await start(kind as ServerKind, commit !== 'no-group-commit')}`);
} catch (error) {
  // A refusal (e.g. PostgreSQL or Redis unreachable) is a result, not a crash.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(2);
}
