/**
 * The in-process rank index at 1,000,000 users: updates/s, top-10, rank-of-user and
 * around-me reads/s with their p99, bytes per ranked user, and the rebuild of a board from
 * SQLite `board_totals` (what embedded mode does at start).
 *
 *   npm run bench:rank [-- --users 1000000]
 *
 * Run with --expose-gc (the npm script does) so the memory figure is measured after a GC.
 * Progress on stderr; the last stdout line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { InMemoryRankIndex } from '../src/leaderboard/in-memory-rank-index.js';
import { applySqliteMigrations, openSqliteDatabase } from '../src/platform/sqlite.js';
import { SCORE_SQLITE_MIGRATIONS } from '../src/score/sqlite-migrations.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '1000000' } } });
const USERS = Number(values.users);
const log = (line: string): void => void process.stderr.write(`${line}\n`);
const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const userId = (i: number): string => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

let seed = 7;
const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;

/** Runs `operation` `count` times, timing each call: throughput and p99 in ms. */
function measure(label: string, count: number, operation: (i: number) => unknown): { perSec: number; p99Ms: number } {
  const samples = new Float64Array(count);
  const started = performance.now();
  for (let i = 0; i < count; i += 1) {
    const t = performance.now();
    operation(i);
    samples[i] = performance.now() - t;
  }
  const perSec = Math.round(count / ((performance.now() - started) / 1000));
  samples.sort();
  const p99Ms = Number((samples[Math.floor(count * 0.99)] ?? 0).toFixed(4));
  log(`${label.padEnd(28)} ${perSec.toLocaleString('en-US').padStart(12)} /s   p99 ${p99Ms} ms`);
  return { perSec, p99Ms };
}

const heapUsed = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
gc();
const heapEmpty = heapUsed();
// Ids are created before the index so both figures are measured: the index's own structures,
// and those plus the 36-character id strings it keeps (a server holds both).
const ids = Array.from({ length: USERS }, (_, i) => userId(i));
gc();
const heapBefore = heapUsed();

const index = new InMemoryRankIndex();
log(`loading ${USERS.toLocaleString('en-US')} users one update at a time…`);
const inserts = measure('insert (new user)', USERS, (i) => index.setSync(ids[i] as string, Math.floor(random() * 1_000_000), i));
gc();
const heapAfter = heapUsed();
const bytesPerRankedUser = Math.round((heapAfter - heapBefore) / USERS);
const bytesPerRankedUserWithIds = Math.round((heapAfter - heapEmpty) / USERS);

const OPS = 200_000;
const updates = measure('update (score grows)', OPS, (i) => {
  const id = ids[Math.floor(random() * USERS)] as string;
  index.setSync(id, (index.rankOfSync(id)?.score ?? 0) + 1 + Math.floor(random() * 1000), USERS + i);
});
const top10 = measure('top 10', OPS, () => index.rangeSync(0, 10));
const rankOf = measure('rank of a user', OPS, () => index.rankOfSync(ids[Math.floor(random() * USERS)] as string));
const aroundMe = measure('around me (radius 5)', OPS, () => {
  const me = index.rankOfSync(ids[Math.floor(random() * USERS)] as string);
  if (me) index.rangeSync(Math.max(0, me.rank - 6), 11);
});

log('writing a board_totals table with every user into SQLite…');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-rank-bench-'));
const db = openSqliteDatabase(path.join(dir, 'bench.db'));
applySqliteMigrations(db, 'score', SCORE_SQLITE_MIGRATIONS);
const insert = db.prepare("INSERT INTO board_totals (board, period, user_id, score, reached_at) VALUES ('global', 'all', ?, ?, ?)");
db.transaction(() => {
  for (const entry of index.rangeSync(0, USERS)) insert.run(entry.userId, entry.score, entry.reachedAt);
})();
// A running server checkpoints continuously; start from a checkpointed file, as a restart would.
db.pragma('wal_checkpoint(TRUNCATE)');
log('rebuilding the board from SQLite…');
const rebuildStarted = performance.now();
const rows = db
  .prepare<[], [string, number, number]>("SELECT user_id, score, reached_at FROM board_totals WHERE board = 'global' AND period = 'all'")
  .raw()
  .all();
const readSeconds = (performance.now() - rebuildStarted) / 1000;
const rebuilt = new InMemoryRankIndex();
rebuilt.loadRows(rows);
log(`  read ${readSeconds.toFixed(2)} s, index ${((performance.now() - rebuildStarted) / 1000 - readSeconds).toFixed(2)} s`);
const rebuildSeconds = Number(((performance.now() - rebuildStarted) / 1000).toFixed(2));
log(`rebuild: ${rebuildSeconds} s for ${rebuilt.size.toLocaleString('en-US')} users`);
if (JSON.stringify(rebuilt.rangeSync(0, 100)) !== JSON.stringify(index.rangeSync(0, 100))) throw new Error('rebuilt board differs');
db.close();
fs.rmSync(dir, { recursive: true, force: true });

const rankP99Ms = Math.max(top10.p99Ms, rankOf.p99Ms, aroundMe.p99Ms);
log(`bytes per ranked user: ${bytesPerRankedUser} (${bytesPerRankedUserWithIds} with the id strings)`);
console.log(
  JSON.stringify({
    users: USERS,
    insertsPerSec: inserts.perSec,
    updatesPerSec: updates.perSec,
    updateP99Ms: updates.p99Ms,
    top10PerSec: top10.perSec,
    top10P99Ms: top10.p99Ms,
    rankOfPerSec: rankOf.perSec,
    rankOfP99Ms: rankOf.p99Ms,
    aroundMePerSec: aroundMe.perSec,
    aroundMeP99Ms: aroundMe.p99Ms,
    rankP99Ms,
    bytesPerRankedUser,
    bytesPerRankedUserWithIds,
    rebuildSeconds,
  }),
);
