/**
 * What each configured board costs an accepted action, without HTTP in the way (the machine's
 * HTTP ceiling swings too much between runs to show a few µs): the group-committed SQLite
 * ledger and the leaderboard applying the events, in this process, with the three boards of
 * the first release and with the six shipped boards. A click counts on the four points
 * boards of the six; a sprint on five.
 *
 *   npm run bench:boards [-- --actions 200000]
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { InMemoryBoardStore } from '../src/leaderboard/in-memory-board-store.js';
import { LeaderboardService } from '../src/leaderboard/leaderboard-service.js';
import { boardDefinition, DEFAULT_BOARDS, type BoardDefinition } from '../src/platform/boards.js';
import type { ScoreUpdated } from '../src/platform/events.js';
import { InProcessEventBus } from '../src/platform/in-process-event-bus.js';
import { openSqliteDatabase } from '../src/platform/sqlite.js';
import type { ActionToRecord } from '../src/score/ledger.js';
import { SqliteLedger } from '../src/score/sqlite-ledger.js';
import { migrateEmbeddedSchema } from '../src/storage/schema.js';

const { values } = parseArgs({ options: { actions: { type: 'string', default: '200000' } } });
const ACTIONS = Number(values.actions);
const BATCH = 64;
const USERS = 2_000;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const FIRST_RELEASE = (['all-time', 'daily', 'weekly'] as const).map((period, i) => boardDefinition({ id: ['global', 'daily', 'weekly'][i] as string, period }));

async function measure(label: string, boards: readonly BoardDefinition[]): Promise<{ ledgerUs: number; leaderboardUs: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-board-cost-'));
  try {
    const db = openSqliteDatabase(path.join(dir, 'cost.db'));
    migrateEmbeddedSchema(db);
    const ledger = new SqliteLedger(db, boards);
    const now = Date.now();
    const action = (i: number): ActionToRecord => ({
      userId: `user-${i % USERS}`,
      type: 'click',
      points: 1,
      values: { points: 1 },
      at: now + i,
      idempotencyKey: `key-${i}`,
      cooldownMs: 0,
    });
    const events: ScoreUpdated[] = [];
    const started = performance.now();
    for (let i = 0; i < ACTIONS; i += BATCH) {
      const outcomes = await ledger.record(Array.from({ length: Math.min(BATCH, ACTIONS - i) }, (_, j) => action(i + j)));
      for (const outcome of outcomes) if (outcome.status === 'accepted') events.push(outcome.committed.event);
    }
    const ledgerUs = ((performance.now() - started) * 1000) / ACTIONS;
    db.close();

    const leaderboard = new LeaderboardService({
      boards,
      store: new InMemoryBoardStore(),
      totals: { totals: async () => [], totalOf: async () => undefined, top: async () => [] },
      directory: { usernames: async (ids) => new Map(ids.map((id) => [id, id])) },
      bans: { isBanned: async () => false, list: async () => [], ban: async () => undefined, unban: async () => undefined },
      bus: new InProcessEventBus(),
      now: () => now,
    });
    await leaderboard.start();
    const applying = performance.now();
    for (let i = 0; i < events.length; i += BATCH) {
      await Promise.all(events.slice(i, i + BATCH).map((event) => leaderboard.apply(event)));
      await leaderboard.flush();
    }
    const leaderboardUs = ((performance.now() - applying) * 1000) / events.length;
    leaderboard.stop();
    log(`  ${label.padEnd(22)} ledger ${ledgerUs.toFixed(1)} µs/action   leaderboard ${leaderboardUs.toFixed(1)} µs/action`);
    return { ledgerUs: Number(ledgerUs.toFixed(1)), leaderboardUs: Number(leaderboardUs.toFixed(1)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

log(`${ACTIONS.toLocaleString('en-US')} clicks of ${USERS.toLocaleString('en-US')} players, batches of ${BATCH}:`);
// A first round warms the JIT; the figures are the second.
await measure('warm-up', DEFAULT_BOARDS);
const three = await measure('3 boards (0.1.0)', FIRST_RELEASE);
const six = await measure('6 boards (shipped)', DEFAULT_BOARDS);
const extraUs = Number((six.ledgerUs + six.leaderboardUs - three.ledgerUs - three.leaderboardUs).toFixed(1));
log(`six boards cost a click ${extraUs} µs more than three`);
process.stdout.write(`${JSON.stringify({ actions: ACTIONS, threeBoards: three, sixBoards: six, extraUsPerAction: extraUs })}\n`);
