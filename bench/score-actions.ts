/**
 * Accepted instant actions per second through the whole HTTP path (token check, rules,
 * group-committed SQLite ledger, outbox), with group commit on and then off, beside the
 * ceiling: a bare Fastify server answering the same requests with a constant JSON body,
 * loaded the same way in the same run (this machine's speed varies by ±30% between runs,
 * so the ratio is the figure to compare). The server runs in this process; autocannon
 * fires from a worker thread so load and server use both cores.
 *
 *   npm run bench:actions [-- --users 200 --connections 50 --seconds 10]
 *
 * Progress goes to stderr; the last stdout line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import Fastify from 'fastify';
import { pino } from 'pino';
import { PasswordHasher } from '../src/auth/password-hasher.js';
import { startServer } from '../src/main.js';
import { loadConfig } from '../src/platform/config.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1' },
  },
});
const USERS = Number(values.users);
const CONNECTIONS = Number(values.connections);
const SECONDS = Number(values.seconds);
/** autocannon worker threads; each takes part of a core from the server on a 2-core machine. */
const WORKERS = Number(values.workers);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

interface RunResult {
  groupCommit: boolean;
  actionsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non201: Record<string, number>;
  errors: number;
}

const SETUP_REQUEST = path.resolve(import.meta.dirname, 'action-request.cjs');

/** Fires authenticated click actions at `url` for SECONDS; the same load for every target. */
function load(url: string): Promise<autocannon.Result> {
  return autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: SECONDS,
    workers: WORKERS,
    requests: [{ method: 'POST', setupRequest: SETUP_REQUEST }],
  });
}

/** The ceiling: the same framework answering every request with a small constant body. */
async function baseline(): Promise<number> {
  const app = Fastify();
  app.post('/api/v1/actions', async (_request, reply) => reply.code(201).send({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    process.env.BENCH_TOKENS = JSON.stringify(['baseline']);
    log(`baseline: bare Fastify, ${CONNECTIONS} connections, ${SECONDS} s…`);
    const result = await load(`${url}/api/v1/actions`);
    return Math.round((result.statusCodeStats?.['201']?.count ?? 0) / SECONDS);
  } finally {
    await app.close();
  }
}

async function run(groupCommit: boolean): Promise<RunResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-bench-'));
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    SERVICES: 'auth,score',
    RATE_LIMIT_USER_PER_SEC: '0',
    RATE_LIMIT_IP_PER_SEC: '0',
  });
  const server = await startServer(config, {
    logger: pino({ level: 'warn' }),
    // Registration cost is not what this measures.
    passwordHasher: new PasswordHasher({ N: 2 ** 10, r: 8, p: 1 }),
    groupCommit,
  });
  try {
    const tokens: string[] = [];
    for (let i = 0; i < USERS; i += 1) {
      const credentials = JSON.stringify({ username: `bench-${i}`, password: 'password-123' });
      const headers = { 'content-type': 'application/json' };
      await fetch(`${server.url}/api/v1/auth/register`, { method: 'POST', headers, body: credentials });
      const login = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers, body: credentials });
      tokens.push(((await login.json()) as { accessToken: string }).accessToken);
    }
    process.env.BENCH_TOKENS = JSON.stringify(tokens);
    log(`group commit ${groupCommit ? 'on ' : 'off'}: ${USERS} users, ${CONNECTIONS} connections, ${SECONDS} s…`);

    const result = await load(`${server.url}/api/v1/actions`);
    const byStatus: Record<string, number> = Object.fromEntries(
      Object.entries(result.statusCodeStats ?? {}).map(([status, { count = 0 }]) => [status, count]),
    );
    const { 201: accepted = 0, ...non201 } = byStatus;
    return {
      groupCommit,
      actionsPerSec: Math.round(accepted / SECONDS),
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non201,
      errors: result.errors + result.timeouts,
    };
  } finally {
    await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const baselineReqPerSec = await baseline();
const on = await run(true);
const off = await run(false);
log('');
log(`baseline (bare Fastify)  ${baselineReqPerSec} req/s`);
log('mode               actions/s   p50 ms   p99 ms   non-201      errors');
for (const r of [on, off]) {
  log(
    `${(r.groupCommit ? 'group commit on' : 'group commit off').padEnd(18)} ${String(r.actionsPerSec).padStart(9)} ${String(r.p50Ms).padStart(8)} ${String(r.p99Ms).padStart(8)}   ${JSON.stringify(r.non201).padEnd(12)} ${r.errors}`,
  );
}
console.log(
  JSON.stringify({
    actionsPerSec: on.actionsPerSec,
    baselineReqPerSec,
    actionRatio: Number((on.actionsPerSec / baselineReqPerSec).toFixed(2)),
    submitP99Ms: on.p99Ms,
    actionsPerSecWithoutGroupCommit: off.actionsPerSec,
    submitP99MsWithoutGroupCommit: off.p99Ms,
    groupCommitSpeedup: Number((on.actionsPerSec / Math.max(1, off.actionsPerSec)).toFixed(2)),
    users: USERS,
    connections: CONNECTIONS,
    seconds: SECONDS,
    loadWorkers: WORKERS,
  }),
);
