/**
 * One distributed score node beside the embedded server, in one run: the node
 * (`SERVICES=auth,score`, on a fresh PostgreSQL database and Redis prefix on this machine) and
 * the embedded server (every service) started side by side and loaded in alternating rounds
 * (`measureAgainst`), so a drift of the machine falls on both. The distributed goal is the
 * node's accepted actions/s at 0.5 × or more of the embedded server's.
 *
 *   npm run bench:node [-- --seconds 10 --users 200 --connections 50]
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import { parseArgs } from 'node:util';
import { withDistributedBenchEnv } from './distributed-env.js';
import { measureAgainst, playerLoad, PLAYER_LOAD_ARGS, type Log } from './score-load.js';

const TARGET = 0.5;

const { values } = parseArgs({ options: PLAYER_LOAD_ARGS });
const log: Log = (line) => void process.stderr.write(`${line}\n`);
log('  a: embedded (every service), b: one distributed score node (SERVICES=auth,score)');
const sides = await withDistributedBenchEnv((distributed) =>
  measureAgainst({ a: { SERVICES: 'auth,score,leaderboard,realtime' }, b: { ...distributed, SERVICES: 'auth,score' } }, playerLoad(values), log),
);
log('');
log(`embedded ${sides.a.acceptedPerSec} actions/s (p99 ${sides.a.p99Ms} ms), score node ${sides.b.acceptedPerSec} actions/s (p99 ${sides.b.p99Ms} ms)`);
log(`score node ÷ embedded ${sides.ratio} (target: ≥ ${TARGET}: ${sides.ratio >= TARGET ? 'met' : 'MISSED'})`);
console.log(
  JSON.stringify({
    embeddedPerSec: sides.a.acceptedPerSec,
    nodePerSec: sides.b.acceptedPerSec,
    embeddedP99Ms: sides.a.p99Ms,
    nodeP99Ms: sides.b.p99Ms,
    ratio: sides.ratio,
  }),
);
