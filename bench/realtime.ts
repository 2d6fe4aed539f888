/**
 * What top-N deltas save and what around-me windows cost (`bench/realtime-load.ts`), then the
 * top-N delivery figure of the fan-out bench (`bench/fanout-load.ts`) on a fresh server of
 * the same code, so the three read side by side.
 *
 *   npm run bench:realtime [-- --players 10000 --top-subscribers 1000 --around-subscribers 2000
 *                              --radius 5 --limit 100 --rate 1000 --seconds 10
 *                              --fanout-subscribers 5000 --fanout-seconds 10]
 *   npm run bench:realtime -- --quick        # 2,000 players, 400 + 500 subscribers, 3 s
 *
 * `--fanout-subscribers 0` leaves the top-N delivery step out. Each step has a deadline.
 * Progress on stderr; then a table (figure, value, target, ceiling or ratio, pass/MISS) and,
 * as the last stdout line, one JSON object.
 */
import { parseArgs } from 'node:util';
import { renderTable, type TableRow } from './bench-report.js';
import { measureFanout } from './fanout-load.js';
import { measureRealtime, realtimeFigures, realtimeLimitSeconds, realtimeRows } from './realtime-load.js';
import { stepRunner } from './bench-steps.js';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    players: { type: 'string' },
    'top-subscribers': { type: 'string' },
    'around-subscribers': { type: 'string' },
    radius: { type: 'string', default: '5' },
    limit: { type: 'string', default: '100' },
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string' },
    'fanout-subscribers': { type: 'string' },
    'fanout-seconds': { type: 'string' },
  },
});
const defaults = values.quick
  ? { players: 2000, topSubscribers: 400, aroundSubscribers: 500, seconds: 3, fanoutSubscribers: 1000, fanoutSeconds: 3 }
  : { players: 10_000, topSubscribers: 1000, aroundSubscribers: 2000, seconds: 10, fanoutSubscribers: 5000, fanoutSeconds: 10 };
const option = (raw: string | undefined, fallback: number): number => (raw === undefined ? fallback : Number(raw));
const settings = {
  players: option(values.players, defaults.players),
  topSubscribers: option(values['top-subscribers'], defaults.topSubscribers),
  aroundSubscribers: option(values['around-subscribers'], defaults.aroundSubscribers),
  radius: Number(values.radius),
  limit: Number(values.limit),
  rate: Number(values.rate),
  seconds: option(values.seconds, defaults.seconds),
  fanoutSubscribers: option(values['fanout-subscribers'], defaults.fanoutSubscribers),
  fanoutSeconds: option(values['fanout-seconds'], defaults.fanoutSeconds),
};

const started = performance.now();
const log = (line: string): void => void process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s] ${line}\n`);
const { step, failures } = stepRunner(log);

const realtime = await step(
  `1/2 deltas and around-me: ${settings.players.toLocaleString('en-US')} players, ${settings.topSubscribers} top-${settings.limit} and ${settings.aroundSubscribers} around-me subscribers, ${settings.rate} actions/s, ${settings.seconds} s each`,
  realtimeLimitSeconds(settings),
  () => measureRealtime(settings, log),
);
const fanout =
  settings.fanoutSubscribers > 0
    ? await step(
        `2/2 top-N delivery: ${settings.fanoutSubscribers} subscribers on global top 10, ${settings.rate} actions/s, ${settings.fanoutSeconds} s`,
        2 * settings.fanoutSeconds + 60 + settings.fanoutSubscribers / 50,
        () => measureFanout({ subscribers: settings.fanoutSubscribers, rate: settings.rate, seconds: settings.fanoutSeconds }, log),
      )
    : undefined;

const rows: TableRow[] = [
  ...realtimeRows(realtime),
  ...(settings.fanoutSubscribers > 0
    ? [
        {
          figure: `top-10 delivery p50 / p99, ${settings.fanoutSubscribers} subs at ${settings.rate}/s`,
          value: fanout ? `${fanout.deliveryP50Ms} / ${fanout.deliveryP99Ms} ms` : 'n/a',
          target: settings.fanoutSubscribers > 1000 ? 'p99 ≤ 150 ms' : 'p99 ≤ 75 ms',
          ceiling: fanout ? `from server stamp ${fanout.deliveryFromServerP50Ms} / ${fanout.deliveryFromServerP99Ms} ms` : '',
          pass: fanout ? fanout.deliveryP99Ms <= (settings.fanoutSubscribers > 1000 ? 150 : 75) : undefined,
        },
      ]
    : []),
];
const figures = {
  ...realtimeFigures(realtime),
  deliveryP50Ms: fanout?.deliveryP50Ms ?? null,
  deliveryP99Ms: fanout?.deliveryP99Ms ?? null,
  deliveryFromServerP99Ms: fanout?.deliveryFromServerP99Ms ?? null,
  setupSeconds: realtime?.setupSeconds ?? null,
  pass: rows.every((row) => row.pass !== false),
  failedSteps: failures,
  settings: { quick: values.quick, ...settings },
  at: new Date().toISOString(),
  seconds: Math.round((performance.now() - started) / 1000),
};
console.log(renderTable(rows));
console.log(JSON.stringify(figures));
// Exit now: a timed-out step may still hold timers or sockets; its children die with us.
process.exit(failures.length > 0 ? 1 : 0);
