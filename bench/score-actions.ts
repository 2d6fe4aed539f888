/**
 * Accepted instant actions per second through the whole HTTP path (token check, rules,
 * group-committed SQLite ledger, outbox), with group commit on and then off, beside the
 * ceiling: a bare Fastify server answering the same requests with a constant JSON body,
 * loaded the same way in the same run (this machine's speed varies by ±30% between runs,
 * so the ratio is the figure to compare). With group commit on, the same server is loaded
 * on the player's route and on the game server's (`POST /api/v1/server/actions`, one
 * server credential, the same users and the same click) in alternating rounds, `--seconds`
 * each: `serverToPlayerRatio` compares the two. Each server runs in its own process;
 * autocannon fires from a worker thread of this one. The measuring lives in
 * `bench/score-load.ts`, which `npm run bench` shares.
 *
 *   npm run bench:actions [-- --users 200 --connections 50 --seconds 10 --services auth,score --boards FILE]
 *
 * `--boards` points the server at another board file (the shipped one has six boards), to
 * see what each board costs an action.
 *   npm run bench:actions -- --distributed   (a fresh PostgreSQL database and Redis prefix per run)
 *
 * Progress goes to stderr; the last stdout line is one JSON object.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { withDistributedBenchEnv } from './distributed-env.js';
import { measureBareHttp, measureScorePath, meetsServerRouteTarget, SERVER_ROUTE_TARGET, type HttpLoadResult, type ScorePathResult } from './score-load.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '200' },
    connections: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '10' },
    workers: { type: 'string', default: '1' },
    // Only what the HTTP path needs; `npm run bench` measures with every service running.
    services: { type: 'string', default: 'auth,score' },
    distributed: { type: 'boolean', default: false },
    boards: { type: 'string' },
  },
});
const boardEnv: Record<string, string> = values.boards === undefined ? {} : { BOARD_CONFIG: path.resolve(values.boards) };
const load = { connections: Number(values.connections), seconds: Number(values.seconds), workers: Number(values.workers) };
const USERS = Number(values.users);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const baseline = await measureBareHttp(load, log);
const baselineReqPerSec = baseline.acceptedPerSec;
// The game server's route is measured beside the player's on the group-committed server.
const run = async (groupCommit: boolean): Promise<ScorePathResult> => {
  const options = { ...load, users: USERS, groupCommit, serverRoute: groupCommit };
  if (!values.distributed) return measureScorePath({ ...options, env: { ...boardEnv, SERVICES: values.services } }, log);
  return withDistributedBenchEnv((env) => measureScorePath({ ...options, env: { ...env, ...boardEnv, SERVICES: values.services } }, log));
};
const on = await run(true);
const off = await run(false);
const server = on.server;
if (server === undefined) throw new Error('the group-commit run measured no game-server route');
const non201 = ({ byStatus: { 201: _accepted, ...rest } }: HttpLoadResult): Record<string, number> => rest;
const serverToPlayerRatio = Number((server.acceptedPerSec / Math.max(1, on.acceptedPerSec)).toFixed(2));

log('');
log(`baseline (bare Fastify)  ${baselineReqPerSec} req/s`);
log('mode                         actions/s   p50 ms   p99 ms   non-201      errors');
const table: [string, HttpLoadResult][] = [
  ['group commit on', on],
  ['server actions, commit on', server],
  ['group commit off', off],
];
for (const [label, r] of table) {
  log(
    `${label.padEnd(28)} ${String(r.acceptedPerSec).padStart(9)} ${String(r.p50Ms).padStart(8)} ${String(r.p99Ms).padStart(8)}   ${JSON.stringify(non201(r)).padEnd(12)} ${r.errors}`,
  );
}
log(`server ÷ player actions/s    ${serverToPlayerRatio} (target: ${SERVER_ROUTE_TARGET}: ${meetsServerRouteTarget(serverToPlayerRatio) ? 'met' : 'MISSED'})`);
console.log(
  JSON.stringify({
    actionsPerSec: on.acceptedPerSec,
    baselineReqPerSec,
    actionRatio: Number((on.acceptedPerSec / Math.max(1, baselineReqPerSec)).toFixed(2)),
    submitP99Ms: on.p99Ms,
    actionsPerSecWithoutGroupCommit: off.acceptedPerSec,
    submitP99MsWithoutGroupCommit: off.p99Ms,
    groupCommitSpeedup: Number((on.acceptedPerSec / Math.max(1, off.acceptedPerSec)).toFixed(2)),
    serverActionsPerSec: server.acceptedPerSec,
    serverToPlayerRatio,
    serverSubmitP99Ms: server.p99Ms,
    users: USERS,
    connections: load.connections,
    seconds: load.seconds,
    loadWorkers: load.workers,
    services: values.services,
  }),
);
