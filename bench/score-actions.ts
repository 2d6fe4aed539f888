/**
 * Accepted instant actions per second through the whole HTTP path (token check, rules,
 * group-committed SQLite ledger, outbox), with group commit on and then off, beside the
 * ceiling: a bare Fastify server answering the same requests with a constant JSON body,
 * loaded the same way in the same run (this machine's speed varies by ±30% between runs,
 * so the ratio is the figure to compare). Each server runs in its own process; autocannon
 * fires from a worker thread of this one. The measuring lives in `bench/score-load.ts`,
 * which `npm run bench` shares.
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
import { measureBareHttp, measureScorePath, type ScorePathResult } from './score-load.js';

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
const run = async (groupCommit: boolean): Promise<ScorePathResult> => {
  if (!values.distributed) return measureScorePath({ ...load, users: USERS, groupCommit, env: { ...boardEnv, SERVICES: values.services } }, log);
  return withDistributedBenchEnv((env) => measureScorePath({ ...load, users: USERS, groupCommit, env: { ...env, ...boardEnv, SERVICES: values.services } }, log));
};
const on = await run(true);
const off = await run(false);
const non201 = ({ byStatus: { 201: _accepted, ...rest } }: ScorePathResult): Record<string, number> => rest;

log('');
log(`baseline (bare Fastify)  ${baselineReqPerSec} req/s`);
log('mode               actions/s   p50 ms   p99 ms   non-201      errors');
for (const [label, r] of [['group commit on', on], ['group commit off', off]] as const) {
  log(
    `${label.padEnd(18)} ${String(r.acceptedPerSec).padStart(9)} ${String(r.p50Ms).padStart(8)} ${String(r.p99Ms).padStart(8)}   ${JSON.stringify(non201(r)).padEnd(12)} ${r.errors}`,
  );
}
console.log(
  JSON.stringify({
    actionsPerSec: on.acceptedPerSec,
    baselineReqPerSec,
    actionRatio: Number((on.acceptedPerSec / Math.max(1, baselineReqPerSec)).toFixed(2)),
    submitP99Ms: on.p99Ms,
    actionsPerSecWithoutGroupCommit: off.acceptedPerSec,
    submitP99MsWithoutGroupCommit: off.p99Ms,
    groupCommitSpeedup: Number((on.acceptedPerSec / Math.max(1, off.acceptedPerSec)).toFixed(2)),
    users: USERS,
    connections: load.connections,
    seconds: load.seconds,
    loadWorkers: load.workers,
    services: values.services,
  }),
);
