/**
 * WebSocket fan-out: S subscribers (in a child process) on `global` top 10 while actions are
 * accepted at a fixed rate, beside a bare `ws` server broadcasting the same payload to the
 * same number of clients as fast as it can, in the same run.
 *
 *   npm run bench:fanout [-- --subscribers 1000 --rate 1000 --seconds 10]
 *
 * Reports p50/p99 from each action's `201` to the first update showing it at each subscriber,
 * messages delivered/s, and server memory per idle connection. Last stdout line: JSON.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { WebSocketServer } from 'ws';
import { PasswordHasher } from '../src/auth/password-hasher.js';
import { startServer } from '../src/main.js';
import { loadConfig } from '../src/platform/config.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
  },
});
const SUBSCRIBERS = Number(values.subscribers);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const clients = fork(path.resolve(import.meta.dirname, 'fanout-clients.ts'), [], { execArgv: ['--import', 'tsx'] });
const reply = async <T>(command: object, expected: string): Promise<T> => {
  clients.send(command);
  for (;;) {
    const [message] = (await once(clients, 'message')) as [{ cmd: string } & T];
    if (message.cmd === expected) return message;
  }
};
const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

// 1. The ceiling: a bare ws server broadcasting a typical update payload as fast as it can.
async function bareBroadcast(payload: Buffer): Promise<number> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await once(wss, 'listening');
  const { port } = wss.address() as { port: number };
  await reply({ cmd: 'connect', url: `ws://127.0.0.1:${port}`, count: SUBSCRIBERS, countOnly: true }, 'connected');
  log(`bare ws: broadcasting to ${SUBSCRIBERS} clients for ${SECONDS} s…`);
  const until = Date.now() + SECONDS * 1000;
  while (Date.now() < until) {
    for (const socket of wss.clients) if (socket.bufferedAmount < 64 * 1024) socket.send(payload);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const { counted } = await reply<{ counted: number }>({ cmd: 'report' }, 'report');
  wss.close();
  return Math.round(counted / SECONDS);
}

// 2. The system: actions at a fixed rate, subscribers timing each update.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-fanout-'));
const config = loadConfig({ PORT: '0', DATA_DIR: dataDir, RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0', LOG_LEVEL: 'warn' });
const server = await startServer(config, { logger: pino({ level: 'warn' }), passwordHasher: new PasswordHasher({ N: 1024, r: 8, p: 1 }) });
try {
  const headers = { 'content-type': 'application/json' };
  const body = JSON.stringify({ username: 'fanout', password: 'password-123' });
  await fetch(`${server.url}/api/v1/auth/register`, { method: 'POST', headers, body });
  const { accessToken } = (await (await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers, body })).json()) as { accessToken: string };
  // One warm-up action puts the user on the board (score 1).
  await fetch(`${server.url}/api/v1/actions`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${accessToken}` },
    body: JSON.stringify({ type: 'click', idempotencyKey: 'fanout-warm-up' }),
  });
  const samplePayload = Buffer.from(
    JSON.stringify({ type: 'update', board: 'global', seq: 1, entries: Array.from({ length: 10 }, (_, i) => ({ rank: i + 1, userId: '00000000-0000-4000-8000-000000000000', username: 'player_name', score: 123456 })) }),
  );
  const baselineWsMessagesPerSec = await bareBroadcast(samplePayload);

  const rssBefore = process.memoryUsage().rss;
  await reply({ cmd: 'connect', url: `${server.url.replace('http', 'ws')}/ws`, count: SUBSCRIBERS, countOnly: false }, 'connected');
  const bytesPerConnection = Math.round((process.memoryUsage().rss - rssBefore) / SUBSCRIBERS);
  log(`system: ${SUBSCRIBERS} subscribers, ${RATE} actions/s for ${SECONDS} s…`);

  // A third process fires the actions, so neither the server nor the subscribers share its
  // event loop; each 201 says the global total it reached, which is how updates are matched.
  const firer = fork(path.resolve(import.meta.dirname, 'fanout-actions.ts'), [], { execArgv: ['--import', 'tsx'] });
  firer.send({ cmd: 'fire', url: server.url, token: accessToken, rate: RATE, seconds: SECONDS, startScore: 1 });
  const [{ acceptedAt }] = (await once(firer, 'message')) as [{ acceptedAt: (number | null)[] }];
  firer.kill();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const { counted, arrivals } = await reply<{ counted: number; arrivals: [number, number][][] }>({ cmd: 'report' }, 'report');

  const latencies: number[] = [];
  for (const socketArrivals of arrivals) {
    let covered = 1;
    for (const [score, at] of socketArrivals) {
      for (let s = covered + 1; s <= score; s += 1) {
        const accepted = acceptedAt[s];
        if (accepted !== undefined && accepted !== null) latencies.push(Math.max(0, at - accepted));
      }
      covered = Math.max(covered, score);
    }
  }
  latencies.sort((a, b) => a - b);
  const wsMessagesPerSec = Math.round(counted / SECONDS);
  const result = {
    subscribers: SUBSCRIBERS,
    actionsPerSecond: RATE,
    deliveryP50Ms: percentile(latencies, 0.5),
    deliveryP99Ms: percentile(latencies, 0.99),
    deliveries: latencies.length,
    wsMessagesPerSec,
    baselineWsMessagesPerSec,
    wsRatio: Number((wsMessagesPerSec / Math.max(1, baselineWsMessagesPerSec)).toFixed(2)),
    serverBytesPerIdleConnection: bytesPerConnection,
  };
  log(`delivery p50 ${result.deliveryP50Ms} ms, p99 ${result.deliveryP99Ms} ms over ${latencies.length} deliveries`);
  log(`messages/s ${wsMessagesPerSec} (bare ws broadcast ${baselineWsMessagesPerSec}); ~${bytesPerConnection} bytes of server RSS per connection`);
  console.log(JSON.stringify(result));
} finally {
  clients.send({ cmd: 'exit' });
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
