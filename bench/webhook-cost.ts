/**
 * What webhooks cost the score path, two ways:
 * - end to end: accepted player actions/s of a real server with webhooks on (a receiver on
 *   loopback answering 204) beside the same server with them off, both running, loaded in
 *   alternating rounds (`measureAgainst`) so a drift of this machine's speed falls on both.
 *   A click writes no webhook: this is the cost of the sender's and the period closer's
 *   polling beside the requests.
 * - per event, in this process: the SQLite ledger recording actions that are all held
 *   (each writes an `action.held` row per receiver in its transaction) with no receiver,
 *   one and three — the worst case, every action an event; and clicks with no receiver and
 *   three, which must cost the same (a click writes nothing for webhooks).
 *
 *   npm run bench:webhooks [-- --users 200 --connections 50 --seconds 10 --held 50000]
 *
 * Progress on stderr; the last stdout line is one JSON object.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SqliteWebhookOutbox } from '../src/moderation/sqlite-webhook-outbox.js';
import { DEFAULT_BOARDS } from '../src/platform/boards.js';
import { openSqliteDatabase } from '../src/platform/sqlite.js';
import type { ActionToRecord } from '../src/score/ledger.js';
import { SqliteLedger } from '../src/score/sqlite-ledger.js';
import { migrateEmbeddedSchema } from '../src/storage/schema.js';
import { measureAgainst, playerLoad, PLAYER_LOAD_ARGS, type Log } from './score-load.js';

export const WEBHOOK_COST_TARGET = 'under 10% fewer accepted actions/s with webhooks on';

export interface WebhookCost {
  offPerSec: number;
  onPerSec: number;
  /** 1 − on ÷ off (the median of four neighbouring pairs of rounds): the share of accepted actions/s webhooks cost (negative: faster, within noise). */
  cost: number;
  /** µs per held action recorded, with 0, 1 and 3 receivers. */
  heldUs: { receivers: number; us: number }[];
  /** µs per click recorded with no receiver and with 3 (a click writes no webhook). */
  clickUs: { receivers: number; us: number }[];
  /** Webhooks the receiver got while the server ran with them on. */
  received: number;
}

/** A receiver on loopback that answers every webhook 204 and counts them. */
async function startReceiver(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received += 1;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, count: () => received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * µs per action through the SQLite ledger, in batches of 64, with `receivers` webhook
 * receivers: every action held (each an `action.held` event), or every action a click (none).
 */
function ledgerCost(actions: number, receivers: number, held: boolean): number {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-webhook-cost-'));
  try {
    const db = openSqliteDatabase(path.join(dir, 'cost.db'));
    migrateEmbeddedSchema(db);
    const urls = Array.from({ length: receivers }, (_, i) => `http://127.0.0.1:${9000 + i}/hook`);
    const ledger = new SqliteLedger(db, DEFAULT_BOARDS, new SqliteWebhookOutbox(db, urls));
    const now = Date.now();
    const action = (i: number): ActionToRecord =>
      held
        ? {
            userId: `user-${i % 2_000}`,
            type: 'match-result',
            points: 0,
            values: { 'match-score': 60_000 },
            at: now + i,
            idempotencyKey: `key-${i}`,
            cooldownMs: 0,
            held: { reason: '"match-score" 60000 is above its review threshold 50000' },
          }
        : { userId: `user-${i % 2_000}`, type: 'click', points: 1, values: { points: 1 }, at: now + i, idempotencyKey: `key-${i}`, cooldownMs: 0 };
    const started = performance.now();
    for (let i = 0; i < actions; i += 64) void ledger.record(Array.from({ length: Math.min(64, actions - i) }, (_, j) => action(i + j)));
    const us = ((performance.now() - started) * 1000) / actions;
    db.close();
    return Number(us.toFixed(1));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureWebhookCost(options: { users: number; connections: number; seconds: number; heldActions: number }, log: Log): Promise<WebhookCost> {
  const receiver = await startReceiver();
  try {
    const on = { WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: `whsec_${Buffer.alloc(32, 7).toString('base64')}` };
    log('  a: webhooks off, b: webhooks on');
    const sides = await measureAgainst({ a: {}, b: on }, { users: options.users, connections: options.connections, seconds: options.seconds }, log);
    const [offPerSec, onPerSec] = [sides.a.acceptedPerSec, sides.b.acceptedPerSec];
    log(`  held actions through the ledger (${options.heldActions.toLocaleString('en-US')} each)…`);
    const heldUs = [0, 1, 3].map((receivers) => ({ receivers, us: ledgerCost(options.heldActions, receivers, true) }));
    const clickUs = [0, 3, 0, 3].map((receivers) => ({ receivers, us: ledgerCost(options.heldActions, receivers, false) }));
    const best = (receivers: number) => ({ receivers, us: Math.min(...clickUs.filter((run) => run.receivers === receivers).map((run) => run.us)) });
    return { offPerSec, onPerSec, cost: Number((1 - sides.ratio).toFixed(3)), heldUs, clickUs: [best(0), best(3)], received: receiver.count() };
  } finally {
    await receiver.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { ...PLAYER_LOAD_ARGS, held: { type: 'string', default: '50000' } },
  });
  const log: Log = (line) => void process.stderr.write(`${line}\n`);
  const result = await measureWebhookCost(
    { ...playerLoad(values), heldActions: Number(values.held) },
    log,
  );
  log('');
  log(`accepted actions/s  webhooks off ${result.offPerSec}, on ${result.onPerSec}: cost ${(result.cost * 100).toFixed(1)}% (target: ${WEBHOOK_COST_TARGET})`);
  for (const { receivers, us } of result.heldUs) log(`held action through the ledger, ${receivers} receiver(s): ${us} µs`);
  for (const { receivers, us } of result.clickUs) log(`click through the ledger, ${receivers} receiver(s): ${us} µs (best of two)`);
  console.log(JSON.stringify(result));
}
