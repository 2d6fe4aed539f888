import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATA_DIR_FILE_NAMES } from '../../src/storage/data-dir.js';
import { temporaryDirectory, testClient } from '../helpers.js';
import { exited, startServerProcess } from '../process.js';
import { ActionStream, BoardWatcher, boardScores, sorted, sqliteLedgerSums } from './load.js';
import { record } from './results.js';

describe('embedded: SIGTERM under load', () => {
  it('answers the requests in flight, keeps and publishes every 201, closes sockets with 1001 and exits 0', { timeout: 60_000 }, async () => {
    const dataDir = temporaryDirectory();
    const env = { DATA_DIR: dataDir, RATE_LIMIT_USER_PER_SEC: '0', RATE_LIMIT_IP_PER_SEC: '0' };
    const server = await startServerProcess(env);
    const players = await testClient(server.url).players(10, 'drain');
    const watchers = await Promise.all(Array.from({ length: 50 }, () => BoardWatcher.open(() => [server.url], { reconnect: false })));

    const stream = new ActionStream(() => server.url, players, { concurrency: 16 });
    await stream.acknowledgedMore(300);
    const signalledAt = Date.now();
    server.child.kill('SIGTERM');
    await exited(server.child);
    const exitMs = Date.now() - signalledAt;
    await stream.stop();

    expect(server.child.exitCode).toBe(0);
    expect(exitMs).toBeLessThan(10_000);
    // Requests sent before the signal all got an answer: 201, or 503 once the server was closing.
    const beforeSignal = stream.attempts.filter((attempt) => attempt.sentAt < signalledAt);
    const unanswered = beforeSignal.filter((attempt) => attempt.outcome === 'error');
    expect(unanswered.map((attempt) => attempt.error)).toEqual([]);
    for (const attempt of stream.attempts) if (attempt.outcome !== 'error') expect([201, 503]).toContain(attempt.outcome);
    // Every subscriber was told the server is going away, so it reconnects elsewhere.
    expect(watchers.map((watcher) => watcher.closeCodes[0])).toEqual(watchers.map(() => 1001));

    // Every 201 is in the ledger under its key, and its event left the outbox before exit.
    const databaseFile = path.join(dataDir, DATA_DIR_FILE_NAMES.database);
    const db = new Database(databaseFile, { readonly: true });
    const ids = new Map(db.prepare<[], { idempotency_key: string; id: number }>('SELECT idempotency_key, id FROM ledger').all().map((row) => [row.idempotency_key, String(row.id)]));
    const outboxLeft = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox').get()?.n;
    db.close();
    const lost = [...stream.acknowledged].filter(([key, { id }]) => ids.get(key) !== id);
    expect(lost).toEqual([]);
    expect(outboxLeft).toBe(0);

    const restarted = await startServerProcess(env);
    expect(sorted(await boardScores(restarted.url))).toEqual(sorted(sqliteLedgerSums(databaseFile)));

    const outcomes = stream.outcomes();
    record('sigterm-embedded', {
      attempted: stream.count,
      acknowledged: stream.acknowledged.size,
      lost: lost.length,
      inFlightAtSignal: beforeSignal.filter((attempt) => attempt.sentAt >= signalledAt - 50).length,
      answered503: outcomes[503] ?? 0,
      refusedAfterSignal: outcomes.error ?? 0,
      sockets1001: watchers.filter((watcher) => watcher.closeCodes[0] === 1001).length,
      exitMs,
    });
  });
});
