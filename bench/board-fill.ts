/**
 * How long filling a board from the ledger takes: what a start does for a board new to the
 * configuration (or changed, or every board on the first start after an upgrade). Writes
 * `--rows` ledger rows of `--users` players over the current month, then fills each default
 * board's current period from them, as `fillChangedBoards` does at start.
 *
 *   npm run bench:fill [-- --rows 1000000 --users 100000]
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { DEFAULT_BOARDS } from '../src/platform/boards.js';
import { periodStartsAt } from '../src/platform/periods.js';
import { openSqliteDatabase } from '../src/platform/sqlite.js';
import { SqliteLedger } from '../src/score/sqlite-ledger.js';
import { fillChangedBoards } from '../src/storage/fill-boards.js';
import { migrateEmbeddedSchema } from '../src/storage/schema.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, users: { type: 'string', default: '100000' } } });
const ROWS = Number(values.rows);
const USERS = Number(values.users);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-fill-bench-'));
try {
  const db = openSqliteDatabase(path.join(dir, 'fill.db'));
  migrateEmbeddedSchema(db);
  const now = Date.now();
  const monthStart = periodStartsAt('monthly', now) as number;
  log(`writing ${ROWS.toLocaleString('en-US')} ledger rows of ${USERS.toLocaleString('en-US')} players…`);
  const insert = db.prepare(
    "INSERT INTO ledger (id, user_id, type, points, metric_values, at, idempotency_key, totals) VALUES (?, ?, ?, ?, ?, ?, ?, '{}')",
  );
  let seed = 7;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  db.transaction(() => {
    for (let id = 1; id <= ROWS; id += 1) {
      const user = `00000000-0000-4000-8000-${String(Math.floor(random() * USERS)).padStart(12, '0')}`;
      const at = monthStart + Math.floor(((now - monthStart) * id) / ROWS);
      // One action in ten a sprint (a time for the speed-run board), one in twenty a match.
      const kind = random();
      const [type, points, metrics] =
        kind < 0.1
          ? ['sprint', 10, { points: 10, 'sprint-ms': 3_000 + Math.floor(random() * 60_000) }]
          : kind < 0.15
            ? ['match-result', 0, { 'match-score': Math.floor(random() * 100_000) }]
            : ['click', 1, { points: 1 }];
      insert.run(id, user, type, points, JSON.stringify(metrics), at, `k${id}`);
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');

  const ledger = new SqliteLedger(db, DEFAULT_BOARDS);
  log('filling every default board’s current period from the ledger…');
  const started = performance.now();
  const filled = await fillChangedBoards(ledger, DEFAULT_BOARDS, now, { info: () => undefined });
  const totalMs = performance.now() - started;
  for (const board of filled) log(`  ${board.board.padEnd(15)} ${board.period.padEnd(12)} ${board.rows.toLocaleString('en-US').padStart(10)} rows read in ${board.ms} ms`);
  const rowsRead = filled.reduce((sum, board) => sum + board.rows, 0);
  const msPerMillionRows = Math.round((totalMs / rowsRead) * 1_000_000);
  log(`${filled.length} boards in ${Math.round(totalMs)} ms: ${msPerMillionRows} ms per million ledger rows read`);
  db.close();
  process.stdout.write(`${JSON.stringify({ rows: ROWS, users: USERS, boards: filled, totalMs: Math.round(totalMs), msPerMillionRows })}\n`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
