/**
 * What `DURABILITY=fsync` costs beside `DURABILITY=os`: accepted player actions/s of two real
 * servers, one with each setting, both running and loaded in alternating rounds
 * (`measureAgainst`), so a drift of this machine's speed falls on both sides.
 * Embedded: SQLite `synchronous = FULL` (the WAL flushed at every group commit) against
 * `NORMAL`. With `--distributed`: PostgreSQL's `synchronous_commit` on against off, each
 * server on a fresh database of the same PostgreSQL and its own Redis prefix.
 *
 *   npm run bench:durability [-- --users 200 --connections 50 --seconds 10] [--distributed]
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import { parseArgs } from 'node:util';
import { withDistributedBenchEnv } from './distributed-env.js';
import { measureAgainst, playerLoad, PLAYER_LOAD_ARGS, type HttpLoadResult, type Log } from './score-load.js';

export interface DurabilityCost {
  mode: 'embedded' | 'distributed';
  osPerSec: number;
  fsyncPerSec: number;
  osP99Ms: number;
  fsyncP99Ms: number;
  /** 1 − fsync ÷ os (the median of four neighbouring pairs of rounds): the share of accepted actions/s that `fsync` costs. */
  cost: number;
}

export async function measureDurabilityCost(options: { users: number; connections: number; seconds: number; distributed: boolean }, log: Log): Promise<DurabilityCost> {
  const load = { users: options.users, connections: options.connections, seconds: options.seconds };
  const compare = (a: Record<string, string>, b: Record<string, string>) => {
    log('  a: DURABILITY=os, b: DURABILITY=fsync');
    return measureAgainst({ a: { ...a, DURABILITY: 'os' }, b: { ...b, DURABILITY: 'fsync' } }, load, log);
  };
  const sides = options.distributed
    ? await withDistributedBenchEnv((a) => withDistributedBenchEnv((b) => compare(a, b)))
    : await compare({}, {});
  const figures = (side: HttpLoadResult) => ({ perSec: side.acceptedPerSec, p99Ms: side.p99Ms });
  const [os, fsync] = [figures(sides.a), figures(sides.b)];
  return {
    mode: options.distributed ? 'distributed' : 'embedded',
    osPerSec: os.perSec,
    fsyncPerSec: fsync.perSec,
    osP99Ms: os.p99Ms,
    fsyncP99Ms: fsync.p99Ms,
    cost: Number((1 - sides.ratio).toFixed(3)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { ...PLAYER_LOAD_ARGS, distributed: { type: 'boolean', default: false } },
  });
  const log: Log = (line) => void process.stderr.write(`${line}\n`);
  const result = await measureDurabilityCost(
    { ...playerLoad(values), distributed: values.distributed },
    log,
  );
  log('');
  log(`${result.mode}: accepted actions/s  os ${result.osPerSec} (p99 ${result.osP99Ms} ms), fsync ${result.fsyncPerSec} (p99 ${result.fsyncP99Ms} ms): fsync costs ${(result.cost * 100).toFixed(1)}%`);
  console.log(JSON.stringify(result));
}
