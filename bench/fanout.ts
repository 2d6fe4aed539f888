/**
 * WebSocket fan-out: S subscribers (in a child process) on `global` top 10 while actions are
 * accepted at a fixed rate, beside a bare `ws` server broadcasting the same payload to the
 * same number of clients as fast as it can, in the same run. The measuring lives in
 * `bench/fanout-load.ts`, which `npm run bench` shares.
 *
 *   npm run bench:fanout [-- --subscribers 1000 --rate 1000 --seconds 10]
 *   npm run bench:fanout -- --distributed [--realtime-nodes 2]
 *
 * `--distributed` runs the server on a fresh PostgreSQL database (on the server of
 * `DATABASE_URL`, default `postgres://postgres@127.0.0.1:5432/test`) and Redis key prefix
 * (`REDIS_URL`, default `redis://127.0.0.1:6379`), dropped afterwards; `--realtime-nodes K`
 * splits it into one auth/score/leaderboard process and K realtime processes sharing the
 * subscribers.
 *
 * Reports p50/p99 from each action's `201` to the first update showing it at each subscriber,
 * messages delivered/s, and server memory per idle connection. Last stdout line: JSON.
 */
import { parseArgs } from 'node:util';
import { withDistributedBenchEnv } from './distributed-env.js';
import { measureFanout } from './fanout-load.js';

const { values } = parseArgs({
  options: {
    subscribers: { type: 'string', default: '1000' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    distributed: { type: 'boolean', default: false },
    'realtime-nodes': { type: 'string', default: '0' },
  },
});
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const options = { subscribers: Number(values.subscribers), rate: Number(values.rate), seconds: Number(values.seconds) };
const measured = values.distributed
  ? await withDistributedBenchEnv((env) => measureFanout({ ...options, env, realtimeNodes: Number(values['realtime-nodes']) }, log))
  : await measureFanout(options, log);
const { deliveryHistogram: _histogram, deliveryCurve: curve, ...result } = measured;
log(`delivery p50 ${result.deliveryP50Ms} ms, p99 ${result.deliveryP99Ms} ms over ${result.deliveries} deliveries`);
log(`delivery percentiles (ms): ${curve.map(([p, ms]) => `p${p} ${ms}`).join(', ')}`);
log(
  `messages/s ${result.wsMessagesPerSec} (bare ws broadcast ${result.baselineWsMessagesPerSec}); ~${result.serverBytesPerIdleConnection} bytes of server RSS per connection`,
);
console.log(JSON.stringify(result));
