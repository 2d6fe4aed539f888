/**
 * Embedded restart with many ranked users: how long from `startServer` to listening, with
 * the boards rebuilt from SQLite, and (when `dist/` is built) how long a whole
 * `node dist/main.js` process takes to print its ready line. Builds a data dir with N users, all of them on the global
 * board and `--active` of them on today's daily and weekly boards, checkpoints it (as a
 * stopped server leaves it), then starts the real server on it.
 *
 *   npm run bench:restart [-- --users 1000000 --active 1]
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startServer } from '../src/main.js';
import { DATA_DIR_FILE_NAMES } from '../src/storage/data-dir.js';
import { periodKey } from '../src/platform/periods.js';
import { loadConfig } from '../src/platform/config.js';
import { openSqliteDatabase } from '../src/platform/sqlite.js';
import { DEFAULT_BOARDS } from '../src/platform/boards.js';
import { definitionSignature } from '../src/score/board-totals.js';
import { migrateEmbeddedSchema } from '../src/storage/schema.js';
import { startServerProcess } from '../test/support/server-process.js';

const { values } = parseArgs({ options: { users: { type: 'string', default: '1000000' }, active: { type: 'string', default: '1' } } });
const USERS = Number(values.users);
const ACTIVE = Number(values.active);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-restart-bench-'));
try {
  log(`writing ${USERS.toLocaleString('en-US')} users (${ACTIVE * 100}% active today)…`);
  const db = openSqliteDatabase(path.join(dataDir, DATA_DIR_FILE_NAMES.database));
  migrateEmbeddedSchema(db);
  const now = Date.now();
  // The totals are written directly, not through a ledger: mark every board filled, so the
  // server loads them as they are instead of filling the boards from the (empty) ledger.
  const markFilled = db.prepare('INSERT INTO board_definitions (board, signature, filled_at) VALUES (?, ?, ?)');
  for (const board of DEFAULT_BOARDS) markFilled.run(board.id, definitionSignature(board), now);
  const periods = { global: 'all', daily: periodKey('daily', now), weekly: periodKey('weekly', now) };
  const addUser = db.prepare("INSERT INTO users (id, username, username_key, password_hash, created_at) VALUES (?, ?, ?, 'x', '2026-01-01')");
  const addTotal = db.prepare('INSERT INTO board_totals (board, period, user_id, score, reached_at) VALUES (?, ?, ?, ?, ?)');
  let seed = 11;
  const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  db.transaction(() => {
    for (let i = 0; i < USERS; i += 1) {
      const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      addUser.run(id, `player_${i}`, `player_${i}`);
      const score = 1 + Math.floor(random() * 1_000_000);
      addTotal.run('global', periods.global, id, score, now - i);
      if (random() < ACTIVE) {
        addTotal.run('daily', periods.daily, id, Math.ceil(score / 10), now - i);
        addTotal.run('weekly', periods.weekly, id, Math.ceil(score / 3), now - i);
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  log('starting the server on it…');
  const started = performance.now();
  const server = await startServer(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn' }), { logger: pino({ level: 'warn' }) });
  const readySeconds = Number(((performance.now() - started) / 1000).toFixed(2));
  const top = (await (await fetch(`${server.url}/api/v1/leaderboards/global?limit=1`)).json()) as { total: number };
  await server.stop();
  log(`ready in ${readySeconds} s with ${top.total.toLocaleString('en-US')} users on the global board`);
  const processReadySeconds = await timeProcessStart(dataDir);
  if (processReadySeconds !== undefined) log(`a whole process (node dist/main.js): ready in ${processReadySeconds} s`);
  console.log(JSON.stringify({ users: USERS, activeToday: ACTIVE, readySeconds, processReadySeconds: processReadySeconds ?? null, rankedOnGlobal: top.total }));
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/** Seconds from spawning `node dist/main.js` to its ready line; undefined when `dist/` is not built. */
async function timeProcessStart(dir: string): Promise<number | undefined> {
  const main = path.resolve(import.meta.dirname, '..', 'dist', 'main.js');
  if (!fs.existsSync(main)) {
    log('dist/main.js not built (npm run build): skipping the whole-process start');
    return undefined;
  }
  const started = performance.now();
  const server = await startServerProcess({ program: 'dist/main.js', env: { DATA_DIR: dir }, inheritStderr: true, readyTimeoutMs: 600_000 });
  const seconds = Number(((performance.now() - started) / 1000).toFixed(2));
  server.kill();
  return seconds;
}
