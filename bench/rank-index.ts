/**
 * The in-process rank index at 1,000,000 users: updates/s, top-10, rank-of-user and
 * around-me reads/s with their p99 (measured in `bench/rank-figures.ts`, which `npm run bench`
 * shares), bytes per ranked user, and the rebuild of a board from
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
import { measureInMemoryRank } from './rank-figures.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '1000000' } } });
const USERS = Number(values.users);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const { index, figures } = await measureInMemoryRank({ users: USERS, ops: 200_000 }, log);
const { inserts, updates, top10, rankOf, aroundMe, bytesPerRankedUser, bytesPerRankedUserWithIds, rankP99Ms } = figures;

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
  .prepare<[], [string, number, number, number]>("SELECT user_id, score, reached_at, version FROM board_totals WHERE board = 'global' AND period = 'all'")
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
    mixedQueriesPerSec: figures.mixedQueriesPerSec,
    rankP99Ms,
    bytesPerRankedUser,
    bytesPerRankedUserWithIds,
    rebuildSeconds,
  }),
);
