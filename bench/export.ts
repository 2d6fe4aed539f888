/**
 * The board export (`GET /api/v1/admin/leaderboards/{board}/export`) of a big board, without
 * HTTP: the leaderboard's in-process index with N ranked players, read a page at a time into
 * CSV lines as the route streams them (counted, not kept). Reports the time, the CSV's size,
 * and the heap and RSS before and at their peak during the export: what the export itself
 * holds, beside the index it reads.
 *
 *   npm run bench:export [-- --players 1000000]
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { InMemoryBoardStore } from '../src/leaderboard/in-memory-board-store.js';
import { LeaderboardService } from '../src/leaderboard/leaderboard-service.js';
import { boardDefinition } from '../src/platform/boards.js';
import { InProcessEventBus } from '../src/platform/in-process-event-bus.js';

const { values } = parseArgs({ options: { players: { type: 'string', default: '1000000' } } });
const PLAYERS = Number(values.players);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const mb = (bytes: number): number => Number((bytes / 2 ** 20).toFixed(1));

const store = new InMemoryBoardStore();
const boards = [boardDefinition({ id: 'global', period: 'all-time' })];
const service = new LeaderboardService({
  boards,
  store,
  totals: { totals: async () => [], totalOf: async () => undefined, top: async () => [] },
  // Names as a directory answers them: built per page, like the real one's cache misses.
  directory: { usernames: async (ids) => new Map(ids.map((id) => [id, `player-${id.slice(5)}`])) },
  bans: { isBanned: async () => false, list: async () => [], ban: async () => undefined, unban: async () => undefined },
  bus: new InProcessEventBus(),
});
await service.start();
log(`ranking ${PLAYERS.toLocaleString('en-US')} players…`);
const index = store.index('global', 'all', 'desc');
for (let i = 0; i < PLAYERS; i += 1) await index.set(`user-${i}`, (i * 7919) % 1_000_003, i, 1);
global.gc?.();
const before = process.memoryUsage();
let peakHeap = before.heapUsed;
let peakRss = before.rss;
const sampler = setInterval(() => {
  const now = process.memoryUsage();
  peakHeap = Math.max(peakHeap, now.heapUsed);
  peakRss = Math.max(peakRss, now.rss);
}, 20);

log('exporting…');
const started = performance.now();
let bytes = 'rank,userId,username,score\n'.length;
let rows = 0;
for await (const page of service.entries('global')) {
  const chunk = page.map((entry) => `${entry.rank},${entry.userId},${entry.username},${entry.score}\n`).join('');
  bytes += Buffer.byteLength(chunk);
  rows += page.length;
  // Let the sampler and (in the server) the socket drain between pages.
  await new Promise((resolve) => setImmediate(resolve));
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
service.stop();
const result = {
  players: PLAYERS,
  rows,
  seconds: Number(seconds.toFixed(2)),
  rowsPerSec: Math.round(rows / seconds),
  csvMb: mb(bytes),
  heapBeforeMb: mb(before.heapUsed),
  heapPeakMb: mb(peakHeap),
  rssBeforeMb: mb(before.rss),
  rssPeakMb: mb(peakRss),
};
log(`${rows.toLocaleString('en-US')} rows, ${result.csvMb} MB of CSV in ${result.seconds} s; heap ${result.heapBeforeMb} → peak ${result.heapPeakMb} MB, RSS ${result.rssBeforeMb} → peak ${result.rssPeakMb} MB`);
console.log(JSON.stringify(result));
